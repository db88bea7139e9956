/**
 * G3 (V3, V2, SM 22(3)): what may be said, and about which product to whom. Pure: the content guard, the incentive rule
 * and the investor's matching opinion come in as facts; the refusal names the rule that refused.
 */
import { checkContent, DomainError, ruleViolation } from '@app/common';

export type ProductFamily = 'value_added' | 'advisory';

/** What a message offers besides its text: points, a coupon or a discount are incentives (V2). */
export interface Incentive {
  readonly kind: 'points' | 'coupon' | 'discount';
  readonly reference: string;
}

export interface MessageTemplate {
  readonly title: string;
  readonly body: string;
  readonly productId: string | null;
  readonly productFamily: ProductFamily | null;
  readonly incentive: Incentive | null;
}

/** G3 with V3 and V2: a template's text passes the content guard, and a message about an advisory product carries no incentive. */
export const checkTemplate = (template: MessageTemplate): DomainError | null => {
  for (const text of [template.title, template.body]) {
    const check = checkContent(text);
    if (!check.ok) {
      return ruleViolation(
        'CONTENT.PROHIBITED_PHRASE',
        'V3',
        `the message contains "${check.phrase}" (${check.category}, ${check.legalBasis})`,
        {
          phrase: check.phrase,
          category: check.category,
          legalBasis: check.legalBasis,
          via: 'G3',
        },
      );
    }
  }
  if (template.productId !== null && template.productFamily === null)
    return ruleViolation('REACH.PRODUCT_NOT_PUBLISHED', 'G3', 'a message can name a published product only');
  if (template.productFamily === 'advisory' && template.incentive !== null) {
    return ruleViolation(
      'REACH.INCENTIVE_ON_ADVISORY',
      'V2',
      `a message about an advisory product cannot carry ${template.incentive.kind} (G3, V2, SM 29)`,
      { via: 'G3' },
    );
  }
  return null;
};

/** The investor's standing towards an advisory product, as advisory gives it (its public `messageOpinion`). */
export interface ProductOpinion {
  readonly published: boolean;
  readonly accountOpen: boolean;
  readonly assessmentInForce: boolean;
  readonly lowestCategory: boolean;
  readonly classification: string;
  readonly levelFit: 'within' | 'above' | null;
  readonly objectiveFit: boolean | null;
  readonly decision: 'match' | 'mismatch_allowed_with_warning' | 'refused';
}

export interface Refusal {
  readonly code: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * G3: an advisory product appears in a message only to an investor whose current matching opinion allows it: never to
 * the lowest category, never above their level or against their objectives (SM 22(3)-(4)), never without an
 * assessment in force. A firm-initiated contact has no "insisted after warning" path: only a match lets it through.
 */
export const refuseAdvisoryMessage = (opinion: ProductOpinion): Refusal | null => {
  if (!opinion.published) return { code: 'REACH.PRODUCT_NOT_PUBLISHED', rule: 'G3', message: 'the product is not on sale' };
  if (!opinion.accountOpen || !opinion.assessmentInForce) {
    return {
      code: 'REACH.NO_MATCHING_OPINION',
      rule: 'G3',
      message: 'the investor has no risk assessment in force, so no matching opinion allows the product (A3, A4)',
    };
  }
  if (opinion.lowestCategory)
    return {
      code: 'REACH.LOWEST_CATEGORY',
      rule: 'G3',
      message: 'advisory products are never promoted to an investor in the lowest category',
    };
  if (opinion.classification === 'professional' && opinion.decision === 'match') return null;
  if (opinion.levelFit === 'above')
    return { code: 'REACH.ABOVE_RISK_LEVEL', rule: 'G3', message: "the product's risk level is above the investor's tolerance (SM 22(3))" };
  if (opinion.objectiveFit === false)
    return { code: 'REACH.AGAINST_OBJECTIVES', rule: 'G3', message: "the product does not fit the investor's objectives (SM 22(3)-(4))" };
  if (opinion.decision !== 'match')
    return { code: 'REACH.NOT_MATCHED', rule: 'G3', message: 'the matching opinion does not allow the product' };
  return null;
};

export const refusalError = (refusal: Refusal): DomainError => ruleViolation(refusal.code, refusal.rule, refusal.message);

/** G1: no message on a channel without the investor's consent to it. */
export const NO_CONSENT: Refusal = {
  code: 'REACH.NO_CONSENT',
  rule: 'G1',
  message: 'the investor has not consented to messages on this channel',
};
