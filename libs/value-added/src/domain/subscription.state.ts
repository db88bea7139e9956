/** The subscription stream's state: the latest subscription, one union member per status, and whether a trial was used. */
import { unreachable } from '@app/common';
import { periodEnd, RecurringPeriod } from './periods';
import { PlanSnapshot, SubscriptionEvent, SubscriptionEventTypes, SubscriptionRef, SubscriptionStatus } from './subscription.events';

/** A payment the subscription awaits, and the period it pays for. */
interface Awaited {
  readonly paymentId: string;
  readonly amountMinor: number;
  readonly periodStart: string;
  readonly periodIndex: number;
}
/** The first payment: its period starts when it is paid, so it has no end yet. */
export type InitialPayment = Awaited & { readonly purpose: 'initial'; readonly periodEnd: null };
/** A renewal's payment, for the next period of a recurring plan. */
export type RenewalPayment = Awaited & { readonly purpose: 'renewal'; readonly periodEnd: string };

/** The payment that paid for the current period, for refunds. */
export interface Paid {
  readonly paymentId: string;
  readonly amountMinor: number;
}

interface Common {
  readonly ref: SubscriptionRef;
  readonly plan: PlanSnapshot;
  /** Paid periods are counted from here (calendar-correct, see periods.ts). */
  readonly anchor: string;
  /** Index of the next paid period to charge. */
  readonly nextIndex: number;
  readonly periodStart: string;
  readonly cancelAtPeriodEnd: boolean;
  readonly firstChargeDiscountMinor: number;
  /** The payment method token later charges use. */
  readonly paymentMethod?: string;
}

/** Requested and awaiting its first payment: no period runs yet. */
export type PendingSubscription = Common & { readonly status: 'pending'; readonly periodEnd: null; readonly pending: InitialPayment };
/** In its free trial; the first charge is the renewal of the trial's period. */
export type TrialingSubscription = Common & { readonly status: 'trialing'; readonly periodEnd: string; readonly pending?: RenewalPayment };
/** Paid for the current period (`periodEnd` null: a one-off purchase, access without end). */
export type ActiveSubscription = Common & {
  readonly status: 'active';
  readonly periodEnd: string | null;
  readonly paid: Paid;
  readonly pending?: RenewalPayment;
};
/** A renewal's payment failed: access continues until the grace ends. */
export type PastDueSubscription = Common & {
  readonly status: 'past_due';
  readonly periodEnd: string;
  readonly paid?: Paid;
  readonly graceEndsAt: string;
  readonly pending?: RenewalPayment;
};
export type CanceledSubscription = Common & { readonly status: 'canceled'; readonly periodEnd: string | null; readonly paid?: Paid };
export type ExpiredSubscription = Common & { readonly status: 'expired'; readonly periodEnd: string | null; readonly paid?: Paid };

export type Subscription =
  PendingSubscription | TrialingSubscription | ActiveSubscription | PastDueSubscription | CanceledSubscription | ExpiredSubscription;
/** The subscriptions whose access has not ended (or is about to start). */
export type LiveSubscription = PendingSubscription | TrialingSubscription | ActiveSubscription | PastDueSubscription;
/** The subscriptions with a running period that renews. */
export type RenewingSubscription = TrialingSubscription | ActiveSubscription | PastDueSubscription;

export interface SubscriptionState {
  readonly trialUsed: boolean;
  readonly current?: Subscription;
}

const LIVE: readonly SubscriptionStatus[] = ['pending', 'trialing', 'active', 'past_due'];
export const isLive = (status: SubscriptionStatus) => LIVE.includes(status);
export const isLiveSubscription = (current: Subscription): current is LiveSubscription => isLive(current.status);

/** Trialing, active or past due: a period runs and renews (the status alone; see `nextRenewal` for the rest). */
export const isRenewing = (current: Subscription): current is RenewingSubscription =>
  current.status === 'trialing' || current.status === 'active' || current.status === 'past_due';

/** The awaited payment, if any. */
export const awaitedPayment = (current: Subscription): InitialPayment | RenewalPayment | undefined => {
  switch (current.status) {
    case 'pending':
    case 'trialing':
    case 'active':
    case 'past_due':
      return current.pending;
    case 'canceled':
    case 'expired':
      return undefined;
    default:
      return unreachable(current);
  }
};

export const periodBounds = (plan: PlanSnapshot, anchor: string, index: number) => ({
  periodStart: index === 0 ? anchor : periodEnd(anchor, plan.billingPeriod as RecurringPeriod, index - 1),
  periodEnd: periodEnd(anchor, plan.billingPeriod as RecurringPeriod, index),
});

/** What every status keeps of the subscription it came from. */
const common = (current: Subscription): Common => ({
  ref: current.ref,
  plan: current.plan,
  anchor: current.anchor,
  nextIndex: current.nextIndex,
  periodStart: current.periodStart,
  cancelAtPeriodEnd: current.cancelAtPeriodEnd,
  firstChargeDiscountMinor: current.firstChargeDiscountMinor,
  ...(current.paymentMethod !== undefined ? { paymentMethod: current.paymentMethod } : {}),
});

