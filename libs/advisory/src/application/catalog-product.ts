/**
 * How the advisory context reads a catalog listing: the published advisory terms (L3) of one plan become the product
 * snapshot the engagement decider checks. Unknown document versions or a one-off plan make the product unpurchasable
 * here rather than letting a sale proceed on terms nobody can show the investor.
 */
import { DomainError, isHorizon, isRiskLevel, ruleViolation } from '@app/common';
import type { ListingState } from '@app/catalog';
import { AdvisoryProductSnapshot, CURRENT_SPECIAL_RISK_WARNING_VERSION, documentRef, findDocument } from '../domain';

const PERIOD_MONTHS: Record<string, number> = { month: 1, quarter: 3, year: 12 };

/** The catalog names markets and instruments; suitability compares asset classes. Unknown names stay as they are and fit nobody. */
const ASSET_CLASS: Record<string, string> = {
  a_shares: 'equities',
  b_shares: 'equities',
  hk_shares: 'equities',
  us_shares: 'equities',
  stocks: 'equities',
  equity: 'equities',
  etf: 'funds',
  mutual_funds: 'funds',
  fund: 'funds',
  bond: 'bonds',
  convertible_bonds: 'bonds',
  futures: 'derivatives',
  options: 'derivatives',
  warrants: 'derivatives',
};

export const assetClassOf = (variety: string): string => ASSET_CLASS[variety] ?? variety;

export const advisoryProductFrom = (
  listing: ListingState,
  planId: string | undefined,
  ratingVersion: number,
): AdvisoryProductSnapshot | DomainError => {
  if (listing.status === 'none') return new DomainError('not_found', 'PRODUCT.NOT_FOUND', 'no such listing');
  if (listing.family !== 'advisory') return ruleViolation('PRODUCT.NOT_ADVISORY', 'V1', 'this listing is not an advisory product');
  const terms = listing.content.advisory;
  const plan = planId ? listing.content.plans.find((p) => p.planId === planId) : listing.content.plans[0];
  if (!plan) return new DomainError('not_found', 'PRODUCT.PLAN_NOT_FOUND', 'no such plan on this listing');
  const months = PERIOD_MONTHS[plan.billingPeriod];
  if (!months) return ruleViolation('PRODUCT.PLAN_NOT_PERIODIC', 'L3', 'advisory services are sold per period');
  if (!isRiskLevel(terms?.riskLevel) || !isHorizon(terms.horizon)) {
    return ruleViolation('PRODUCT.TERMS_INCOMPLETE', 'L3', 'the listing lacks its risk level or horizon');
  }
  const disclosure = findDocument('risk_disclosure', terms.riskDisclosureVersion ?? '');
  const warning = findDocument('special_risk_warning', CURRENT_SPECIAL_RISK_WARNING_VERSION);
  if (!disclosure || !warning)
    return ruleViolation('PRODUCT.DOCUMENT_UNKNOWN', 'A6', `unknown risk disclosure version ${terms.riskDisclosureVersion}`);
  return {
    productId: listing.listingId,
    planId: plan.planId,
    name: listing.content.title,
    published: listing.status === 'published',
    riskLevel: terms.riskLevel,
    ratingVersion,
    horizon: terms.horizon,
    varieties: [...new Set((terms.varieties ?? []).map(assetClassOf))],
    advisors: terms.advisors ?? [],
    feeBasis: { kind: 'fixed_per_period', amountMinor: plan.priceMinor, currency: plan.currency, periodMonths: months },
    riskDisclosure: documentRef(disclosure),
    specialRiskWarning: documentRef(warning),
    contractTemplateVersion: terms.contractVersion ?? '',
  };
};
