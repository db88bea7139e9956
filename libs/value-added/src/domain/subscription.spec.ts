import { FILL_MODEL_VERSION } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { PlanSnapshot, SubscriptionEvent, SubscriptionEventTypes as E, nextRenewal, subscriptionDecider } from './subscription';

const spec = deciderSpec(subscriptionDecider);
const ref = { subscriptionId: 'sub-1', investorId: 'inv-1', listingId: 'L2', kind: 'level2_data' };
const monthly: PlanSnapshot = { planId: 'm', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' };
const withTrial: PlanSnapshot = { ...monthly, trialDays: 7 };
const t0 = '2026-11-01T02:00:00.000Z';
const t1 = '2026-12-01T02:00:00.000Z'; // one calendar month later
const t2 = '2027-01-01T02:00:00.000Z';

const subscribe = (plan = monthly, extra: object = {}) =>
  ({ type: 'Subscribe', ...ref, family: 'value_added', plan, paymentId: 'pay-1', at: t0, ...extra }) as const;
const requested: SubscriptionEvent = {
  type: E.Requested,
  data: { ...ref, at: t0, plan: monthly, paymentId: 'pay-1', amountMinor: 3000, currency: 'CNY' },
};
const activated: SubscriptionEvent = {
  type: E.Activated,
  data: { ...ref, at: t0, paymentId: 'pay-1', amountMinor: 3000, periodStart: t0, periodEnd: t1 },
};
const renewalRequested: SubscriptionEvent = {
  type: E.RenewalRequested,
  data: { ...ref, at: t1, paymentId: 'pay-2', amountMinor: 3000, currency: 'CNY', periodIndex: 1, periodStart: t1, periodEnd: t2 },
};
const renewed: SubscriptionEvent = {
  type: E.Renewed,
  data: { ...ref, at: t1, paymentId: 'pay-2', amountMinor: 3000, periodIndex: 1, periodStart: t1, periodEnd: t2 },
};
const active = [requested, activated];

describe('subscription decider', () => {
  it('subscribe → pending until the payment is captured → active for one calendar month', () => {
    spec.given([]).when(subscribe()).then([requested]);
    spec
      .given([requested])
      .when({ type: 'ConfirmSubscriptionPayment', subscriptionId: 'sub-1', paymentId: 'pay-1', at: t0 })
      .then([activated]);
  });

  it('a repeated payment callback changes nothing', () => {
    spec.given(active).when({ type: 'ConfirmSubscriptionPayment', subscriptionId: 'sub-1', paymentId: 'pay-1', at: t0 }).then([]);
  });

  it('G6: a simulated-trading prop records the fill model version its simulated trades run on; other kinds do not', () => {
    spec
      .given([])
      .when(subscribe(monthly, { kind: 'simulated_trading_prop' }))
      .thenMatches([{ type: E.Requested, data: { kind: 'simulated_trading_prop', fillModelVersion: FILL_MODEL_VERSION } }]);
    expect(spec.given([]).when(subscribe()).thenEvents()[0].data).not.toHaveProperty('fillModelVersion');
  });

  it('A7: an advisory product cannot be bought through the value-added path', () => {
    spec
      .given([])
      .when(subscribe(monthly, { family: 'advisory' }))
      .thenFails('SUBSCRIPTION.ADVISORY_NOT_SOLD_HERE', 'A7');
  });

  it('one live subscription per investor and product', () => {
    const error = spec
      .given(active)
      .when(subscribe(monthly, { subscriptionId: 'sub-2' }))
      .thenFails('SUBSCRIPTION.ALREADY_SUBSCRIBED');
    expect(error.details).toEqual({ subscriptionId: 'sub-1', status: 'active' });
    spec.given(active).when(subscribe()).then([]);
  });

  it('the first payment failing cancels the subscription; the investor may subscribe again', () => {
    const failed: SubscriptionEvent = { type: E.InitialPaymentFailed, data: { ...ref, at: t0, paymentId: 'pay-1', reason: 'declined' } };
    spec
      .given([requested])
      .when({ type: 'FailSubscriptionPayment', subscriptionId: 'sub-1', paymentId: 'pay-1', reason: 'declined', graceDays: 3, at: t0 })
      .then([failed]);
    spec
      .given([requested, failed])
      .when(subscribe(monthly, { subscriptionId: 'sub-2', paymentId: 'pay-9' }))
      .thenMatches([{ type: E.Requested }]);
  });

  describe('trials', () => {
    const trial: SubscriptionEvent = {
      type: E.TrialStarted,
      data: { ...ref, at: t0, plan: withTrial, periodStart: t0, periodEnd: '2026-11-08T02:00:00.000Z' },
    };
    it('a plan with a trial starts trialing without a payment', () => {
      spec.given([]).when(subscribe(withTrial)).then([trial]);
    });
    it('one trial per investor per product: the next subscription is charged at once', () => {
      const canceled: SubscriptionEvent = {
        type: E.Canceled,
        data: { ...ref, at: t0, by: 'inv-1', refund: { mode: 'none', amountMinor: 0, currency: 'CNY', paymentId: null, refundId: null } },
      };
      spec
        .given([trial, canceled])
        .when(subscribe(withTrial, { subscriptionId: 'sub-2' }))
        .thenMatches([{ type: E.Requested, data: { amountMinor: 3000 } }]);
    });
    it('the first charge is due at the end of the trial and pays a full calendar month from there', () => {
      const state = [trial].reduce(subscriptionDecider.evolve, subscriptionDecider.initialState);
      expect(nextRenewal(state)).toEqual({ periodStart: '2026-11-08T02:00:00.000Z', periodEnd: '2026-12-08T02:00:00.000Z' });
    });
  });

  describe('renewal', () => {
    const renew = (periodStart: string, paymentId = 'pay-2', at = t1, renewAheadMs = 0) =>
      ({ type: 'RequestRenewal', subscriptionId: 'sub-1', periodStart, paymentId, at, renewAheadMs }) as const;
    it('at period end the next calendar period is charged', () => {
      spec.given(active).when(renew(t1)).then([renewalRequested]);
      spec
        .given([...active, renewalRequested])
        .when({ type: 'ConfirmSubscriptionPayment', subscriptionId: 'sub-1', paymentId: 'pay-2', at: t1 })
        .then([renewed]);
    });
    it('a second renewal of the same period (job run twice) is refused', () => {
      spec
        .given([...active, renewalRequested])
        .when(renew(t1, 'pay-3'))
        .thenFails('SUBSCRIPTION.RENEWAL_IN_PROGRESS');
      spec
        .given([...active, renewalRequested, renewed])
        .when(renew(t1, 'pay-3'))
        .thenFails('SUBSCRIPTION.PERIOD_ALREADY_RENEWED');
    });
    it('not earlier than the configured lead before the period ends', () => {
      spec
        .given(active)
        .when(renew(t1, 'pay-2', t0))
        .thenFails('SUBSCRIPTION.RENEWAL_NOT_DUE');
      const hour = 3_600_000;
      spec
        .given(active)
        .when(renew(t1, 'pay-2', '2026-12-01T00:59:59.999Z', hour))
        .thenFails('SUBSCRIPTION.RENEWAL_NOT_DUE');
      spec
        .given(active)
        .when(renew(t1, 'pay-2', '2026-12-01T01:00:00.000Z', hour))
        .thenMatches([{ type: E.RenewalRequested, data: { periodStart: t1, periodEnd: t2 } }]);
    });
    it('renewal failure → past_due with a grace period → expired when the grace is over', () => {
      const pastDue: SubscriptionEvent = {
        type: E.RenewalPaymentFailed,
        data: {
          ...ref,
          at: t1,
          paymentId: 'pay-2',
          reason: 'insufficient funds',
          periodStart: t1,
          graceEndsAt: '2026-12-04T02:00:00.000Z',
        },
      };
      spec
        .given([...active, renewalRequested])
        .when({
          type: 'FailSubscriptionPayment',
          subscriptionId: 'sub-1',
          paymentId: 'pay-2',
          reason: 'insufficient funds',
          graceDays: 3,
          at: t1,
        })
        .then([pastDue]);
      spec
        .given([...active, renewalRequested, pastDue])
        .when({ type: 'ExpireSubscription', subscriptionId: 'sub-1', at: '2026-12-03T02:00:00.000Z' })
        .thenFails('SUBSCRIPTION.NOT_DUE_TO_EXPIRE');
      spec
        .given([...active, renewalRequested, pastDue])
        .when({ type: 'ExpireSubscription', subscriptionId: 'sub-1', at: '2026-12-04T02:00:00.000Z' })
        .then([
          {
            type: E.Expired,
            data: { ...ref, at: '2026-12-04T02:00:00.000Z', reason: 'payment_failed', endedAt: '2026-12-04T02:00:00.000Z' },
          },
        ]);
    });
    it('a retry paid within the grace period renews the same period', () => {
      const pastDue: SubscriptionEvent = {
        type: E.RenewalPaymentFailed,
        data: { ...ref, at: t1, paymentId: 'pay-2', reason: 'x', periodStart: t1, graceEndsAt: '2026-12-04T02:00:00.000Z' },
      };
      spec
        .given([...active, renewalRequested, pastDue])
        .when(renew(t1, 'pay-3', '2026-12-02T02:00:00.000Z'))
        .thenMatches([{ type: E.RenewalRequested, data: { periodStart: t1, periodEnd: t2 } }]);
    });
  });

  describe('cancellation', () => {
    const scheduled: SubscriptionEvent = { type: E.CancellationScheduled, data: { ...ref, at: t0, by: 'inv-1', effectiveAt: t1 } };
    it('cancel at period end keeps access until the end, then expires', () => {
      spec.given(active).when({ type: 'CancelAtPeriodEnd', subscriptionId: 'sub-1', actorId: 'inv-1', at: t0 }).then([scheduled]);
      spec
        .given([...active, scheduled])
        .when({ type: 'RequestRenewal', subscriptionId: 'sub-1', periodStart: t1, paymentId: 'pay-2', at: t1, renewAheadMs: 0 })
        .thenFails('SUBSCRIPTION.CANCELED_AT_PERIOD_END');
      spec
        .given([...active, scheduled])
        .when({ type: 'ExpireSubscription', subscriptionId: 'sub-1', at: t1 })
        .then([{ type: E.Expired, data: { ...ref, at: t1, reason: 'canceled_at_period_end', endedAt: t1 } }]);
    });
    it('uncancel before the end', () => {
      spec
        .given([...active, scheduled])
        .when({ type: 'WithdrawCancellation', subscriptionId: 'sub-1', actorId: 'inv-1', at: '2026-11-20T00:00:00.000Z' })
        .then([{ type: E.CancellationWithdrawn, data: { ...ref, at: '2026-11-20T00:00:00.000Z', by: 'inv-1' } }]);
      spec
        .given([...active, scheduled])
        .when({ type: 'WithdrawCancellation', subscriptionId: 'sub-1', actorId: 'inv-1', at: t1 })
        .thenFails('SUBSCRIPTION.PERIOD_ENDED');
    });
    it.each([
      ['none', 0],
      ['full', 3000],
      ['prorated', 1500],
    ] as const)('cancel immediately with refund mode %s refunds %d', (mode, amountMinor) => {
      // Half of the 30-day November period is left.
      const at = '2026-11-16T02:00:00.000Z';
      spec
        .given(active)
        .when({ type: 'CancelImmediately', subscriptionId: 'sub-1', actorId: 'inv-1', refundMode: mode, refundId: 'r-1', at })
        .then([
          {
            type: E.Canceled,
            data: {
              ...ref,
              at,
              by: 'inv-1',
              refund: {
                mode,
                amountMinor,
                currency: 'CNY',
                paymentId: amountMinor > 0 ? 'pay-1' : null,
                refundId: amountMinor > 0 ? 'r-1' : null,
              },
            },
          },
        ]);
    });
    it('an immediate cancellation must state its refund mode', () => {
      spec
        .given(active)
        .when({
          type: 'CancelImmediately',
          subscriptionId: 'sub-1',
          actorId: 'inv-1',
          refundMode: undefined as never,
          refundId: 'r-1',
          at: t0,
        })
        .thenFails('SUBSCRIPTION.REFUND_MODE_REQUIRED');
    });
  });

  it('V2 applied upstream: a coupon discount lowers only the first charge', () => {
    spec
      .given([])
      .when(subscribe(monthly, { coupon: { code: 'WELCOME', discountMinor: 1000 } }))
      .thenMatches([{ type: E.Requested, data: { amountMinor: 2000, coupon: { code: 'WELCOME', discountMinor: 1000 } } }]);
  });
});
