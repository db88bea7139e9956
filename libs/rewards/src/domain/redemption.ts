/**
 * Redeeming points for a discount (G5, V2): points buy a single-use coupon on a value-added product, never anything
 * on an advisory product and never cash. Pure: the handler reads the listing and appends what this decides.
 */
import { DomainError, Money, Step, notFound, ruleViolation } from '@app/common';
import { LedgerCommand } from './points-ledger';

/** What a number of points buys: an amount off a value-added product, valid for some days (configuration). */
export interface RedemptionOption {
  readonly optionId: string;
  readonly points: number;
  readonly amountOff: Money;
  readonly validDays: number;
}

/** The listing as the catalog has it: its family decides whether an incentive may touch it (V2). */
export type ListingFacts =
  | { readonly status: 'none' }
  | { readonly status: 'published' | 'unpublished'; readonly listingId: string; readonly family: 'value_added' | 'advisory' };

/** The single-use coupon the redemption issues, for the value-added coupon machinery. */
export interface RedeemedCoupon {
  readonly code: string;
  readonly investorId: string;
  readonly listingId: string;
  readonly amountOff: Money;
  readonly validFrom: string;
  readonly validUntil: string;
}

export const redemptionCouponCode = (redemptionId: string) => `PTS-${redemptionId.replace(/-/g, '').toUpperCase()}`;

export const redeemPoints = (
  option: RedemptionOption,
  listing: ListingFacts,
  request: { readonly investorId: string; readonly redemptionId: string; readonly listingId: string; readonly step: Step },
): { spend: Extract<LedgerCommand, { type: 'SpendPoints' }>; coupon: RedeemedCoupon } | DomainError => {
  if (listing.status === 'none') return notFound('CATALOG.LISTING_NOT_FOUND', `no listing ${request.listingId}`);
  // V2 before anything else: points never discount an advisory product, whatever the balance.
  if (listing.family === 'advisory') {
    return ruleViolation(
      'REWARDS.NOT_FOR_ADVISORY',
      'V2',
      'points and other incentives apply to value-added products only, never to advisory products',
      { listingId: listing.listingId },
    );
  }
  if (listing.status !== 'published') return notFound('CATALOG.LISTING_NOT_FOUND', `no published listing ${request.listingId}`);
  const code = redemptionCouponCode(request.redemptionId);
  const at = request.step.at;
  return {
    spend: {
      type: 'SpendPoints',
      investorId: request.investorId,
      spendId: request.redemptionId,
      points: option.points,
      purpose: {
        kind: 'value_added_discount',
        redemptionId: request.redemptionId,
        optionId: option.optionId,
        listingId: listing.listingId,
        couponCode: code,
      },
      step: request.step,
    },
    coupon: {
      code,
      investorId: request.investorId,
      listingId: listing.listingId,
      amountOff: option.amountOff,
      validFrom: at,
      validUntil: new Date(Date.parse(at) + option.validDays * 86_400_000).toISOString(),
    },
  };
};
