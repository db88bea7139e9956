/**
 * Community tips: one stream per investor. V4's daily cap is decided against every tip the investor sent that day in
 * any context (value-added's live-stream tips too): the command carries that sum, read from the investor's tipping
 * stream in @app/common (`investorTipsDecider`), and the rule itself is `tipRefusal`, the one V4 for every context. A tip goes to a live
 * session's host or a post's author who hosts; it is sent, then paid or failed when the payment settles, and a paid tip
 * can be refunded, in parts or in full, or charged back, which reverses the host's share in proportion (see host.ts).
 * It is `reversed` once wholly refunded or charged back. A tip grants nothing (V4).
 */
import { Decider, DomainError, DomainEvent, Money, Step, TippingPolicy, conflict, invalid, tipRefusal, unreachable } from '@app/common';

export type TipTarget = { readonly kind: 'live_session'; readonly id: string } | { readonly kind: 'post'; readonly id: string };

/** Business day in China (UTC+8): the daily cap's day. */
export const chinaBusinessDate = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

export type CommunityTipCommand =
  | {
      readonly type: 'SendTip';
      readonly tipId: string;
      readonly investorId: string;
      readonly target: TipTarget;
      readonly hostId: string;
      readonly amount: Money;
      readonly message: string | null;
      readonly investorAge: number;
      /** V4: what the investor tipped on this business day in every context (`tippedOnDay` of their tipping stream). */
      readonly tippedTodayMinor: number;
      readonly paymentId: string;
      readonly policy: TippingPolicy;
      readonly step: Step;
    }
  | { readonly type: 'ConfirmTip'; readonly tipId: string; readonly step: Step }
  | { readonly type: 'FailTip'; readonly tipId: string; readonly reason: string; readonly step: Step }
  | {
      readonly type: 'ReverseTip';
      readonly tipId: string;
      readonly cause: 'refund' | 'chargeback';
      readonly reason: string;
      readonly refundId: string | null;
      /** A refund's amount (null: what is left of the tip); a chargeback takes what is left. */
      readonly refundedMinor: number | null;
      readonly step: Step;
    };

export const CommunityTipEventTypes = {
  Sent: 'community.TipSent',
  Paid: 'community.TipPaid',
  Failed: 'community.TipFailed',
  Reversed: 'community.TipReversed',
} as const;
type T = typeof CommunityTipEventTypes;

interface TipFacts {
  readonly tipId: string;
  readonly investorId: string;
  readonly hostId: string;
  readonly target: TipTarget;
  readonly amount: Money;
  readonly paymentId: string;
}

export type CommunityTipEvent =
  | DomainEvent<T['Sent'], TipFacts & { readonly message: string | null; readonly businessDate: string; readonly step: Step }>
  | DomainEvent<
      T['Paid'],
      { readonly tipId: string; readonly investorId: string; readonly hostId: string; readonly amount: Money; readonly step: Step }
    >
  | DomainEvent<T['Failed'], { readonly tipId: string; readonly investorId: string; readonly reason: string; readonly step: Step }>
  | DomainEvent<
      T['Reversed'],
      {
        readonly tipId: string;
        readonly investorId: string;
        readonly hostId: string;
        readonly paymentId: string;
        readonly amount: Money;
        /** What this reversal gave back (absent in reversals recorded before partial refunds: the whole amount). */
        readonly reversed?: Money;
        readonly cause: 'refund' | 'chargeback';
        readonly reason: string;
        readonly refundId: string | null;
        readonly step: Step;
      }
    >;

export type TipRecord = TipFacts & {
  readonly businessDate: string;
  readonly status: 'sent' | 'paid' | 'failed' | 'reversed';
  /** Given back so far by refunds and chargebacks. */
  readonly reversedMinor: number;
  readonly refundIds: readonly string[];
};

export interface CommunityTipsState {
  readonly tips: Readonly<Record<string, TipRecord>>;
}

