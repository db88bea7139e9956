/**
 * A message to one investor, sent directly by the product team (a campaign's messages are its batches, see campaign):
 * one stream per message (`reach.direct-<messageId>`), decided on the investor's cap counter for the channel as read
 * (G2). The append raises the counter only while it stays under both caps, so two senders racing for the last slot
 * cannot both win. Over a cap, a direct send is refused with the rule.
 *
 * `reach.MessageWithheld` and the per-investor cap streams (`reach.caps-…`) are how messages were recorded before the
 * batch events: the read models still project what the log holds of them.
 */
import { Decider, DomainError, ruleViolation, Step, unreachable } from '@app/common';
import { CapCount, CapReason, capReason } from './caps';
import { ChannelCaps, ReachChannel } from './policy';

export interface MessageDraft {
  readonly messageId: string;
  readonly investorId: string;
  readonly channel: ReachChannel;
  readonly campaignId: string | null;
  /** The product the message is about, when it names one (G3, G4). */
  readonly productId: string | null;
  readonly title: string;
  readonly body: string;
}

export interface Deliver {
  readonly type: 'Deliver';
  readonly message: MessageDraft;
  readonly caps: ChannelCaps;
  /** The investor's counter for the channel as read for this decision (undefined: none yet). */
  readonly count: CapCount | undefined;
  readonly step: Step;
}

export type DeliveryEvent =
  | { readonly type: 'reach.MessageSent'; readonly data: MessageDraft & { readonly step: Step } }
  | {
      readonly type: 'reach.MessageWithheld';
      readonly data: {
        readonly messageId: string;
        readonly investorId: string;
        readonly channel: ReachChannel;
        readonly campaignId: string | null;
        readonly reason: CapReason;
        readonly rule: 'G2';
        readonly step: Step;
      };
    };

export type DirectMessageState = { readonly status: 'none' } | { readonly status: 'sent' };

export const directMessageDecider: Decider<Deliver, DeliveryEvent, DirectMessageState> = {
  initialState: { status: 'none' },
  decide: (command, state): DeliveryEvent[] | DomainError => {
    const { message, caps, step } = command;
    switch (state.status) {
      case 'sent':
        // The same message decided again (a retried request) changes nothing.
        return [];
      case 'none': {
        const reason = capReason(command.count, caps, step.at);
        if (reason === 'daily_cap')
          return ruleViolation(
            'REACH.DAILY_CAP_REACHED',
            'G2',
            `${message.channel}: at most ${caps.perDay} messages a day to one investor`,
          );
        if (reason === 'weekly_cap')
          return ruleViolation(
            'REACH.WEEKLY_CAP_REACHED',
            'G2',
            `${message.channel}: at most ${caps.perWeek} messages a week to one investor`,
          );
        return [{ type: 'reach.MessageSent', data: { ...message, step } }];
      }
      default:
        return unreachable(state);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'reach.MessageSent':
        return { status: 'sent' };
      case 'reach.MessageWithheld':
        return state;
      default:
        return unreachable(event);
    }
  },
};

export const directMessageStreamId = (messageId: string) => `reach.direct-${messageId}`;

/** The investor opening a message in the inbox ("opened", counted in a campaign's report). */
export interface OpenMessage {
  readonly type: 'OpenMessage';
  readonly messageId: string;
  readonly investorId: string;
  readonly campaignId: string | null;
  readonly step: Step;
}

export type MessageEvent = {
  readonly type: 'reach.MessageOpened';
  readonly data: { readonly messageId: string; readonly investorId: string; readonly campaignId: string | null; readonly step: Step };
};

export type OpenState = { readonly status: 'unread' } | { readonly status: 'opened'; readonly at: string };

export const openDecider: Decider<OpenMessage, MessageEvent, OpenState> = {
  initialState: { status: 'unread' },
  decide: (command, state) => {
    switch (state.status) {
      case 'unread':
        return [
          {
            type: 'reach.MessageOpened',
            data: { messageId: command.messageId, investorId: command.investorId, campaignId: command.campaignId, step: command.step },
          },
        ];
      case 'opened':
        return [];
      default:
        return unreachable(state);
    }
  },
  evolve: (_state, event) => ({ status: 'opened', at: event.data.step.at }),
};

export const messageStreamId = (messageId: string) => `reach.message-${messageId}`;

/** What a provider channel answered for a dispatch of sent messages: each delivered or failed, once. */
export interface ReportDeliveries {
  readonly type: 'ReportDeliveries';
  readonly dispatchId: string;
  readonly channel: ReachChannel;
  readonly delivered: readonly string[];
  readonly failed: readonly { readonly messageId: string; readonly error: string }[];
  readonly step: Step;
}

export type DispatchEvent = { readonly type: 'reach.DeliveriesReported'; readonly data: Omit<ReportDeliveries, 'type'> };
export type DispatchState = { readonly status: 'open' } | { readonly status: 'reported' };

export const dispatchDecider: Decider<ReportDeliveries, DispatchEvent, DispatchState> = {
  initialState: { status: 'open' },
  decide: (command, state) => {
    switch (state.status) {
      case 'open': {
        const { type: _type, ...data } = command;
        return [{ type: 'reach.DeliveriesReported', data }];
      }
      case 'reported':
        return [];
      default:
        return unreachable(state);
    }
  },
  evolve: () => ({ status: 'reported' }),
};

export const dispatchStreamId = (dispatchId: string) => `reach.dispatch-${dispatchId}`;
