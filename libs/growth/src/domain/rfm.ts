/**
 * RFM segmentation from captured payments: recency (days since the last payment), frequency (payments) and monetary
 * value (sum, minor units), each scored 1–5 by quintile of the paying population (5 best: most recent, most frequent,
 * most spent), then named segments (RFM_SEGMENTS).
 */
import { RfmSegment } from './segments';

export interface RfmInput {
  readonly investorId: string;
  readonly lastPaymentAt: Date;
  readonly payments: number;
  readonly monetaryMinor: number;
}

export interface RfmScore {
  readonly investorId: string;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly segment: RfmSegment;
}

/** The four cut points (20th, 40th, 60th, 80th percentile, nearest rank) of sorted values. */
export const quintileCuts = (sorted: readonly number[]): readonly number[] =>
  sorted.length === 0
    ? []
    : [0.2, 0.4, 0.6, 0.8].map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]);

/** 1 + the number of cut points strictly below the value: 1 (lowest fifth) … 5 (highest fifth); ties score alike. */
export const scoreAgainst = (value: number, cuts: readonly number[]): number => 1 + cuts.filter((cut) => value > cut).length;

/**
 * The named segment of a score. Recency weighs most (a recent payer is not lost, however little they spent):
 * champions pay recently, often and much; loyal pay often; new paid recently for the first time; potential paid
 * recently; at_risk paid often or much but not lately; hibernating paid a while ago, little; lost are the least recent.
 */
export const segmentOf = (r: number, f: number, m: number): RfmSegment => {
  const fm = (f + m) / 2;
  if (r >= 4 && fm >= 4) return 'champions';
  if (r >= 3 && fm >= 3) return 'loyal';
  if (r >= 4 && f <= 1) return 'new';
  if (r >= 3) return 'potential';
  if (fm >= 3) return 'at_risk';
  if (r === 2) return 'hibernating';
  return 'lost';
};

export interface RfmThresholds {
  /** Cut points of days since the last payment (fewer days is better, so scores are reversed). */
  readonly recencyDays: readonly number[];
  readonly frequency: readonly number[];
  readonly monetaryMinor: readonly number[];
}

export const daysBetween = (from: Date, to: Date): number => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));

export const rfmThresholds = (inputs: readonly RfmInput[], asOf: Date): RfmThresholds => {
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  return {
    recencyDays: quintileCuts(sorted(inputs.map((input) => daysBetween(input.lastPaymentAt, asOf)))),
    frequency: quintileCuts(sorted(inputs.map((input) => input.payments))),
    monetaryMinor: quintileCuts(sorted(inputs.map((input) => input.monetaryMinor))),
  };
};

export const scoreWith = (input: RfmInput, thresholds: RfmThresholds, asOf: Date): RfmScore => {
  const r = 6 - scoreAgainst(daysBetween(input.lastPaymentAt, asOf), thresholds.recencyDays);
  const f = scoreAgainst(input.payments, thresholds.frequency);
  const m = scoreAgainst(input.monetaryMinor, thresholds.monetaryMinor);
  return { investorId: input.investorId, r, f, m, segment: segmentOf(r, f, m) };
};

/** Scores a whole population (the reference the SQL refresh is tested against). */
export const scoreRfm = (inputs: readonly RfmInput[], asOf: Date): RfmScore[] => {
  const thresholds = rfmThresholds(inputs, asOf);
  return inputs.map((input) => scoreWith(input, thresholds, asOf));
};
