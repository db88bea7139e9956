/**
 * What an investor is offered when subscribing (L1, V2): the plan as the listing sells it, and a coupon's discount.
 * Pure: the caller reads the listing and the coupon, and appends what the decision says.
 */
import { DomainError, notFound } from '@app/common';
import { CouponCommand, CouponEventTypes, CouponState, couponDecider, refuseIncentiveOnAdvisory } from './coupon';
import { PlanSnapshot, SubscriptionCommand, SubscriptionEvent, SubscriptionEventTypes } from './subscription';

/** A listing as the catalog has it, in the terms a subscription needs. */
export interface ListingOnSale {
  readonly listingId: string;
  readonly published: boolean;
  readonly family: 'value_added' | 'advisory';
  readonly kind: string;
  readonly plans: readonly PlanSnapshot[];
}

export interface SubscribeRequest {
  readonly subscriptionId: string;
  readonly investorId: string;
  readonly planId: string;
  readonly paymentId: string;
  readonly paymentMethod: string;
  readonly couponCode?: string;
  readonly at: string;
}

export type SubscribeCommand = Extract<SubscriptionCommand, { type: 'Subscribe' }>;

type Redeem = Extract<CouponCommand, { type: 'RedeemCoupon' }>;

/** The coupon's redemption for a subscription, as a command on the coupon's stream. */
const redemption = (
  code: string,
  s: { investorId: string; listingId: string; subscriptionId: string; plan: PlanSnapshot; at: string },
): Redeem => ({
  type: 'RedeemCoupon',
  code,
  investorId: s.investorId,
  listingId: s.listingId,
  family: 'value_added',
  priceMinor: s.plan.priceMinor,
  currency: s.plan.currency,
  subscriptionId: s.subscriptionId,
  at: s.at,
});

/** What follows from a subscription's start: the coupon's redemption, and the charge it asks for now (none in a trial or for a free plan). */
export interface SubscriptionStart {
  readonly redemption?: Redeem;
  readonly charge?: { readonly paymentId: string; readonly amountMinor: number; readonly currency: string };
}

export const subscriptionStart = (events: readonly SubscriptionEvent[]): SubscriptionStart => {
  for (const event of events) {
    if (event.type !== SubscriptionEventTypes.Requested && event.type !== SubscriptionEventTypes.TrialStarted) continue;
    const redeem = event.data.coupon ? redemption(event.data.coupon.code, event.data) : undefined;
    const charge =
      event.type === SubscriptionEventTypes.Requested && event.data.amountMinor > 0
        ? { paymentId: event.data.paymentId, amountMinor: event.data.amountMinor, currency: event.data.currency }
        : undefined;
    return { ...(redeem ? { redemption: redeem } : {}), ...(charge ? { charge } : {}) };
  }
  return {};
};

/**
 * The Subscribe command for `request` on `listing`, with the coupon (its state read from its stream) priced in; or why
 * not: L1 only published listings are sold, the plan must exist, V2 no incentive ever applies to an advisory product
 * (checked before the coupon itself), and the coupon must be redeemable by this investor on this listing.
 */
export const subscribeCommand = (
  listing: ListingOnSale,
  request: SubscribeRequest,
  coupon?: CouponState,
): SubscribeCommand | DomainError => {
  if (!listing.published) return notFound('CATALOG.LISTING_NOT_FOUND', `no published listing ${listing.listingId}`);
  const plan = listing.plans.find((candidate) => candidate.planId === request.planId);
  if (!plan) return notFound('SUBSCRIPTION.PLAN_NOT_FOUND', `listing ${listing.listingId} has no plan ${request.planId}`);
  const command: SubscribeCommand = {
    type: 'Subscribe',
    subscriptionId: request.subscriptionId,
    investorId: request.investorId,
    listingId: listing.listingId,
    kind: listing.kind,
    family: listing.family,
    plan,
    paymentId: request.paymentId,
    paymentMethod: request.paymentMethod,
    at: request.at,
  };
  if (!request.couponCode) return command;
  const refused = refuseIncentiveOnAdvisory(listing.family);
  if (refused) return refused;
  const redeemed = couponDecider.decide(redemption(request.couponCode, command), coupon ?? couponDecider.initialState);
  if (redeemed instanceof DomainError) return redeemed;
  const discount = redeemed.find((event) => event.type === CouponEventTypes.Redeemed);
  return discount?.type === CouponEventTypes.Redeemed
    ? { ...command, coupon: { code: discount.data.code, discountMinor: discount.data.discountMinor } }
    : command;
};
