/**
 * What a listing offers and the rules on its copy and terms: valid plans, no free trial on advisory plans (V2), the
 * content guard on every piece of copy (V3), copy that is advisory by function (V1) and the terms an advisory listing
 * must carry (L3).
 */
import {
  Advisor,
  CURRENCIES,
  DomainError,
  Horizon,
  checkContent,
  invalid,
  isRiskLevel,
  isSacRegistrationCode,
  ruleViolation,
} from '@app/common';
import { BILLING_PERIODS, BillingPeriod, familyOf, isListingKind, ListingKind, RiskLevel } from '../listing-kinds';

export interface Plan {
  readonly planId: string;
  readonly name: string;
  readonly priceMinor: number;
  readonly currency: string;
  readonly billingPeriod: BillingPeriod;
  readonly trialDays?: number;
}

export type { Advisor } from '@app/common';

/** The factors behind a risk level (SM 16–17), each scored 1 (low) to 5 (high). */
export const RISK_FACTORS = ['liquidity', 'principalLoss', 'complexity', 'leverage'] as const;
export type RiskFactorSheet = Readonly<Record<(typeof RISK_FACTORS)[number], number>> & Readonly<Record<string, number>>;

/** L3: what an advisory listing must carry. Partial while drafting; complete at submission. */
export interface AdvisoryTerms {
  readonly riskLevel?: RiskLevel;
  readonly riskFactors?: Partial<Record<string, number>>;
  readonly horizon?: Horizon;
  readonly varieties?: readonly string[];
  readonly advisors?: readonly Advisor[];
  readonly feeBasis?: string;
  readonly riskDisclosureVersion?: string;
  readonly contractVersion?: string;
}

export interface ListingContent {
  readonly kind: ListingKind;
  readonly title: string;
  readonly description: string;
  readonly plans: readonly Plan[];
  readonly advisory?: AdvisoryTerms;
  /** Education before products (seed 000, G8): course listings the investor completes before buying this one. */
  readonly requiredLessons?: readonly string[];
}

// Value-added copy that gives stock-specific picks, price targets or buy/sell timing is advisory by function (V1).
const ADVISORY_FUNCTION =
  /荐股|买入点|卖出点|买点|卖点|目标价|抄底信号|买卖信号|个股推荐|buysignal|sellsignal|pricetarget|stockpick|targetprice/;

const normalise = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}]/gu, '');

const copyOf = (content: ListingContent): string[] => [content.title, content.description, ...content.plans.map((plan) => plan.name)];

export const offersAdvisoryFunction = (content: ListingContent): boolean =>
  copyOf(content).some((text) => ADVISORY_FUNCTION.test(normalise(text)));

export const guardCopy = (content: ListingContent): DomainError | undefined => {
  for (const text of copyOf(content)) {
    const check = checkContent(text);
    if (!check.ok) {
      return ruleViolation(
        'CONTENT.PROHIBITED_PHRASE',
        check.rule,
        `listing copy contains "${check.phrase}" (${check.category}, ${check.legalBasis})`,
        {
          phrase: check.phrase,
          category: check.category,
          legalBasis: check.legalBasis,
        },
      );
    }
  }
  return undefined;
};

export const validateContent = (content: ListingContent): DomainError | undefined => {
  if (!isListingKind(content.kind)) return invalid('CATALOG.UNKNOWN_KIND', `unknown listing kind ${String(content.kind)}`);
  if (!content.title?.trim()) return invalid('CATALOG.TITLE_REQUIRED', 'a listing needs a title');
  const planIds = new Set<string>();
  for (const plan of content.plans) {
    if (planIds.has(plan.planId)) return invalid('CATALOG.DUPLICATE_PLAN', `plan ${plan.planId} appears twice`);
    planIds.add(plan.planId);
    if (!Number.isSafeInteger(plan.priceMinor) || plan.priceMinor < 0) {
      return invalid('CATALOG.PLAN_PRICE_INVALID', `plan ${plan.planId}: price is a non-negative integer in minor units`);
    }
    if (!(CURRENCIES as readonly string[]).includes(plan.currency))
      return invalid('CATALOG.PLAN_CURRENCY_INVALID', `plan ${plan.planId}: unknown currency`);
    if (!(BILLING_PERIODS as readonly string[]).includes(plan.billingPeriod)) {
      return invalid('CATALOG.PLAN_PERIOD_INVALID', `plan ${plan.planId}: billing period is month, quarter, year or one_off`);
    }
    if (plan.trialDays !== undefined) {
      if (!Number.isInteger(plan.trialDays) || plan.trialDays < 1 || plan.trialDays > 90) {
        return invalid('CATALOG.PLAN_TRIAL_INVALID', `plan ${plan.planId}: trial is 1 to 90 whole days`);
      }
      if (plan.billingPeriod === 'one_off')
        return invalid('CATALOG.PLAN_TRIAL_INVALID', `plan ${plan.planId}: one-off purchases have no trial`);
    }
  }
  if (familyOf(content.kind) === 'advisory' && content.plans.some((plan) => plan.trialDays !== undefined)) {
    // A free trial is an incentive; incentives never apply to advisory products.
    return ruleViolation('CATALOG.ADVISORY_TRIAL_NOT_ALLOWED', 'V2', 'advisory plans cannot offer a free trial');
  }
  return guardCopy(content);
};

/** L3: the advisory terms missing from a listing, by field name. */
export const missingAdvisoryTerms = (terms: AdvisoryTerms | undefined): string[] => {
  const missing: string[] = [];
  if (!isRiskLevel(terms?.riskLevel)) missing.push('riskLevel');
  const factors = terms?.riskFactors ?? {};
  for (const factor of RISK_FACTORS) {
    const score = factors[factor];
    if (score === undefined || !Number.isInteger(score) || score < 1 || score > 5) missing.push(`riskFactors.${factor}`);
  }
  if (!terms?.horizon) missing.push('horizon');
  if (!terms?.varieties?.length) missing.push('varieties');
  if (!terms?.advisors?.length) missing.push('advisors');
  for (const [index, advisor] of (terms?.advisors ?? []).entries()) {
    if (!advisor.name?.trim()) missing.push(`advisors[${index}].name`);
    if (!isSacRegistrationCode(advisor.sacRegistrationCode ?? '')) missing.push(`advisors[${index}].sacRegistrationCode`);
  }
  if (!terms?.feeBasis?.trim()) missing.push('feeBasis');
  if (!terms?.riskDisclosureVersion?.trim()) missing.push('riskDisclosureVersion');
  if (!terms?.contractVersion?.trim()) missing.push('contractVersion');
  return missing;
};
