/**
 * G2: the frequency caps, one stream per investor, channel and Beijing ISO week (`reach.caps-…`). Every message the
 * firm sends is a `reach.MessageSent` on it, so the count of a day and of a week is the stream's own, and two senders
 * racing for the last slot cannot both win: the append names the revision the count was taken at. A direct send over
 * the cap is refused; a campaign's recipient over the cap is withheld, and the withholding is recorded too.
 */
import { Decider, DomainError, ruleViolation, Step, unreachable } from '@app/common';
import { beijingDay, beijingWeek, ChannelCaps, ReachChannel } from './policy';

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
  /** 'refuse': a direct send answers the cap with a refusal; 'withhold': a campaign records the recipient as withheld. */
  readonly overCap: 'refuse' | 'withhold';
  readonly step: Step;
}

export type CapReason = 'daily_cap' | 'weekly_cap';

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

export interface CapState {
  /** The Beijing day of each message sent this week, by message id. */
  readonly sent: Readonly<Record<string, string>>;
  readonly withheld: readonly string[];
}

export const capDecider: Decider<Deliver, DeliveryEvent, CapState> = {
  initialState: { sent: {}, withheld: [] },
  decide: (command, state): DeliveryEvent[] | DomainError => {
    const { message, caps, step } = command;
    // The same message decided again (a resumed batch) changes nothing.
    if (Object.hasOwn(state.sent, message.messageId) || state.withheld.includes(message.messageId)) return [];
    const today = beijingDay(step.at);
    const days = Object.values(state.sent);
    const reason: CapReason | null =
      days.length >= caps.perWeek ? 'weekly_cap' : days.filter((day) => day === today).length >= caps.perDay ? 'daily_cap' : null;
    if (reason === null) return [{ type: 'reach.MessageSent', data: { ...message, step } }];
    if (command.overCap === 'refuse') {
      return reason === 'daily_cap'
        ? ruleViolation('REACH.DAILY_CAP_REACHED', 'G2', `${message.channel}: at most ${caps.perDay} messages a day to one investor`)
        : ruleViolation('REACH.WEEKLY_CAP_REACHED', 'G2', `${message.channel}: at most ${caps.perWeek} messages a week to one investor`);
    }
    return [
      {
        type: 'reach.MessageWithheld',
        data: {
          messageId: message.messageId,
          investorId: message.investorId,
          channel: message.channel,
          campaignId: message.campaignId,
          reason,
          rule: 'G2',
          step,
        },
      },
    ];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'reach.MessageSent':
        return { ...state, sent: { ...state.sent, [event.data.messageId]: beijingDay(event.data.step.at) } };
      case 'reach.MessageWithheld':
        return { ...state, withheld: [...state.withheld, event.data.messageId] };
      default:
        return unreachable(event);
    }
  },
};

/** The cap stream of the week `at` falls in. */
export const capStreamId = (investorId: string, channel: ReachChannel, at: string) =>
  `reach.caps-${investorId}-${channel}-${beijingWeek(at)}`;

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
