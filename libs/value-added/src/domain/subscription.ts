/**
 * Value-added subscriptions. One stream per investor and product holds every subscription the investor ever had to
 * that product, so "one live subscription at a time" and "one trial per investor per product" are decided inside one
 * aggregate under optimistic concurrency, with no cross-stream lookups.
 *
 * pending ─pay→ active ─renew→ active …        trialing ─first charge→ active
 *                 │ renewal payment fails → past_due ─grace over→ expired   (paid in grace → active)
 *                 │ cancel at period end → (access until the end) → expired
 *                 └ cancel now (refund none | prorated | full) → canceled
 */
import { conflict, Decider, DomainError, DomainEvent, FILL_MODEL_VERSION, invalid, notFound, ruleViolation } from '@app/common';
import { addDays, proratedRemainder, periodEnd, RecurringPeriod } from './periods';

export type SubscriptionStatus = 'pending' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'expired';
export type RefundMode = 'none' | 'prorated' | 'full';

export interface PlanSnapshot {
  readonly planId: string;
  readonly priceMinor: number;
  readonly currency: string;
  readonly billingPeriod: RecurringPeriod | 'one_off';
  readonly trialDays?: number;
}

/** Who and what a subscription is about; carried on every event so read models need no joins. */
export interface SubscriptionRef {
  readonly subscriptionId: string;
  readonly investorId: string;
  readonly listingId: string;
  readonly kind: string;
}

