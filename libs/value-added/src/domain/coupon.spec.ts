import { deciderSpec } from '@app/common/testing';
import { CouponCommand, CouponEvent, CouponEventTypes as E, CouponTerms, couponDecider, normalisedTerms } from './coupon';

const spec = deciderSpec(couponDecider);
const at = '2026-11-23T10:00:00.000Z';
const terms: CouponTerms = {
  code: 'WELCOME20',
  percentOff: 20,
  currency: 'CNY',
  validFrom: '2026-11-01T00:00:00.000Z',
  validUntil: '2026-12-01T00:00:00.000Z',
  maxRedemptions: 2,
  listingIds: [],
  description: '新用户首月八折',
};
const issued: CouponEvent = { type: E.Issued, data: { terms, by: 'pm-1', at } };
const redeem = (investorId: string, extra: Partial<CouponCommand> = {}): CouponCommand =>
  ({
    type: 'RedeemCoupon',
    code: 'WELCOME20',
    investorId,
    listingId: 'L2',
    family: 'value_added',
    priceMinor: 3000,
    currency: 'CNY',
    subscriptionId: `sub-${investorId}`,
    at,
    ...extra,
  }) as CouponCommand;
const redeemed = (investorId: string): CouponEvent => ({
  type: E.Redeemed,
  data: { code: 'WELCOME20', investorId, listingId: 'L2', subscriptionId: `sub-${investorId}`, priceMinor: 3000, discountMinor: 600, at },
});

describe('coupons (V2)', () => {
  const pm = { id: 'pm-1', roles: ['product_manager'] };
  it('a product manager issues a coupon', () => {
    spec.given([]).when({ type: 'IssueCoupon', terms, targets: {}, actor: pm, at }).then([issued]);
  });
  it('V2: a coupon aimed at value-added listings is issued', () => {
    const aimed = { ...terms, listingIds: ['L2', 'COURSE'] };
    spec
      .given([])
      .when({ type: 'IssueCoupon', terms: aimed, targets: { L2: 'value_added', COURSE: 'value_added' }, actor: pm, at })
      .then([{ type: E.Issued, data: { terms: aimed, by: 'pm-1', at } }]);
  });
  it('V2: a coupon aimed at an advisory listing is refused at issue, naming the listing', () => {
    const error = spec
      .given([])
      .when({
        type: 'IssueCoupon',
        terms: { ...terms, listingIds: ['L2', 'ADV'] },
        targets: { L2: 'value_added', ADV: 'advisory' },
        actor: pm,
        at,
      })
      .thenFails('COUPON.NOT_FOR_ADVISORY', 'V2');
    expect(error.details).toEqual({ listingIds: ['ADV'] });
  });
  it('a coupon aimed at a listing that does not exist is refused at issue', () => {
    spec
      .given([])
      .when({ type: 'IssueCoupon', terms: { ...terms, listingIds: ['GONE'] }, targets: { GONE: 'unknown' }, actor: pm, at })
      .thenFails('COUPON.TERMS_INVALID');
  });
  it('V2: a coupon on a value-added product gives its discount', () => {
    spec
      .given([issued])
      .when(redeem('inv-1'))
      .then([redeemed('inv-1')]);
  });
  it('V2: a coupon on an advisory product is refused', () => {
    spec
      .given([issued])
      .when(redeem('inv-1', { family: 'advisory' }))
      .thenFails('COUPON.NOT_FOR_ADVISORY', 'V2');
  });
  it('V2: refused on advisory even when the coupon does not exist', () => {
    spec
      .given([])
      .when(redeem('inv-1', { family: 'advisory' }))
      .thenFails('COUPON.NOT_FOR_ADVISORY', 'V2');
  });
  it('once per investor, up to the redemption limit, within validity', () => {
    spec
      .given([issued, redeemed('inv-1')])
      .when(redeem('inv-1', { subscriptionId: 'other' }))
      .thenFails('COUPON.ALREADY_REDEEMED');
    spec
      .given([issued, redeemed('inv-1'), redeemed('inv-2')])
      .when(redeem('inv-3'))
      .thenFails('COUPON.EXHAUSTED');
    spec
      .given([issued])
      .when(redeem('inv-1', { at: '2026-12-01T00:00:00.000Z' }))
      .thenFails('COUPON.NOT_VALID_NOW');
  });
  it('V3: coupon copy goes through the content guard', () => {
    spec
      .given([])
      .when({ type: 'IssueCoupon', terms: { ...terms, description: '稳赚首月' }, targets: {}, actor: pm, at })
      .thenFails('CONTENT.PROHIBITED_PHRASE', 'V3');
  });
  it('G5: a coupon bought with points is issued without a product manager, single-use, and only its investor may redeem it', () => {
    const personal = { ...terms, code: 'PTS-R1', maxRedemptions: 1, forInvestorId: 'inv-1' };
    const investor = { id: 'inv-1', roles: ['investor'] };
    const pointsRedemption = { investorId: 'inv-1', redemptionId: 'r1' };
    spec
      .given([])
      .when({ type: 'IssueCoupon', terms: personal, targets: {}, actor: investor, at })
      .thenFails('COUPON.PRODUCT_MANAGER_REQUIRED');
    spec
      .given([])
      .when({ type: 'IssueCoupon', terms: { ...personal, maxRedemptions: 2 }, targets: {}, actor: investor, at, pointsRedemption })
      .thenFails('COUPON.TERMS_INVALID');
    const events = spec
      .given([])
      .when({ type: 'IssueCoupon', terms: personal, targets: {}, actor: investor, at, pointsRedemption })
      .thenEvents();
    expect(events).toEqual([{ type: E.Issued, data: { terms: personal, by: 'inv-1', at, pointsRedemption } }]);
    spec
      .given(events)
      .when(redeem('inv-2', { code: 'PTS-R1' }))
      .thenFails('COUPON.NOT_YOURS');
    spec
      .given(events)
      .when(redeem('inv-1', { code: 'PTS-R1' }))
      .thenMatches([{ type: E.Redeemed, data: { investorId: 'inv-1', code: 'PTS-R1' } }]);
  });
});

describe('coupon terms as issued', () => {
  it('the code is kept upper-case (redemptions name it in any case) and each listing is named once', () => {
    const given = {
      code: 'spring-10',
      percentOff: 10,
      currency: 'CNY',
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: '2026-02-01T00:00:00.000Z',
      maxRedemptions: 5,
      listingIds: ['L2', 'L1', 'L2'],
      description: 'spring',
    };
    expect(normalisedTerms(given)).toEqual({ ...given, code: 'SPRING-10', listingIds: ['L2', 'L1'] });
  });
});
