/**
 * One batch of a campaign's fan-out, on its own stream (`reach.batch-<campaign>-<n>`): a single `reach.BatchSent` that
 * lists every recipient sent the campaign's message (investor and message id) and every recipient withheld at a cap
 * (G2), decided on the recipients' cap counters as read. The campaign's checkpoint for the batch is appended by the
 * same statement; a batch stream is written once, so a batch is never sent twice. One investor's delivery is the
 * batch event and their position in its `sent`: a fact per recipient, as a `reach.MessageSent` was.
 *
 * The recipients come in having passed consent (G1) and, for an advisory product, suitability (G3) with the contact
 * attributed (G4); the control group is held out before. This decider applies the caps.
 */
import { Decider, DomainError, Step, unreachable } from '@app/common';
import { CapCount, CapReason, decideCaps } from './caps';
import { ChannelCaps, ReachChannel } from './policy';

/** One recipient of a batch: the investor and the id of the message they are (or would have been) sent. */
export interface BatchRecipient {
  readonly messageId: string;
  readonly investorId: string;
}

export interface SendBatch {
  readonly type: 'SendBatch';
  readonly campaignId: string;
  readonly batch: number;
  readonly channel: ReachChannel;
  /** The message (the campaign's template). */
  readonly productId: string | null;
  readonly title: string;
  readonly body: string;
  /** In segment order; each passed G1 and G3. */
  readonly recipients: readonly BatchRecipient[];
  readonly caps: ChannelCaps;
  /** The recipients' cap counters for the channel as read for this decision, by investor (absent: none this week). */
  readonly counts: Readonly<Record<string, CapCount>>;
  readonly step: Step;
}

export type BatchEvent = {
  readonly type: 'reach.BatchSent';
  readonly data: {
    readonly campaignId: string;
    readonly batch: number;
    readonly channel: ReachChannel;
    readonly productId: string | null;
    readonly title: string;
    readonly body: string;
    /** One fact per recipient: this investor was sent this message by this event. */
    readonly sent: readonly BatchRecipient[];
    /** Recipients withheld at a cap, with the cap (G2). */
    readonly withheld: readonly (BatchRecipient & { readonly reason: CapReason; readonly rule: 'G2' })[];
    readonly caps: ChannelCaps;
    readonly step: Step;
  };
};

export type BatchState = { readonly status: 'none' } | { readonly status: 'sent'; readonly sent: number };

export const batchDecider: Decider<SendBatch, BatchEvent, BatchState> = {
  initialState: { status: 'none' },
  decide: (command, state): BatchEvent[] | DomainError => {
    switch (state.status) {
      case 'sent':
        // Decided again (a resumed run, a retried statement): already sent, nothing more.
        return [];
      case 'none': {
        const { sent, withheld } = decideCaps(command.recipients, command.counts, command.caps, command.step.at);
        return [
          {
            type: 'reach.BatchSent',
            data: {
              campaignId: command.campaignId,
              batch: command.batch,
              channel: command.channel,
              productId: command.productId,
              title: command.title,
              body: command.body,
              sent: sent.map(({ messageId, investorId }) => ({ messageId, investorId })),
              withheld: withheld.map(({ messageId, investorId, reason }) => ({ messageId, investorId, reason, rule: 'G2' as const })),
              caps: command.caps,
              step: command.step,
            },
          },
        ];
      }
      default:
        return unreachable(state);
    }
  },
  evolve: (_state, event) => ({ status: 'sent', sent: event.data.sent.length }),
};

export const batchStreamId = (campaignId: string, batch: number) => `reach.batch-${campaignId}-${batch}`;
