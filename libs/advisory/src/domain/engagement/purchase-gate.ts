/**
 * The purchase gate (A7) and how refusals are ordered: everything that made the sale acceptable at matching must still
 * hold at the purchase or renewal, and a refusal leads with the most fundamental rule broken.
 */
import { DomainError, ruleViolation } from '@app/common';
import { Attribution, attributeInitiation } from '../attribution/attribution';
import { suitabilityInvestor } from '../investor/investor.decider';
import { SuitabilityResult, blockingRules, checkSuitability } from '../suitability/rule-set';
import { EducationStanding, PurchaseSubscription } from './engagement.commands';
import { MatchingOpinion } from './engagement.events';
import { Engagement } from './engagement.state';

export interface Violation {
  readonly rule: string;
  readonly code: string;
  readonly message: string;
}

export const v = (rule: string, code: string, message: string): Violation => ({ rule, code, message });

/**
 * Which refusal leads when several rules are broken: the most fundamental first. Suitability prohibitions (the lowest
 * category, above-level without the investor's own initiative, access thresholds) come before the other gates (no
 * incentives, an open account, a published product), then the assessment in force, then anything that changed since
 * matching, then the lessons the listing requires (G8, education before products), and last the documents and
 * signatures still missing. Codes not listed rank last, in the order found.
 */
export const REFUSAL_PRECEDENCE: readonly (readonly string[])[] = [
  ['SUITABILITY.LOWEST_CATEGORY_ABOVE_R1'],
  ['SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', 'SUITABILITY.ACCESS_THRESHOLD_NOT_MET'],
  ['PURCHASE.INCENTIVE_NOT_ALLOWED', 'PURCHASE.ACCOUNT_NOT_OPEN', 'PURCHASE.PRODUCT_NOT_PUBLISHED'],
  ['PURCHASE.ASSESSMENT_EXPIRED', 'PURCHASE.ASSESSMENT_NOT_IN_FORCE'],
  [
    'PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING',
    'PURCHASE.CLASSIFICATION_CHANGED_SINCE_MATCHING',
    'PURCHASE.PRODUCT_RERATED_SINCE_MATCHING',
  ],
  ['EDUCATION.LESSONS_REQUIRED'],
];
const precedence = (code: string): number => {
  const tier = REFUSAL_PRECEDENCE.findIndex((codes) => codes.includes(code));
  return tier === -1 ? REFUSAL_PRECEDENCE.length : tier;
};

/** One refusal naming the most fundamental rule broken at top level, and every violation in `details`. */
export const refuse = (found: readonly Violation[], extra: Record<string, unknown> = {}): DomainError => {
  const violations = [...found].sort((a, b) => precedence(a.code) - precedence(b.code));
  return ruleViolation(violations[0].code, violations[0].rule, violations[0].message, { violations, ...extra });
};

/** G8: the required lessons the investor has not completed, in the listing's order. */
export const missingLessons = (education: EducationStanding): string[] => {
  const done = new Set(education.completedLessons);
  return education.requiredLessons.filter((lessonId) => !done.has(lessonId));
};

/** G8: a listing that requires lessons is bought only once the investor has completed every one of them. */
export const educationViolations = (education: EducationStanding): Violation[] => {
  const missing = missingLessons(education);
  return missing.length === 0
    ? []
    : [
        v(
          'G8',
          'EDUCATION.LESSONS_REQUIRED',
          `complete the required lessons before buying this product (education before products): ${missing.length} missing`,
        ),
      ];
};

export const opinionOf = (result: SuitabilityResult): MatchingOpinion => ({
  ruleSetVersion: result.ruleSetVersion,
  decision: result.decision,
  fired: result.fired,
  levelFit: result.levelFit,
  objectiveFit: result.objectiveFit,
  outstanding: result.outstanding,
});

export const suitabilityMessage = (code: string, ref: string, attribution: Attribution): string => {
  const contact = attribution.contact;
  if (code === 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED' && contact) {
    return `suitability refused (${ref}): the investor was contacted about this product (${contact.source}, ${contact.step.at}) within ${attribution.windowDays} days, so the purchase is not investor-initiated`;
  }
  return `suitability refused (${ref})`;
};