interface Base {
  readonly subscriptionId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

export type SubscriptionCommand =
  | (Base & {
      readonly type: 'Subscribe';
      readonly investorId: string;
      readonly listingId: string;
      readonly kind: string;
      readonly family: 'value_added' | 'advisory';
      readonly plan: PlanSnapshot;
      readonly paymentId: string;
      readonly coupon?: { readonly code: string; readonly discountMinor: number };
      /** The payment method token later charges use. */
      readonly paymentMethod?: string;
    })
  | (Base & { readonly type: 'ConfirmSubscriptionPayment'; readonly paymentId: string })
  | (Base & { readonly type: 'FailSubscriptionPayment'; readonly paymentId: string; readonly reason: string; readonly graceDays: number })
  | (Base & {
      readonly type: 'RequestRenewal';
      readonly periodStart: string;
      readonly paymentId: string;
      /** How long before the period starts it may be charged, so that a successful renewal leaves no gap in access. */
      readonly renewAheadMs: number;
    })
  | (Base & { readonly type: 'CancelAtPeriodEnd'; readonly actorId: string })
  | (Base & { readonly type: 'CancelImmediately'; readonly actorId: string; readonly refundMode: RefundMode; readonly refundId: string })
  | (Base & { readonly type: 'WithdrawCancellation'; readonly actorId: string })
  | (Base & { readonly type: 'ExpireSubscription' });

export const SubscriptionEventTypes = {
  Requested: 'value-added.SubscriptionRequested',
  TrialStarted: 'value-added.TrialStarted',
  Activated: 'value-added.SubscriptionActivated',
  InitialPaymentFailed: 'value-added.InitialPaymentFailed',
  RenewalRequested: 'value-added.RenewalRequested',
  Renewed: 'value-added.SubscriptionRenewed',
  RenewalPaymentFailed: 'value-added.RenewalPaymentFailed',
  CancellationScheduled: 'value-added.CancellationScheduled',
  CancellationWithdrawn: 'value-added.CancellationWithdrawn',
  Canceled: 'value-added.SubscriptionCanceled',
  Expired: 'value-added.SubscriptionExpired',
} as const;

type T = typeof SubscriptionEventTypes;
type Ref = SubscriptionRef & { at: string };
export type SubscriptionEvent =
  | DomainEvent<
      T['Requested'],
      Ref & { plan: PlanSnapshot; paymentId: string; amountMinor: number; currency: string; coupon?: { code: string; discountMinor: number }; paymentMethod?: string; fillModelVersion?: string }
    >
  | DomainEvent<
      T['TrialStarted'],
      Ref & { plan: PlanSnapshot; periodStart: string; periodEnd: string; coupon?: { code: string; discountMinor: number }; paymentMethod?: string; fillModelVersion?: string }
    >
  | DomainEvent<T['Activated'], Ref & { paymentId: string; amountMinor: number; periodStart: string; periodEnd: string | null }>
  | DomainEvent<T['InitialPaymentFailed'], Ref & { paymentId: string; reason: string }>
  | DomainEvent<T['RenewalRequested'], Ref & { paymentId: string; amountMinor: number; currency: string; periodIndex: number; periodStart: string; periodEnd: string }>
  | DomainEvent<T['Renewed'], Ref & { paymentId: string; amountMinor: number; periodIndex: number; periodStart: string; periodEnd: string }>
  | DomainEvent<T['RenewalPaymentFailed'], Ref & { paymentId: string; reason: string; periodStart: string; graceEndsAt: string }>
  | DomainEvent<T['CancellationScheduled'], Ref & { by: string; effectiveAt: string }>
  | DomainEvent<T['CancellationWithdrawn'], Ref & { by: string }>
  | DomainEvent<
      T['Canceled'],
      Ref & { by: string; refund: { mode: RefundMode; amountMinor: number; currency: string; paymentId: string | null; refundId: string | null } }
    >
  | DomainEvent<T['Expired'], Ref & { reason: 'canceled_at_period_end' | 'payment_failed'; endedAt: string }>;

interface Current {
  readonly ref: SubscriptionRef;
  readonly status: SubscriptionStatus;
  readonly plan: PlanSnapshot;
  /** Paid periods are counted from here (calendar-correct, see periods.ts). */
  readonly anchor: string;
  /** Index of the next paid period to charge. */
  readonly nextIndex: number;
  readonly periodStart: string;
  /** null for a one-off purchase: access without end. */
  readonly periodEnd: string | null;
  readonly cancelAtPeriodEnd: boolean;
  /** The payment awaited, and what it pays for. */
  readonly pending?: { readonly paymentId: string; readonly purpose: 'initial' | 'renewal'; readonly amountMinor: number; readonly periodStart: string; readonly periodEnd: string | null; readonly periodIndex: number };
  /** The payment that paid for the current period, for refunds. */
  readonly paid?: { readonly paymentId: string; readonly amountMinor: number };
  readonly firstChargeDiscountMinor: number;
  readonly graceEndsAt?: string;
  readonly paymentMethod?: string;
}

export interface SubscriptionState {
  readonly trialUsed: boolean;
  readonly current?: Current;
}

const LIVE: readonly SubscriptionStatus[] = ['pending', 'trialing', 'active', 'past_due'];
export const isLive = (status: SubscriptionStatus) => LIVE.includes(status);

const periodBounds = (plan: PlanSnapshot, anchor: string, index: number) => ({
  periodStart: index === 0 ? anchor : periodEnd(anchor, plan.billingPeriod as RecurringPeriod, index - 1),
  periodEnd: periodEnd(anchor, plan.billingPeriod as RecurringPeriod, index),
});

type CommandOf<K extends SubscriptionCommand['type']> = Extract<SubscriptionCommand, { type: K }>;
type Decided = SubscriptionEvent[] | DomainError;

/** A new subscription: a trial when the plan has one not yet used, else a payment request (active at once when free). */
const subscribe = (command: CommandOf<'Subscribe'>, state: SubscriptionState): Decided => {
  const { at } = command;
  const current = state.current;
  if (current?.ref.subscriptionId === command.subscriptionId) return [];
  if (command.family !== 'value_added') {
    return ruleViolation('SUBSCRIPTION.ADVISORY_NOT_SOLD_HERE', 'A7', 'advisory products are bought through the advisory flow, which runs the suitability gate');
  }
  if (current && isLive(current.status)) {
    return new DomainError('conflict', 'SUBSCRIPTION.ALREADY_SUBSCRIBED', 'the investor already has a subscription to this product', undefined, {
      subscriptionId: current.ref.subscriptionId,
      status: current.status,
    });
  }
  const ref: SubscriptionRef = { subscriptionId: command.subscriptionId, investorId: command.investorId, listingId: command.listingId, kind: command.kind };
  const { plan, coupon } = command;
  if (coupon && (coupon.discountMinor < 0 || coupon.discountMinor > plan.priceMinor)) {
    return invalid('SUBSCRIPTION.DISCOUNT_INVALID', 'a discount is between zero and the price');
  }
  const couponData = {
    ...(coupon ? { coupon: { code: coupon.code, discountMinor: coupon.discountMinor } } : {}),
    ...(command.paymentMethod ? { paymentMethod: command.paymentMethod } : {}),
    // G6: a simulated-trading prop records the fill model its simulated trades run on (the same for every user).
    ...(command.kind === 'simulated_trading_prop' ? { fillModelVersion: FILL_MODEL_VERSION } : {}),
  };
  if (plan.trialDays && plan.billingPeriod !== 'one_off' && !state.trialUsed) {
    return [{ type: SubscriptionEventTypes.TrialStarted, data: { ...ref, at, plan, periodStart: at, periodEnd: addDays(at, plan.trialDays), ...couponData } }];
  }
  const amountMinor = plan.priceMinor - (coupon?.discountMinor ?? 0);
  const requested: SubscriptionEvent = {
    type: SubscriptionEventTypes.Requested,
    data: { ...ref, at, plan, paymentId: command.paymentId, amountMinor, currency: plan.currency, ...couponData },
  };
  if (amountMinor > 0) return [requested];
  // Nothing to pay (a free plan or a full discount): active at once.
  const end = plan.billingPeriod === 'one_off' ? null : periodEnd(at, plan.billingPeriod, 0);
  return [requested, { type: SubscriptionEventTypes.Activated, data: { ...ref, at, paymentId: command.paymentId, amountMinor: 0, periodStart: at, periodEnd: end } }];
};

const confirmPayment = (command: CommandOf<'ConfirmSubscriptionPayment'>, current: Current): Decided => {
  const { at } = command;
  const ref = current.ref;
  const pending = current.pending;
  // A repeated or stale payment callback changes nothing.
  if (!pending || pending.paymentId !== command.paymentId || !isLive(current.status)) return [];
  if (pending.purpose === 'initial') {
    const end = current.plan.billingPeriod === 'one_off' ? null : periodEnd(at, current.plan.billingPeriod, 0);
    return [{ type: SubscriptionEventTypes.Activated, data: { ...ref, at, paymentId: pending.paymentId, amountMinor: pending.amountMinor, periodStart: at, periodEnd: end } }];
  }
  return [
    {
      type: SubscriptionEventTypes.Renewed,
      data: {
        ...ref,
        at,
        paymentId: pending.paymentId,
        amountMinor: pending.amountMinor,
        periodIndex: pending.periodIndex,
        periodStart: pending.periodStart,
        periodEnd: pending.periodEnd as string,
      },
    },
  ];
};

const failPayment = (command: CommandOf<'FailSubscriptionPayment'>, current: Current): Decided => {
  const { at } = command;
  const ref = current.ref;
  const pending = current.pending;
  if (!pending || pending.paymentId !== command.paymentId || !isLive(current.status)) return [];
  if (pending.purpose === 'initial') {
    return [{ type: SubscriptionEventTypes.InitialPaymentFailed, data: { ...ref, at, paymentId: pending.paymentId, reason: command.reason } }];
  }
  const graceEndsAt = current.graceEndsAt ?? addDays(pending.periodStart, command.graceDays);
  return [
    {
      type: SubscriptionEventTypes.RenewalPaymentFailed,
      data: { ...ref, at, paymentId: pending.paymentId, reason: command.reason, periodStart: pending.periodStart, graceEndsAt },
    },
  ];
};

const requestRenewal = (command: CommandOf<'RequestRenewal'>, current: Current): Decided => {
  const { at } = command;
  const ref = current.ref;
  if (current.plan.billingPeriod === 'one_off' || current.periodEnd === null) {
    return conflict('SUBSCRIPTION.NOT_RENEWABLE', 'a one-off purchase does not renew');
  }
  if (!['trialing', 'active', 'past_due'].includes(current.status)) return conflict('SUBSCRIPTION.NOT_RENEWABLE', `a ${current.status} subscription does not renew`);
  if (current.cancelAtPeriodEnd) return conflict('SUBSCRIPTION.CANCELED_AT_PERIOD_END', 'the subscription ends at the end of this period');
  const next = periodBounds(current.plan, current.anchor, current.nextIndex);
  // Renewing a period that is already paid for (or being paid for) is refused: a second run of the job is a no-op.
  if (command.periodStart !== next.periodStart) {
    return conflict('SUBSCRIPTION.PERIOD_ALREADY_RENEWED', `the period starting ${command.periodStart} is not the next one to renew (${next.periodStart})`);
  }
  if (current.pending) return conflict('SUBSCRIPTION.RENEWAL_IN_PROGRESS', `payment ${current.pending.paymentId} for this period is in progress`);
  if (Date.parse(at) < Date.parse(next.periodStart) - Math.max(command.renewAheadMs, 0)) {
    return conflict('SUBSCRIPTION.RENEWAL_NOT_DUE', `renewal is due at ${next.periodStart}`);
  }
  const amountMinor = current.plan.priceMinor - current.firstChargeDiscountMinor;
  return [
    {
      type: SubscriptionEventTypes.RenewalRequested,
      data: { ...ref, at, paymentId: command.paymentId, amountMinor, currency: current.plan.currency, periodIndex: current.nextIndex, ...next },
    },
  ];
};

const cancelAtPeriodEnd = (command: CommandOf<'CancelAtPeriodEnd'>, current: Current): Decided => {
  const { at } = command;
  const ref = current.ref;
  if (current.status === 'pending' || current.periodEnd === null) {
    return conflict('SUBSCRIPTION.NO_PERIOD_TO_END', 'this subscription has no running period: cancel it immediately instead');
  }
  if (!isLive(current.status)) return conflict('SUBSCRIPTION.NOT_LIVE', `the subscription is ${current.status}`);
  if (current.cancelAtPeriodEnd) return [];
  return [{ type: SubscriptionEventTypes.CancellationScheduled, data: { ...ref, at, by: command.actorId, effectiveAt: current.periodEnd } }];
};

const withdrawCancellation = (command: CommandOf<'WithdrawCancellation'>, current: Current): Decided => {
  const { at } = command;
  const ref = current.ref;
  if (!current.cancelAtPeriodEnd || !isLive(current.status)) return conflict('SUBSCRIPTION.NOT_CANCELING', 'no cancellation is scheduled');
  if (current.periodEnd !== null && Date.parse(at) >= Date.parse(current.periodEnd)) {
    return conflict('SUBSCRIPTION.PERIOD_ENDED', 'the period has ended: subscribe again instead');
  }
  return [{ type: SubscriptionEventTypes.CancellationWithdrawn, data: { ...ref, at, by: command.actorId } }];
};

const cancelImmediately = (command: CommandOf<'CancelImmediately'>, current: Current): Decided => {
  const { at } = command;
  const ref = current.ref;
  if (!isLive(current.status)) return conflict('SUBSCRIPTION.NOT_LIVE', `the subscription is ${current.status}`);
  if (!['none', 'prorated', 'full'].includes(command.refundMode)) {
    return invalid('SUBSCRIPTION.REFUND_MODE_REQUIRED', 'an immediate cancellation states its refund mode: none, prorated or full');
  }
  const paid = current.status === 'active' || current.status === 'past_due' ? current.paid : undefined;
  let amountMinor = 0;
  if (paid && command.refundMode === 'full') amountMinor = paid.amountMinor;
  if (paid && command.refundMode === 'prorated') {
    if (current.periodEnd === null) return invalid('SUBSCRIPTION.PRORATION_NOT_APPLICABLE', 'a one-off purchase has no period to prorate');
    amountMinor = proratedRemainder(paid.amountMinor, current.periodStart, current.periodEnd, at);
  }
  return [
    {
      type: SubscriptionEventTypes.Canceled,
      data: {
        ...ref,
        at,
        by: command.actorId,
        refund: {
          mode: command.refundMode,
          amountMinor,
          currency: current.plan.currency,
          paymentId: amountMinor > 0 && paid ? paid.paymentId : null,
          refundId: amountMinor > 0 ? command.refundId : null,
        },
      },
    },
  ];
};

const expire = (command: CommandOf<'ExpireSubscription'>, current: Current): Decided => {
  const { at } = command;
  const ref = current.ref;
  const now = Date.parse(at);
  if (current.status === 'past_due' && current.graceEndsAt && now >= Date.parse(current.graceEndsAt)) {
    return [{ type: SubscriptionEventTypes.Expired, data: { ...ref, at, reason: 'payment_failed', endedAt: current.graceEndsAt } }];
  }
  if (isLive(current.status) && current.cancelAtPeriodEnd && current.periodEnd !== null && now >= Date.parse(current.periodEnd)) {
    return [{ type: SubscriptionEventTypes.Expired, data: { ...ref, at, reason: 'canceled_at_period_end', endedAt: current.periodEnd } }];
  }
  return conflict('SUBSCRIPTION.NOT_DUE_TO_EXPIRE', 'the subscription is not due to expire');
};

const decide = (command: SubscriptionCommand, state: SubscriptionState): Decided => {
  if (command.type === 'Subscribe') return subscribe(command, state);
  const current = state.current;
  if (!current || current.ref.subscriptionId !== command.subscriptionId) {
    return notFound('SUBSCRIPTION.NOT_FOUND', `subscription ${command.subscriptionId} does not exist`);
  }
  switch (command.type) {
    case 'ConfirmSubscriptionPayment':
      return confirmPayment(command, current);
    case 'FailSubscriptionPayment':
      return failPayment(command, current);
    case 'RequestRenewal':
      return requestRenewal(command, current);
    case 'CancelAtPeriodEnd':
      return cancelAtPeriodEnd(command, current);
    case 'WithdrawCancellation':
      return withdrawCancellation(command, current);
    case 'CancelImmediately':
      return cancelImmediately(command, current);
    case 'ExpireSubscription':
      return expire(command, current);
  }
};

const evolve = (state: SubscriptionState, event: SubscriptionEvent): SubscriptionState => {
  const { subscriptionId, investorId, listingId, kind } = event.data;
  const ref = { subscriptionId, investorId, listingId, kind };
  switch (event.type) {
    case SubscriptionEventTypes.TrialStarted:
      return {
        trialUsed: true,
        current: {
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
        },
      };
    case SubscriptionEventTypes.Requested:
      return {
        ...state,
        current: {
          ref,
          status: 'pending',
          plan: event.data.plan,
          anchor: event.data.at,
          nextIndex: 0,
          periodStart: event.data.at,
          periodEnd: null,
          cancelAtPeriodEnd: false,
          pending: { paymentId: event.data.paymentId, purpose: 'initial', amountMinor: event.data.amountMinor, periodStart: event.data.at, periodEnd: null, periodIndex: 0 },
          firstChargeDiscountMinor: 0,
          paymentMethod: event.data.paymentMethod,
        },
      };
  }
  const current = state.current;
  if (!current) return state;
  switch (event.type) {
    case SubscriptionEventTypes.Activated:
      return {
        ...state,
        current: {
          ...current,
          status: 'active',
          anchor: event.data.periodStart,
          nextIndex: 1,
          periodStart: event.data.periodStart,
          periodEnd: event.data.periodEnd,
          pending: undefined,
          paid: { paymentId: event.data.paymentId, amountMinor: event.data.amountMinor },
        },
      };
    case SubscriptionEventTypes.InitialPaymentFailed:
      return { ...state, current: { ...current, status: 'canceled', pending: undefined } };
    case SubscriptionEventTypes.RenewalRequested:
      return {
        ...state,
        current: {
          ...current,
          pending: {
            paymentId: event.data.paymentId,
            purpose: 'renewal',
            amountMinor: event.data.amountMinor,
            periodStart: event.data.periodStart,
            periodEnd: event.data.periodEnd,
            periodIndex: event.data.periodIndex,
          },
        },
      };
    case SubscriptionEventTypes.Renewed:
      return {
        ...state,
        current: {
          ...current,
          status: 'active',
          nextIndex: event.data.periodIndex + 1,
          periodStart: event.data.periodStart,
          periodEnd: event.data.periodEnd,
          pending: undefined,
          paid: { paymentId: event.data.paymentId, amountMinor: event.data.amountMinor },
          firstChargeDiscountMinor: 0,
          graceEndsAt: undefined,
        },
      };
    case SubscriptionEventTypes.RenewalPaymentFailed:
      return { ...state, current: { ...current, status: 'past_due', pending: undefined, graceEndsAt: event.data.graceEndsAt } };
    case SubscriptionEventTypes.CancellationScheduled:
      return { ...state, current: { ...current, cancelAtPeriodEnd: true } };
    case SubscriptionEventTypes.CancellationWithdrawn:
      return { ...state, current: { ...current, cancelAtPeriodEnd: false } };
    case SubscriptionEventTypes.Canceled:
      return { ...state, current: { ...current, status: 'canceled', pending: undefined } };
    case SubscriptionEventTypes.Expired:
      return { ...state, current: { ...current, status: 'expired', pending: undefined } };
    default:
      return state;
  }
};

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> = {
  initialState: { trialUsed: false },
  decide,
  evolve,
};

/** One stream per investor and product (see the file comment). */
export const SUBSCRIPTION_STREAM_PREFIX = 'value-added.subscriptions-';
export const subscriptionStreamId = (investorId: string, listingId: string) => `${SUBSCRIPTION_STREAM_PREFIX}${investorId}-${listingId}`;

/** The next period the renewal job should charge, or null when none is due. */
export const nextRenewal = (state: SubscriptionState): { periodStart: string; periodEnd: string } | null => {
  const current = state.current;
  if (!current || current.periodEnd === null || current.plan.billingPeriod === 'one_off' || current.cancelAtPeriodEnd || current.pending) return null;
  if (!['trialing', 'active', 'past_due'].includes(current.status)) return null;
  return periodBounds(current.plan, current.anchor, current.nextIndex);
};
