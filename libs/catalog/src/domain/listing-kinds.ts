/** The two product families (domain.md) and the kinds of listing each one sells. */
export const VALUE_ADDED_KINDS = [
  'level2_data',
  'course',
  'tool',
  'article',
  'simulated_trading_prop',
  'live_stream_tipping_target',
] as const;
export const ADVISORY_KINDS = ['stock_picking_strategy', 'trading_strategy', 'human_advisor_service'] as const;

export type ValueAddedKind = (typeof VALUE_ADDED_KINDS)[number];
export type AdvisoryKind = (typeof ADVISORY_KINDS)[number];
export type ListingKind = ValueAddedKind | AdvisoryKind;
export type ProductFamily = 'value_added' | 'advisory';

export const LISTING_KINDS: readonly ListingKind[] = [...VALUE_ADDED_KINDS, ...ADVISORY_KINDS];

export const isListingKind = (value: string): value is ListingKind => (LISTING_KINDS as readonly string[]).includes(value);

export const familyOf = (kind: ListingKind): ProductFamily =>
  (ADVISORY_KINDS as readonly string[]).includes(kind) ? 'advisory' : 'value_added';

export const BILLING_PERIODS = ['month', 'quarter', 'year', 'one_off'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

export { RISK_LEVELS, riskRank } from '@app/common';
export type { RiskLevel } from '@app/common';
