/**
 * Vocabulary shared by the advisory deciders: risk categories (risk levels and horizons are the kernel's, shared with
 * catalog), the investor's objectives, and the evidence stamp (who, when, through which channel) that every advisory
 * event carries in its own data so that the regulated record can be read back without the store's metadata (E4).
 */
import type { Horizon, RiskLevel } from '@app/common';

export const RISK_CATEGORIES = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export { HORIZONS, RISK_LEVELS, horizonRank } from '@app/common';
export type { Horizon, RiskLevel } from '@app/common';

/** 1 for C1/R1 … 5 for C5/R5. */
export const rank = (value: RiskCategory | RiskLevel): number => Number(value.slice(1));

/** What an advisory product invests in, and therefore which investment varieties the investor must be seeking. */
export const VARIETIES = ['equities', 'funds', 'bonds', 'derivatives', 'multi_asset'] as const;
export type Variety = (typeof VARIETIES)[number];

export const GOALS = ['capital_preservation', 'steady_income', 'balanced_growth', 'growth', 'aggressive_growth'] as const;
export type Goal = (typeof GOALS)[number];

export interface InvestmentObjectives {
  readonly goal: Goal;
  readonly varieties: readonly Variety[];
  readonly horizon: Horizon;
}

export type Classification = 'ordinary' | 'professional';

export type { Step } from '@app/common';

/** Calendar days are Beijing days: mainland market practice, and what an investor means by "today". */
export const BEIJING_OFFSET_MINUTES = 8 * 60;

/** The local calendar date (YYYY-MM-DD) of an instant at a fixed UTC offset. */
export const localDate = (atIso: string, offsetMinutes: number = BEIJING_OFFSET_MINUTES): string =>
  new Date(Date.parse(atIso) + offsetMinutes * 60_000).toISOString().slice(0, 10);

/** The instant that ends a local calendar date (the last millisecond of that day at the offset), ISO. */
export const endOfLocalDate = (date: string, offsetMinutes: number = BEIJING_OFFSET_MINUTES): string =>
  new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000 - 1 - offsetMinutes * 60_000).toISOString();

export const addMonths = (atIso: string, months: number): string => {
  const at = new Date(atIso);
  const day = at.getUTCDate();
  const shifted = new Date(at.getTime());
  shifted.setUTCDate(1);
  shifted.setUTCMonth(shifted.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(day, lastDay));
  return shifted.toISOString();
};

export const addHours = (atIso: string, hours: number): string => new Date(Date.parse(atIso) + hours * 3_600_000).toISOString();

export const isBefore = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);

export const INCOME_BANDS = ['under_100k', '100k_500k', '500k_1m', 'over_1m'] as const;
export type IncomeBand = (typeof INCOME_BANDS)[number];

export const ASSETS_BANDS = ['under_500k', '500k_3m', '3m_5m', 'over_5m'] as const;
export type AssetsBand = (typeof ASSETS_BANDS)[number];

/** The least a band guarantees, in fen: what an access threshold can rely on. */
export const assetsBandFloorMinor = (band: AssetsBand): number =>
  ({ under_500k: 0, '500k_3m': 50_000_000, '3m_5m': 300_000_000, over_5m: 500_000_000 })[band];
