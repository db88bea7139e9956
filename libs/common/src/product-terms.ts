/**
 * The terms an advisory product is listed with in catalog and matched on in advisory (SM: risk levels, horizons, and
 * the registered advisors who serve it). Defined once, so the terms a listing is reviewed with are the terms an
 * investor is matched against.
 */

export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const isRiskLevel = (value: unknown): value is RiskLevel => (RISK_LEVELS as readonly unknown[]).includes(value);

/** 1 for R1 … 5 for R5. */
export const riskRank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level) + 1;

/** short: under 1 year; medium: 1 to 5 years; long: over 5 years. */
export const HORIZONS = ['short', 'medium', 'long'] as const;
export type Horizon = (typeof HORIZONS)[number];

export const isHorizon = (value: unknown): value is Horizon => (HORIZONS as readonly unknown[]).includes(value);

export const horizonRank = (horizon: Horizon): number => HORIZONS.indexOf(horizon);

/** An investment adviser named on an advisory product and its contract. */
export interface Advisor {
  readonly advisorId: string;
  readonly name: string;
  /** SAC (中国证券业协会) registration code: a letter and 13 digits, e.g. S0260611080001. */
  readonly sacRegistrationCode: string;
}

export const isSacRegistrationCode = (code: string): boolean => /^[A-Z]\d{13}$/.test(code);
