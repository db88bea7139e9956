/**
 * The tipping rule (V4), shared by every context that takes tips (value-added's live-stream targets, community's live
 * sessions and posts): the amount within configured bounds, a per-investor daily cap, no tips from minors, and a tip
 * message that passes the content guard (V3). Pure: the caller gives what the investor already tipped that day.
 *
 * The daily cap is per investor, whatever the context tipped: every tip is also counted on the investor's one tipping
 * stream (`investorTipsDecider` below), which each context's tip decision reads (what was tipped that day, across
 * contexts) and appends to by the same statement. Two tips from two contexts at once therefore cannot both pass the
 * cap: the second append finds the stream moved and is decided again.
 */
import { Decider, DomainEvent } from './decider';
import { checkContent } from './content-guard';
import { DomainError, invalid, ruleViolation } from './errors';

export interface TippingPolicy {
  readonly minMinor: number;
  readonly maxMinor: number;
  readonly dailyCapMinor: number;
  readonly currency: string;
  readonly adultAge: number;
}

export const DEFAULT_TIPPING_POLICY: TippingPolicy = {
  minMinor: 100,
  maxMinor: 50_000,
  dailyCapMinor: 100_000,
  currency: 'CNY',
  adultAge: 18,
};

export interface TipAttempt {
  readonly amountMinor: number;
  readonly currency: string;
  /** Age in whole years on the day of the tip, from the verified date of birth. */
  readonly investorAge: number;
  /** What the investor has tipped on the same business day (tips that did not fail). */
  readonly tippedTodayMinor: number;
  readonly message?: string | null;
}

/** V4 (and V3 for the message): the refusal, or null when the tip may be sent. */
export const tipRefusal = (policy: TippingPolicy, tip: TipAttempt): DomainError | null => {
  if (!Number.isInteger(tip.investorAge) || tip.investorAge < policy.adultAge)
    return ruleViolation('TIPPING.MINOR', 'V4', 'minors cannot tip');
  if (tip.currency !== policy.currency) return invalid('TIPPING.CURRENCY', `tips are in ${policy.currency}`);
  if (!Number.isSafeInteger(tip.amountMinor) || tip.amountMinor < policy.minMinor || tip.amountMinor > policy.maxMinor) {
    return ruleViolation('TIPPING.AMOUNT_OUT_OF_BOUNDS', 'V4', `a tip is between ${policy.minMinor} and ${policy.maxMinor} minor units`, {
      minMinor: policy.minMinor,
      maxMinor: policy.maxMinor,
    });
  }
  if (tip.tippedTodayMinor + tip.amountMinor > policy.dailyCapMinor) {
    return ruleViolation(
      'TIPPING.DAILY_CAP_EXCEEDED',
      'V4',
      `the daily tipping cap is ${policy.dailyCapMinor}; ${tip.tippedTodayMinor} already tipped today`,
      {
        dailyCapMinor: policy.dailyCapMinor,
        tippedTodayMinor: tip.tippedTodayMinor,
      },
    );
  }
  const message = tip.message?.trim() ? tip.message : null;
  if (message) {
    const check = checkContent(message);
    if (!check.ok) {
      return ruleViolation(
        'CONTENT.PROHIBITED_PHRASE',
        check.rule,
        `tip message contains "${check.phrase}" (${check.category}, ${check.legalBasis})`,
        {
          phrase: check.phrase,
          category: check.category,
          legalBasis: check.legalBasis,
        },
      );
    }
  }
  return null;
};

/** Which context took a tip (the contexts where tips exist). */
export type TipSource = 'value-added' | 'community';

export type InvestorTipsCommand =
  | {
      readonly type: 'CountTip';
      readonly tipId: string;
      readonly source: TipSource;
      /** The business day (Asia/Shanghai) the tip counts against. */
      readonly businessDate: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly at: string;
    }
  /** A tip whose payment failed no longer counts against the cap. */
  | { readonly type: 'ReleaseTip'; readonly tipId: string; readonly reason: string; readonly at: string };

export const InvestorTipsEventTypes = { Counted: 'tipping.TipCounted', Released: 'tipping.TipReleased' } as const;

export type InvestorTipsEvent =
  | DomainEvent<
      typeof InvestorTipsEventTypes.Counted,
      {
        readonly tipId: string;
        readonly source: TipSource;
        readonly businessDate: string;
        readonly amountMinor: number;
        readonly currency: string;
        readonly at: string;
      }
    >
  | DomainEvent<
      typeof InvestorTipsEventTypes.Released,
      { readonly tipId: string; readonly businessDate: string; readonly amountMinor: number; readonly reason: string; readonly at: string }
    >;

export interface InvestorTipsState {
  readonly tips: Readonly<Record<string, { readonly businessDate: string; readonly amountMinor: number; readonly released: boolean }>>;
}

/** V4: what counts against the investor's daily cap on `businessDate`, in every context: each tip not released. */
export const tippedOnDay = (state: InvestorTipsState, businessDate: string): number =>
  Object.values(state.tips)
    .filter((tip) => tip.businessDate === businessDate && !tip.released)
    .reduce((sum, tip) => sum + tip.amountMinor, 0);

/**
 * The count behind V4's daily cap. It refuses nothing itself: the context's decision refuses with `tipRefusal`, given
 * `tippedOnDay` of this stream as the decision read it, and counts the tip here by the same statement.
 */
export const investorTipsDecider: Decider<InvestorTipsCommand, InvestorTipsEvent, InvestorTipsState> = {
  initialState: { tips: {} },
  decide: (command, state) => {
    const existing = state.tips[command.tipId];
    if (command.type === 'CountTip') {
      if (existing) return [];
      const { tipId, source, businessDate, amountMinor, currency, at } = command;
      return [{ type: InvestorTipsEventTypes.Counted, data: { tipId, source, businessDate, amountMinor, currency, at } }];
    }
    if (!existing || existing.released) return [];
    return [
      {
        type: InvestorTipsEventTypes.Released,
        data: {
          tipId: command.tipId,
          businessDate: existing.businessDate,
          amountMinor: existing.amountMinor,
          reason: command.reason,
          at: command.at,
        },
      },
    ];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case InvestorTipsEventTypes.Counted:
        return {
          tips: {
            ...state.tips,
            [event.data.tipId]: { businessDate: event.data.businessDate, amountMinor: event.data.amountMinor, released: false },
          },
        };
      case InvestorTipsEventTypes.Released: {
        const tip = state.tips[event.data.tipId];
        return tip ? { tips: { ...state.tips, [event.data.tipId]: { ...tip, released: true } } } : state;
      }
      default:
        return state;
    }
  },
};

/** The investor's one tipping stream, shared by every context that takes tips. */
export const investorTipsStreamId = (investorId: string) => `tipping.investor-${investorId}`;