const decide = (command: CommunityTipCommand, state: CommunityTipsState): CommunityTipEvent[] | DomainError => {
  const existing = state.tips[command.tipId];
  switch (command.type) {
    case 'SendTip': {
      if (existing) return [];
      const businessDate = chinaBusinessDate(command.step.at);
      const refused = tipRefusal(command.policy, {
        amountMinor: command.amount.amountMinor,
        currency: command.amount.currency,
        investorAge: command.investorAge,
        tippedTodayMinor: command.tippedTodayMinor,
        message: command.message,
      });
      if (refused) return refused;
      const { tipId, investorId, hostId, target, amount, paymentId } = command;
      const message = command.message?.trim() ? command.message : null;
      return [
        {
          type: CommunityTipEventTypes.Sent,
          data: { tipId, investorId, hostId, target, amount, paymentId, message, businessDate, step: command.step },
        },
      ];
    }
    case 'ConfirmTip':
      if (!existing || existing.status !== 'sent') return [];
      return [
        {
          type: CommunityTipEventTypes.Paid,
          data: {
            tipId: existing.tipId,
            investorId: existing.investorId,
            hostId: existing.hostId,
            amount: existing.amount,
            step: command.step,
          },
        },
      ];
    case 'FailTip':
      if (!existing || existing.status !== 'sent') return [];
      return [
        {
          type: CommunityTipEventTypes.Failed,
          data: { tipId: existing.tipId, investorId: existing.investorId, reason: command.reason, step: command.step },
        },
      ];
    case 'ReverseTip': {
      if (!existing) return conflict('COMMUNITY.TIP_NOT_FOUND', 'no such tip');
      if (existing.status === 'reversed') return [];
      if (existing.status !== 'paid')
        return conflict('COMMUNITY.TIP_NOT_PAID', `the tip is ${existing.status}: only a paid tip is refunded or charged back`, 'E1');
      if (command.refundId !== null && existing.refundIds.includes(command.refundId)) return [];
      const left = existing.amount.amountMinor - existing.reversedMinor;
      const reversedMinor = command.cause === 'chargeback' ? left : Math.min(left, command.refundedMinor ?? left);
      if (!Number.isSafeInteger(reversedMinor) || reversedMinor <= 0)
        return invalid('COMMUNITY.REFUND_AMOUNT_INVALID', 'a refund gives back a positive integer amount in minor units');
      return [
        {
          type: CommunityTipEventTypes.Reversed,
          data: {
            tipId: existing.tipId,
            investorId: existing.investorId,
            hostId: existing.hostId,
            paymentId: existing.paymentId,
            amount: existing.amount,
            reversed: { amountMinor: reversedMinor, currency: existing.amount.currency },
            cause: command.cause,
            reason: command.reason,
            refundId: command.refundId,
            step: command.step,
          },
        },
      ];
    }
    default:
      return unreachable(command);
  }
};

const withStatus = (state: CommunityTipsState, tipId: string, status: TipRecord['status']): CommunityTipsState => {
  const tip = state.tips[tipId];
  return tip ? { tips: { ...state.tips, [tipId]: { ...tip, status } } } : state;
};

const evolve = (state: CommunityTipsState, event: CommunityTipEvent): CommunityTipsState => {
  switch (event.type) {
    case CommunityTipEventTypes.Sent: {
      const { tipId, investorId, hostId, target, amount, paymentId, businessDate } = event.data;
      return {
        tips: {
          ...state.tips,
          [tipId]: { tipId, investorId, hostId, target, amount, paymentId, businessDate, status: 'sent', reversedMinor: 0, refundIds: [] },
        },
      };
    }
    case CommunityTipEventTypes.Paid:
      return withStatus(state, event.data.tipId, 'paid');
    case CommunityTipEventTypes.Failed:
      return withStatus(state, event.data.tipId, 'failed');
    case CommunityTipEventTypes.Reversed: {
      const tip = state.tips[event.data.tipId];
      if (!tip) return state;
      const reversedMinor = Math.min(tip.amount.amountMinor, tip.reversedMinor + (event.data.reversed ?? tip.amount).amountMinor);
      const wholly = event.data.cause === 'chargeback' || reversedMinor >= tip.amount.amountMinor;
      const refundIds = event.data.refundId ? [...tip.refundIds, event.data.refundId] : tip.refundIds;
      return { tips: { ...state.tips, [tip.tipId]: { ...tip, reversedMinor, refundIds, status: wholly ? 'reversed' : tip.status } } };
    }
    default:
      return unreachable(event);
  }
};

export const communityTipsDecider: Decider<CommunityTipCommand, CommunityTipEvent, CommunityTipsState> = {
  initialState: { tips: {} },
  decide,
  evolve,
};
export const communityTipsStreamId = (investorId: string) => `community.tips-${investorId}`;

/** The payment's reference names the tip and its host, so the settlement's reactor can credit the host (tips.ts → host.ts). */
export const tipPaymentReference = (tipId: string, hostId: string) => `${tipId}:${hostId}`;
export const parseTipPaymentReference = (reference: string): { tipId: string; hostId: string } | null => {
  const [tipId, hostId, ...rest] = reference.split(':');
  return tipId && hostId && rest.length === 0 ? { tipId, hostId } : null;
};