const paidOf = (current: Subscription): Paid | undefined =>
  current.status === 'pending' || current.status === 'trialing' ? undefined : current.paid;

const ended = (current: Subscription, status: 'canceled' | 'expired'): CanceledSubscription | ExpiredSubscription => {
  const paid = paidOf(current);
  return { ...common(current), status, periodEnd: current.periodEnd, ...(paid ? { paid } : {}) };
};

/** The subscription after an event about it (the first two start one; the others need one to apply to). */
const next = (current: Subscription | undefined, event: SubscriptionEvent): Subscription | undefined => {
  const { subscriptionId, investorId, listingId, kind } = event.data;
  const ref = { subscriptionId, investorId, listingId, kind };
  switch (event.type) {
    case SubscriptionEventTypes.TrialStarted:
      return {
        ref,
        status: 'trialing',
        plan: event.data.plan,
        anchor: event.data.periodEnd,
        nextIndex: 0,
        periodStart: event.data.periodStart,
        periodEnd: event.data.periodEnd,
        cancelAtPeriodEnd: false,
        firstChargeDiscountMinor: event.data.coupon?.discountMinor ?? 0,
        paymentMethod: event.data.paymentMethod,
      };
    case SubscriptionEventTypes.Requested:
      return {
        ref,
        status: 'pending',
        plan: event.data.plan,
        anchor: event.data.at,
        nextIndex: 0,
        periodStart: event.data.at,
        periodEnd: null,
        cancelAtPeriodEnd: false,
        pending: {
          paymentId: event.data.paymentId,
          purpose: 'initial',
          amountMinor: event.data.amountMinor,
          periodStart: event.data.at,
          periodEnd: null,
          periodIndex: 0,
        },
        firstChargeDiscountMinor: 0,
        paymentMethod: event.data.paymentMethod,
      };
  }
  if (!current) return current;
  switch (event.type) {
    case SubscriptionEventTypes.Activated:
      return {
        ...common(current),
        status: 'active',
        anchor: event.data.periodStart,
        nextIndex: 1,
        periodStart: event.data.periodStart,
        periodEnd: event.data.periodEnd,
        paid: { paymentId: event.data.paymentId, amountMinor: event.data.amountMinor },
      };
    case SubscriptionEventTypes.InitialPaymentFailed:
      return ended(current, 'canceled');
    case SubscriptionEventTypes.RenewalRequested: {
      if (!isRenewing(current)) return current;
      const pending: RenewalPayment = {
        paymentId: event.data.paymentId,
        purpose: 'renewal',
        amountMinor: event.data.amountMinor,
        periodStart: event.data.periodStart,
        periodEnd: event.data.periodEnd,
        periodIndex: event.data.periodIndex,
      };
      return { ...current, pending };
    }
    case SubscriptionEventTypes.Renewed:
      return {
        ...common(current),
        status: 'active',
        nextIndex: event.data.periodIndex + 1,
        periodStart: event.data.periodStart,
        periodEnd: event.data.periodEnd,
        paid: { paymentId: event.data.paymentId, amountMinor: event.data.amountMinor },
        firstChargeDiscountMinor: 0,
      };
    case SubscriptionEventTypes.RenewalPaymentFailed: {
      // Only a renewing subscription's renewal fails; its period has an end.
      if (!isRenewing(current) || current.periodEnd === null) return current;
      const paid = paidOf(current);
      return {
        ...common(current),
        status: 'past_due',
        periodEnd: current.periodEnd,
        graceEndsAt: event.data.graceEndsAt,
        ...(paid ? { paid } : {}),
      };
    }
    case SubscriptionEventTypes.CancellationScheduled:
      return { ...current, cancelAtPeriodEnd: true };
    case SubscriptionEventTypes.CancellationWithdrawn:
      return { ...current, cancelAtPeriodEnd: false };
    case SubscriptionEventTypes.Canceled:
      return ended(current, 'canceled');
    case SubscriptionEventTypes.Expired:
      return ended(current, 'expired');
    default:
      return unreachable(event);
  }
};

export const evolve = (state: SubscriptionState, event: SubscriptionEvent): SubscriptionState => {
  const current = next(state.current, event);
  return { trialUsed: state.trialUsed || event.type === SubscriptionEventTypes.TrialStarted, ...(current ? { current } : {}) };
};

/** The next period the renewal job should charge, or null when none is due. */
export const nextRenewal = (state: SubscriptionState): { periodStart: string; periodEnd: string } | null => {
  const current = state.current;
  if (
    !current ||
    !isRenewing(current) ||
    current.periodEnd === null ||
    current.plan.billingPeriod === 'one_off' ||
    current.cancelAtPeriodEnd ||
    current.pending
  )
    return null;
  return periodBounds(current.plan, current.anchor, current.nextIndex);
};
