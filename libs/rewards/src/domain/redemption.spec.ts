import { DomainError } from '@app/common';
import { RedemptionOption, redeemPoints } from './redemption';

const option: RedemptionOption = { optionId: 'cny-10', points: 1000, amountOff: { amountMinor: 1000, currency: 'CNY' }, validDays: 30 };
const request = {
  investorId: 'inv-1',
  redemptionId: 'r-1',
  listingId: 'L',
  step: { actorId: 'inv-1', at: '2026-03-01T00:00:00.000Z', channel: 'app' as const },
};

describe('redeeming points (G5, V2)', () => {
  it('V2: points never discount an advisory listing', () => {
    const refused = redeemPoints(option, { status: 'published', listingId: 'L', family: 'advisory' }, request);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'REWARDS.NOT_FOR_ADVISORY', rule: 'V2' });
  });

  it('G5: a value-added listing: spend the option’s points for a single-use coupon of its amount', () => {
    const decided = redeemPoints(option, { status: 'published', listingId: 'L', family: 'value_added' }, request);
    expect(decided).toMatchObject({
      spend: {
        type: 'SpendPoints',
        points: 1000,
        spendId: 'r-1',
        purpose: { kind: 'value_added_discount', listingId: 'L', couponCode: 'PTS-R1' },
      },
      coupon: { code: 'PTS-R1', investorId: 'inv-1', amountOff: { amountMinor: 1000 }, validUntil: '2026-03-31T00:00:00.000Z' },
    });
  });

  it('an unknown or unpublished listing is not found', () => {
    expect(redeemPoints(option, { status: 'none' }, request)).toMatchObject({ code: 'CATALOG.LISTING_NOT_FOUND' });
    expect(redeemPoints(option, { status: 'unpublished', listingId: 'L', family: 'value_added' }, request)).toMatchObject({
      code: 'CATALOG.LISTING_NOT_FOUND',
    });
  });
});
