import { DomainEvent } from '@app/common';
import { entitlementsAt, mayUse } from './entitlements';
import { SubscriptionEvent, SubscriptionEventTypes as E } from './subscription';
import { TipEventTypes } from './tipping';

const ref = { subscriptionId: 'sub-1', investorId: 'inv-1', listingId: 'L2', kind: 'level2_data' };
const t0 = '2026-11-01T02:00:00.000Z';
const t1 = '2026-12-01T02:00:00.000Z';
const t2 = '2027-01-01T02:00:00.000Z';
const activated: SubscriptionEvent = {
  type: E.Activated,
  data: { ...ref, at: t0, paymentId: 'p1', amountMinor: 3000, periodStart: t0, periodEnd: t1 },
};

describe('entitlements from subscription history', () => {
  it('level2_data grants level2.quotes during the paid period, and not after', () => {
    expect(entitlementsAt([activated], '2026-11-15T00:00:00.000Z')).toEqual([
      { feature: 'level2.quotes', listingId: 'L2', subscriptionId: 'sub-1', validUntil: t1 },
    ]);
    expect(mayUse([activated], 'level2.quotes', t1)).toBe(false);
    expect(mayUse([activated], 'level2.quotes', '2026-10-31T00:00:00.000Z')).toBe(false);
  });

  it('a renewal extends access; any past instant is answered from the same history', () => {
    const renewed: SubscriptionEvent = {
      type: E.Renewed,
      data: { ...ref, at: t1, paymentId: 'p2', amountMinor: 3000, periodIndex: 1, periodStart: t1, periodEnd: t2 },
    };
    expect(mayUse([activated, renewed], 'level2.quotes', '2026-12-15T00:00:00.000Z')).toBe(true);
    expect(mayUse([activated, renewed], 'level2.quotes', '2026-11-15T00:00:00.000Z')).toBe(true);
  });

  it('cancel at period end keeps access until the end', () => {
    const scheduled: SubscriptionEvent = { type: E.CancellationScheduled, data: { ...ref, at: t0, by: 'inv-1', effectiveAt: t1 } };
    const expired: SubscriptionEvent = { type: E.Expired, data: { ...ref, at: t1, reason: 'canceled_at_period_end', endedAt: t1 } };
    expect(mayUse([activated, scheduled, expired], 'level2.quotes', '2026-11-30T00:00:00.000Z')).toBe(true);
    expect(mayUse([activated, scheduled, expired], 'level2.quotes', t1)).toBe(false);
  });

  it('an immediate cancellation ends access at that instant, but not before it', () => {
    const canceled: SubscriptionEvent = {
      type: E.Canceled,
      data: {
        ...ref,
        at: '2026-11-10T00:00:00.000Z',
        by: 'inv-1',
        refund: { mode: 'prorated', amountMinor: 2000, currency: 'CNY', paymentId: 'p1', refundId: 'r1' },
      },
    };
    expect(mayUse([activated, canceled], 'level2.quotes', '2026-11-09T23:59:59.000Z')).toBe(true);
    expect(mayUse([activated, canceled], 'level2.quotes', '2026-11-10T00:00:00.000Z')).toBe(false);
  });

  it('past_due keeps access through the grace period only', () => {
    const pastDue: SubscriptionEvent = {
      type: E.RenewalPaymentFailed,
      data: { ...ref, at: t1, paymentId: 'p2', reason: 'x', periodStart: t1, graceEndsAt: '2026-12-04T02:00:00.000Z' },
    };
    expect(mayUse([activated, pastDue], 'level2.quotes', '2026-12-03T00:00:00.000Z')).toBe(true);
    expect(mayUse([activated, pastDue], 'level2.quotes', '2026-12-04T02:00:00.000Z')).toBe(false);
  });

  it('a one-off purchase gives access without end', () => {
    const course: SubscriptionEvent = {
      type: E.Activated,
      data: { ...ref, kind: 'course', at: t0, paymentId: 'p1', amountMinor: 100, periodStart: t0, periodEnd: null },
    };
    expect(entitlementsAt([course], '2040-01-01T00:00:00.000Z')).toEqual([
      { feature: 'course.content', listingId: 'L2', subscriptionId: 'sub-1', validUntil: null },
    ]);
  });

  it('V4: a tip grants no entitlement', () => {
    const tip: DomainEvent = {
      type: TipEventTypes.Paid,
      data: { tipId: 't1', investorId: 'inv-1', at: t0 },
    };
    const tippingTarget: SubscriptionEvent = {
      type: E.Activated,
      data: { ...ref, kind: 'live_stream_tipping_target', at: t0, paymentId: 'p', amountMinor: 1, periodStart: t0, periodEnd: null },
    };
    expect(entitlementsAt([tip, tippingTarget], '2026-11-02T00:00:00.000Z')).toEqual([]);
  });
});
