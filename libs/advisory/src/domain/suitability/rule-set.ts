/**
 * Suitability rule set SM-2025.1 (A4, A5; SM 18, 19, 22; AMAC 44). Pure and versioned: every decision carries the
 * version and the rules that fired, so a matching opinion can be re-derived years later (E4). A new interpretation of
 * the rules is a new version, never an edit of this one.
 */
import {
  AssetsBand,
  Classification,
  Horizon,
  InvestmentObjectives,
  RiskCategory,
  RiskLevel,
  assetsBandFloorMinor,
  horizonRank,
  rank,
} from '../shared';

export const SUITABILITY_RULE_SET_VERSION = 'SM-2025.1';

/** 'investor' only when no recorded contact about the product precedes the purchase (A5, see attribution). */
export type Initiator = 'investor' | 'recommendation' | 'push' | 'advisor_contact' | 'campaign';

export interface SuitabilityInvestor {
  readonly classification: Classification;
  readonly category: RiskCategory;
  readonly lowestCategory: boolean;
  readonly objectives: InvestmentObjectives;
  readonly experienceYears: number;
  readonly assetsBand: AssetsBand;
}

export interface AccessRequirements {
  readonly minExperienceYears?: number;
  readonly minFinancialAssetsMinor?: number;
}

export interface SuitabilityProduct {
  readonly riskLevel: RiskLevel;
  readonly horizon: Horizon;
  /** What it invests in; unknown varieties never fit (they are not in anyone's objectives). */
  readonly varieties: readonly string[];
  readonly access?: AccessRequirements;
}

export interface SuitabilityRequest {
  readonly initiatedBy: Initiator;
  readonly specialRiskWarningSigned: boolean;
  readonly insistenceRecorded: boolean;
  /**
   * 'opinion': the matching step; a missing warning or insistence is outstanding work, not a refusal.
   * 'purchase': the gate; everything must already hold.
   */
  readonly stage: 'opinion' | 'purchase';
}

export type SuitabilityDecision = 'match' | 'mismatch_allowed_with_warning' | 'refused';

export interface FiredRule {
  readonly rule: string; // domain.md rule ID
  readonly code: string;
  readonly ref: string; // the regulation article behind it
  readonly blocking: boolean;
}

export type Outstanding = 'special_risk_warning' | 'insistence';

export interface SuitabilityResult {
  readonly ruleSetVersion: string;
  readonly decision: SuitabilityDecision;
  readonly fired: readonly FiredRule[];
  readonly levelFit: 'within' | 'above';
  readonly objectiveFit: boolean;
  readonly accessMet: boolean;
  readonly outstanding: readonly Outstanding[];
}

/** The highest product risk level an ordinary investor's tolerance covers (the lowest category stops at R1). */
export const maxRiskLevelRank = (investor: Pick<SuitabilityInvestor, 'category' | 'lowestCategory'>): number =>
  investor.lowestCategory ? 1 : rank(investor.category);

/** SM 22(4): the product's horizon must not exceed the investor's, and every variety it invests in must be one they seek. */
export const fitsObjectives = (objectives: InvestmentObjectives, product: Pick<SuitabilityProduct, 'horizon' | 'varieties'>): boolean =>
  horizonRank(product.horizon) <= horizonRank(objectives.horizon) &&
  product.varieties.length > 0 &&
  product.varieties.every((v) => (objectives.varieties as readonly string[]).includes(v));

export const meetsAccess = (investor: Pick<SuitabilityInvestor, 'experienceYears' | 'assetsBand'>, access?: AccessRequirements): boolean =>
  (access?.minExperienceYears === undefined || investor.experienceYears >= access.minExperienceYears) &&
  (access?.minFinancialAssetsMinor === undefined || assetsBandFloorMinor(investor.assetsBand) >= access.minFinancialAssetsMinor);

const fired = (rule: string, code: string, ref: string, blocking: boolean): FiredRule => ({ rule, code, ref, blocking });