/**
 * A7: everything that made the sale acceptable must still hold now. Returns every failure, not just the first, so the
 * refusal names all rule IDs involved.
 */
export const purchaseGate = (
  state: Engagement,
  command: Pick<PurchaseSubscription, 'investor' | 'product' | 'price' | 'incentives' | 'attributionWindowDays' | 'step'>,
  renewal: boolean,
): { violations: Violation[]; suitability: SuitabilityResult | null; attribution: Attribution } => {
  const { investor, product, price, incentives } = command;
  const violations: Violation[] = [];
  // A5: whatever was claimed at matching, a contact recorded since about this product makes it not investor-initiated.
  const attribution = attributeInitiation(
    investor.contacts,
    state.productId,
    command.step.at,
    command.attributionWindowDays,
    state.initiatedBy,
  );
  if (incentives.length > 0)
    violations.push(v('V2', 'PURCHASE.INCENTIVE_NOT_ALLOWED', 'coupons, points and cash-back never apply to advisory products'));
  if (!investor.accountOpen) violations.push(v('A1', 'PURCHASE.ACCOUNT_NOT_OPEN', 'no advisory account is open'));
  const standing = investor.standing;
  if (!standing.inForce) {
    violations.push(
      standing.reason === 'expired'
        ? v('A7', 'PURCHASE.ASSESSMENT_EXPIRED', 'the risk assessment has expired; take a new one and match again')
        : v('A7', 'PURCHASE.ASSESSMENT_NOT_IN_FORCE', `no risk assessment is in force (${standing.reason})`),
    );
  } else {
    const matched = state.matching.investor;
    const current = standing.assessment;
    if (
      current.assessmentId !== matched.assessmentId ||
      current.category !== matched.category ||
      current.lowestCategory !== matched.lowestCategory
    ) {
      violations.push(v('A7', 'PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING', 'the risk assessment changed since matching; match again'));
    }
  }
  if (investor.classification !== state.matching.investor.classification) {
    violations.push(
      v('A7', 'PURCHASE.CLASSIFICATION_CHANGED_SINCE_MATCHING', 'the investor classification changed since matching; match again'),
    );
  }
  if (!product.published) violations.push(v('L1', 'PURCHASE.PRODUCT_NOT_PUBLISHED', 'only published listings can be bought'));
  if (product.ratingVersion !== state.rating.ratingVersion || product.riskLevel !== state.rating.riskLevel) {
    violations.push(v('A7', 'PURCHASE.PRODUCT_RERATED_SINCE_MATCHING', 'the product risk level changed since matching; match again'));
  }
  if (!renewal) {
    if (!state.disclosure) violations.push(v('A6', 'PURCHASE.RISK_DISCLOSURE_NOT_CONFIRMED', 'the risk disclosure has not been confirmed'));
    else if (state.disclosure.contentHash !== product.riskDisclosure.contentHash) {
      violations.push(v('A6', 'PURCHASE.RISK_DISCLOSURE_OUTDATED', 'the risk disclosure changed since it was confirmed'));
    }
    if (!state.contract) violations.push(v('A6', 'PURCHASE.CONTRACT_NOT_SIGNED', 'the advisory contract has not been signed'));
  }
  if (
    state.contract &&
    (price.amountMinor !== state.contract.feeBasis.amountMinor || price.currency !== state.contract.feeBasis.currency)
  ) {
    violations.push(v('A6', 'PURCHASE.PRICE_NOT_CONTRACT_FEE', 'the price differs from the fee in the signed contract'));
  }
  const engineInvestor = suitabilityInvestor(investor);
  const suitability = engineInvestor
    ? checkSuitability(engineInvestor, product, {
        initiatedBy: attribution.initiatedBy,
        specialRiskWarningSigned: state.warningRatingVersion === product.ratingVersion,
        insistenceRecorded: state.insistenceRatingVersion === product.ratingVersion,
        stage: 'purchase',
      })
    : null;
  for (const rule of suitability ? blockingRules(suitability) : []) {
    violations.push(v(rule.rule, rule.code, suitabilityMessage(rule.code, rule.ref, attribution)));
  }
  return { violations, suitability, attribution };
};
