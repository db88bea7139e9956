/**
 * Tipping (V4): one stream per investor, so the daily cap is decided against every tip the investor sent that day.
 * A tip is a payment to the company for a live-stream target; it is not a subscription and grants no entitlement.
 */
import { Decider, DomainError, DomainEvent, invalid, ruleViolation, checkContent } from '@app/common';
import { businessDate } from './periods';

export interface TippingPolicy {
  readonly minMinor: number;
  readonly maxMinor: number;
  readonly dailyCapMinor: number;
  readonly currency: string;
  readonly adultAge: number;
}

export const DEFAULT_TIPPING_POLICY: TippingPolicy = { minMinor: 100, maxMinor: 50_000, dailyCapMinor: 100_000, currency: 'CNY', adultAge: 18 };

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
      { tipId: string; investorId: string; targetListingId: string; amountMinor: number; currency: string; message: string | null; paymentId: string; businessDate: string; at: string }
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

/** Tips that count against the cap on `date`: all but failed ones. */
export const tippedOn = (state: TippingState, date: string): number =>
  Object.values(state.tips)
    .filter((tip) => tip.businessDate === date && tip.status !== 'failed')
    .reduce((sum, tip) => sum + tip.amountMinor, 0);

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
  if (!Number.isInteger(command.investorAge) || command.investorAge < policy.adultAge) {
    return ruleViolation('TIPPING.MINOR', 'V4', 'minors cannot tip');
  }
  if (command.currency !== policy.currency) return invalid('TIPPING.CURRENCY', `tips are in ${policy.currency}`);
  if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor < policy.minMinor || command.amountMinor > policy.maxMinor) {
    return ruleViolation('TIPPING.AMOUNT_OUT_OF_BOUNDS', 'V4', `a tip is between ${policy.minMinor} and ${policy.maxMinor} minor units`, {
      minMinor: policy.minMinor,
      maxMinor: policy.maxMinor,
    });
  }
  const date = businessDate(command.at);
  const already = tippedOn(state, date);
  if (already + command.amountMinor > policy.dailyCapMinor) {
    return ruleViolation('TIPPING.DAILY_CAP_EXCEEDED', 'V4', `the daily tipping cap is ${policy.dailyCapMinor}; ${already} already tipped today`, {
      dailyCapMinor: policy.dailyCapMinor,
      tippedTodayMinor: already,
    });
  }
  const message = command.message?.trim() ? command.message : null;
  if (message) {
    const check = checkContent(message);
    if (!check.ok) {
      return ruleViolation('CONTENT.PROHIBITED_PHRASE', check.rule, `tip message contains "${check.phrase}" (${check.category}, ${check.legalBasis})`, {
        phrase: check.phrase,
        category: check.category,
        legalBasis: check.legalBasis,
      });
    }
  }
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
      return { investorId: event.data.investorId, tips: { ...tips, [event.data.tipId]: { amountMinor: event.data.amountMinor, businessDate: event.data.businessDate, status: 'sent' } } };
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