export const checkSuitability = (
  investor: SuitabilityInvestor,
  product: SuitabilityProduct,
  request: SuitabilityRequest,
): SuitabilityResult => {
  const levelFit = rank(product.riskLevel) <= maxRiskLevelRank(investor) ? 'within' : 'above';
  const objectiveFit = fitsObjectives(investor.objectives, product);
  const accessMet = meetsAccess(investor, product.access);
  const rules: FiredRule[] = [];
  const result = (decision: SuitabilityDecision, outstanding: Outstanding[] = []): SuitabilityResult => ({
    ruleSetVersion: SUITABILITY_RULE_SET_VERSION,
    decision,
    fired: rules,
    levelFit,
    objectiveFit,
    accessMet,
    outstanding,
  });

  if (!accessMet) rules.push(fired('A5', 'SUITABILITY.ACCESS_THRESHOLD_NOT_MET', 'SM 22(1)', true));

  if (investor.classification === 'professional') {
    rules.push(fired('A2', 'SUITABILITY.PROFESSIONAL_ANY_LEVEL', 'SM 8', false));
    return result(accessMet ? 'match' : 'refused');
  }

  if (levelFit === 'within' && objectiveFit) {
    rules.push(fired('A4', 'SUITABILITY.WITHIN_TOLERANCE', 'SM 18', false));
    return result(accessMet ? 'match' : 'refused');
  }

  if (levelFit === 'above') rules.push(fired('A4', 'SUITABILITY.ABOVE_RISK_TOLERANCE', 'SM 18', false));
  if (!objectiveFit) rules.push(fired('A4', 'SUITABILITY.OBJECTIVES_MISMATCH', 'SM 22(4)', false));

  if (investor.lowestCategory && rank(product.riskLevel) > 1) {
    rules.push(fired('A5', 'SUITABILITY.LOWEST_CATEGORY_ABOVE_R1', 'SM 22(5)', true));
  }
  if (request.initiatedBy !== 'investor') {
    rules.push(fired('A5', 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', levelFit === 'above' ? 'SM 22(3)' : 'SM 22(4)', true));
  }

  const outstanding: Outstanding[] = [];
  if (!request.specialRiskWarningSigned) outstanding.push('special_risk_warning');
  if (!request.insistenceRecorded) outstanding.push('insistence');
  if (request.stage === 'purchase') {
    if (!request.specialRiskWarningSigned) rules.push(fired('A5', 'SUITABILITY.SPECIAL_RISK_WARNING_NOT_SIGNED', 'SM 19', true));
    if (!request.insistenceRecorded) rules.push(fired('A5', 'SUITABILITY.INSISTENCE_NOT_RECORDED', 'SM 19', true));
  }

  if (rules.some((r) => r.blocking)) return result('refused');
  if (outstanding.length === 0) rules.push(fired('A5', 'SUITABILITY.INVESTOR_INSISTED_AFTER_WARNING', 'SM 19', false));
  return result('mismatch_allowed_with_warning', request.stage === 'opinion' ? outstanding : []);
};

export const blockingRules = (result: SuitabilityResult): FiredRule[] => result.fired.filter((r) => r.blocking);

/**
 * SM 22(3)-(4): what may be listed, ranked or recommended to an investor. An ordinary investor never sees an advisory
 * product above their level or outside their objectives; without an assessment in force nothing is offered.
 */
export const isListableFor = (investor: SuitabilityInvestor | null, product: SuitabilityProduct): boolean => {
  if (!investor) return false;
  if (!meetsAccess(investor, product.access)) return false;
  if (investor.classification === 'professional') return true;
  return rank(product.riskLevel) <= maxRiskLevelRank(investor) && fitsObjectives(investor.objectives, product);
};

export const filterListable = <P extends SuitabilityProduct>(investor: SuitabilityInvestor | null, products: readonly P[]): P[] =>
  products.filter((p) => isListableFor(investor, p));
