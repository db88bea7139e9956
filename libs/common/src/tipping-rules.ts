/**
 * The tipping rule (V4), shared by every context that takes tips (value-added's live-stream targets, community's live
 * sessions and posts): the amount within configured bounds, a per-investor daily cap, no tips from minors, and a tip
 * message that passes the content guard (V3). Pure: the caller gives what the investor already tipped that day.
 */
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
