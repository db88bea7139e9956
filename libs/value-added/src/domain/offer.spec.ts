import { CouponEvent, CouponEventTypes, CouponState, CouponTerms, couponDecider } from './coupon';
import { ListingOnSale, SubscribeRequest, subscribeCommand, subscriptionStart } from './offer';
import { SubscriptionEvent, SubscriptionEventTypes } from './subscription';

const at = '2026-11-23T10:00:00.000Z';
const listing: ListingOnSale = {
  listingId: 'L2',
  published: true,
  family: 'value_added',
  kind: 'level2_data',
  plans: [{ planId: 'monthly', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' }],
};
const request: SubscribeRequest = {
  subscriptionId: 'sub-1',
  investorId: 'inv-1',
  planId: 'monthly',
  paymentId: 'pay-1',
  paymentMethod: 'sandbox_ok',
  at,
};
const terms: CouponTerms = {
  code: 'WELCOME20',
  percentOff: 20,
  currency: 'CNY',
  validFrom: '2026-11-01T00:00:00.000Z',
  validUntil: '2026-12-01T00:00:00.000Z',
  maxRedemptions: 2,
  listingIds: [],
  description: 'first month 20% off',
};
const couponGiven = (...events: CouponEvent[]): CouponState => events.reduce(couponDecider.evolve, couponDecider.initialState);
const issued: CouponEvent = { type: CouponEventTypes.Issued, data: { terms, by: 'pm-1', at } };

describe('the offer: what a subscription is decided on (L1, V2)', () => {
  it('given a published listing, when an investor subscribes to one of its plans, then the plan is the one it sells', () => {
    expect(subscribeCommand(listing, request)).toEqual({
      type: 'Subscribe',
      subscriptionId: 'sub-1',
      investorId: 'inv-1',
      listingId: 'L2',
      kind: 'level2_data',
      family: 'value_added',
      plan: listing.plans[0],
      paymentId: 'pay-1',
      paymentMethod: 'sandbox_ok',
      at,
    });
  });

  it('L1: a listing that is not published is not sold', () => {
    expect(subscribeCommand({ ...listing, published: false }, request)).toMatchObject({
      code: 'CATALOG.LISTING_NOT_FOUND',
      kind: 'not_found',
    });
  });

  it('a plan the listing does not sell is refused', () => {
    expect(subscribeCommand(listing, { ...request, planId: 'yearly' })).toMatchObject({
      code: 'SUBSCRIPTION.PLAN_NOT_FOUND',
      kind: 'not_found',
    });
  });

  it('given an issued coupon, the discount is priced in', () => {
    expect(subscribeCommand(listing, { ...request, couponCode: 'WELCOME20' }, couponGiven(issued))).toMatchObject({
      coupon: { code: 'WELCOME20', discountMinor: 600 },
    });
  });

  it('V2: a coupon on an advisory listing is refused before the coupon itself is looked at', () => {
    expect(subscribeCommand({ ...listing, family: 'advisory' }, { ...request, couponCode: 'NO-SUCH' })).toMatchObject({
      code: 'COUPON.NOT_FOR_ADVISORY',
      rule: 'V2',
    });
  });

  it('an unknown coupon, or one the investor already redeemed, is refused with the coupon rules', () => {
    expect(subscribeCommand(listing, { ...request, couponCode: 'NO-SUCH' })).toMatchObject({ code: 'COUPON.NOT_FOUND' });
    const redeemed: CouponEvent = {
      type: CouponEventTypes.Redeemed,
      data: { code: 'WELCOME20', investorId: 'inv-1', listingId: 'L2', subscriptionId: 'sub-0', priceMinor: 3000, discountMinor: 600, at },
    };
    expect(subscribeCommand(listing, { ...request, couponCode: 'WELCOME20' }, couponGiven(issued, redeemed))).toMatchObject({
      kind: 'conflict',
    });
  });
});

describe("what follows from a subscription's start", () => {
  const ref = { subscriptionId: 'sub-1', investorId: 'inv-1', listingId: 'L2', kind: 'level2_data', at };
  const plan = listing.plans[0];

  it('given a requested subscription with a coupon, then the coupon is redeemed and the discounted price is charged', () => {
    const events: SubscriptionEvent[] = [
      {
        type: SubscriptionEventTypes.Requested,
        data: { ...ref, plan, paymentId: 'pay-1', amountMinor: 2400, currency: 'CNY', coupon: { code: 'WELCOME20', discountMinor: 600 } },
      },
    ];
    expect(subscriptionStart(events)).toEqual({
      redemption: {
        type: 'RedeemCoupon',
        code: 'WELCOME20',
        investorId: 'inv-1',
        listingId: 'L2',
        family: 'value_added',
        priceMinor: 3000,
        currency: 'CNY',
        subscriptionId: 'sub-1',
        at,
      },
      charge: { paymentId: 'pay-1', amountMinor: 2400, currency: 'CNY' },
    });
  });

  it('given a trial, then nothing is charged now', () => {
    const events: SubscriptionEvent[] = [
      {
        type: SubscriptionEventTypes.TrialStarted,
        data: { ...ref, plan: { ...plan, trialDays: 7 }, periodStart: at, periodEnd: '2026-11-30T10:00:00.000Z' },
      },
    ];
    expect(subscriptionStart(events)).toEqual({});
  });

  it('given a free plan, then nothing is charged', () => {
    const events: SubscriptionEvent[] = [
      {
        type: SubscriptionEventTypes.Requested,
        data: { ...ref, plan: { ...plan, priceMinor: 0 }, paymentId: 'pay-1', amountMinor: 0, currency: 'CNY' },
      },
    ];
    expect(subscriptionStart(events)).toEqual({});
  });
});
