/**
 * Tipping (V4): one stream per investor. The daily cap is decided against every tip the investor sent that day in any
 * context (community's live sessions and posts too): the command carries that sum, read from the investor's tipping
 * stream in @app/common (`investorTipsDecider`), and the rule is `tipRefusal`, the one V4 for every context.
 * A tip is a payment to the company for a live-stream target; it is not a subscription and grants no entitlement.
 */
import { Decider, DomainError, DomainEvent, ruleViolation, TippingPolicy, tipRefusal } from '@app/common';
import { businessDate } from './periods';

// The V4 rule itself is shared with community's tips (libs/common/src/tipping-rules.ts).
export { DEFAULT_TIPPING_POLICY, TippingPolicy } from '@app/common';

export type TipCommand =
  | {
      readonly type: 'SendTip';
      readonly tipId: string;
      readonly investorId: string;
      readonly targetListingId: string;
      readonly targetKind: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly message?: string;
      /** Age in whole years on the day of the tip, derived by the caller from the verified date of birth. */
      readonly investorAge: number;
      /** V4: what the investor tipped on this business day in every context (`tippedOnDay` of their tipping stream). */
      readonly tippedTodayMinor: number;
      readonly paymentId: string;
      readonly policy: TippingPolicy;
      readonly at: string;
    }
  | { readonly type: 'ConfirmTipPayment'; readonly tipId: string; readonly at: string }
  | { readonly type: 'FailTipPayment'; readonly tipId: string; readonly reason: string; readonly at: string };

export const TipEventTypes = {
  Sent: 'value-added.TipSent',
  Paid: 'value-added.TipPaid',
  Failed: 'value-added.TipPaymentFailed',
} as const;

type T = typeof TipEventTypes;
export type TipEvent =
  | DomainEvent<
      T['Sent'],
      {
        tipId: string;
        investorId: string;
        targetListingId: string;
        amountMinor: number;
        currency: string;
        message: string | null;
        paymentId: string;
        businessDate: string;
        at: string;
      }
    >
  | DomainEvent<T['Paid'], { tipId: string; investorId: string; at: string }>
  | DomainEvent<T['Failed'], { tipId: string; investorId: string; reason: string; at: string }>;

interface TipRecord {
  readonly amountMinor: number;
  readonly businessDate: string;
  readonly status: 'sent' | 'paid' | 'failed';
}

export interface TippingState {
  readonly investorId?: string;
  readonly tips: Readonly<Record<string, TipRecord>>;
}

const decide = (command: TipCommand, state: TippingState): TipEvent[] | DomainError => {
  const existing = state.tips[command.tipId];
  if (command.type !== 'SendTip') {
    if (!existing || existing.status !== 'sent') return [];
    const investorId = state.investorId ?? '';
    return command.type === 'ConfirmTipPayment'
      ? [{ type: TipEventTypes.Paid, data: { tipId: command.tipId, investorId, at: command.at } }]
      : [{ type: TipEventTypes.Failed, data: { tipId: command.tipId, investorId, reason: command.reason, at: command.at } }];
  }
  if (existing) return [];
  const { policy } = command;
  if (command.targetKind !== 'live_stream_tipping_target') {
    return ruleViolation('TIPPING.NOT_A_TIPPING_TARGET', 'V4', 'tips go only to live-stream tipping targets');
  }
  const date = businessDate(command.at);
  const refused = tipRefusal(policy, command);
  if (refused) return refused;
  const message = command.message?.trim() ? command.message : null;
  return [
    {
      type: TipEventTypes.Sent,
      data: {
        tipId: command.tipId,
        investorId: command.investorId,
        targetListingId: command.targetListingId,
        amountMinor: command.amountMinor,
        currency: command.currency,
        message,
        paymentId: command.paymentId,
        businessDate: date,
        at: command.at,
      },
    },
  ];
};

const evolve = (state: TippingState, event: TipEvent): TippingState => {
  const tips = state.tips;
  switch (event.type) {
    case TipEventTypes.Sent:
      return {
        investorId: event.data.investorId,
        tips: {
          ...tips,
          [event.data.tipId]: { amountMinor: event.data.amountMinor, businessDate: event.data.businessDate, status: 'sent' },
        },
      };
    case TipEventTypes.Paid:
    case TipEventTypes.Failed: {
      const tip = tips[event.data.tipId];
      if (!tip) return state;
      return { ...state, tips: { ...tips, [event.data.tipId]: { ...tip, status: event.type === TipEventTypes.Paid ? 'paid' : 'failed' } } };
    }
    default:
      return state;
  }
};

export const tippingDecider: Decider<TipCommand, TipEvent, TippingState> = { initialState: { tips: {} }, decide, evolve };

export const tippingStreamId = (investorId: string) => `value-added.tips-${investorId}`;
