/** The subscription decider's decisions, one function per command (the rules of the life cycle in subscription.ts). */
import { conflict, DomainError, FILL_MODEL_VERSION, invalid, notFound, ruleViolation, unreachable } from '@app/common';
import { addDays, proratedRemainder, periodEnd } from './periods';
import { SubscriptionCommand, SubscriptionEvent, SubscriptionEventTypes, SubscriptionRef } from './subscription.events';
import { Subscription, SubscriptionState, awaitedPayment, isLive, isRenewing, periodBounds } from './subscription.state';

type CommandOf<K extends SubscriptionCommand['type']> = Extract<SubscriptionCommand, { type: K }>;
type Decided = SubscriptionEvent[] | DomainError;

/** A new subscription: a trial when the plan has one not yet used, else a payment request (active at once when free). */
const subscribe = (command: CommandOf<'Subscribe'>, state: SubscriptionState): Decided => {
  const { at } = command;
  const current = state.current;
  if (current?.ref.subscriptionId === command.subscriptionId) return [];
  if (command.family !== 'value_added') {
    return ruleViolation(
      'SUBSCRIPTION.ADVISORY_NOT_SOLD_HERE',
      'A7',
      'advisory products are bought through the advisory flow, which runs the suitability gate',
    );
  }
  if (current && isLive(current.status)) {
    return new DomainError(
      'conflict',
      'SUBSCRIPTION.ALREADY_SUBSCRIBED',
      'the investor already has a subscription to this product',
      undefined,
      {
        subscriptionId: current.ref.subscriptionId,
        status: current.status,
      },
    );
  }
  const ref: SubscriptionRef = {
    subscriptionId: command.subscriptionId,
    investorId: command.investorId,
    listingId: command.listingId,
    kind: command.kind,
  };
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
    return [
      {
        type: SubscriptionEventTypes.TrialStarted,
        data: { ...ref, at, plan, periodStart: at, periodEnd: addDays(at, plan.trialDays), ...couponData },
      },
    ];
  }
  const amountMinor = plan.priceMinor - (coupon?.discountMinor ?? 0);
  const requested: SubscriptionEvent = {
    type: SubscriptionEventTypes.Requested,
    data: { ...ref, at, plan, paymentId: command.paymentId, amountMinor, currency: plan.currency, ...couponData },
  };
  if (amountMinor > 0) return [requested];
  // Nothing to pay (a free plan or a full discount): active at once.
  const end = plan.billingPeriod === 'one_off' ? null : periodEnd(at, plan.billingPeriod, 0);
  return [
    requested,
    {
      type: SubscriptionEventTypes.Activated,
      data: { ...ref, at, paymentId: command.paymentId, amountMinor: 0, periodStart: at, periodEnd: end },
    },
  ];
};

const confirmPayment = (command: CommandOf<'ConfirmSubscriptionPayment'>, current: Subscription): Decided => {
  const { at } = command;
  const ref = current.ref;
  const pending = awaitedPayment(current);
  // A repeated or stale payment callback changes nothing.
  if (!pending || pending.paymentId !== command.paymentId) return [];
  if (pending.purpose === 'initial') {
    const end = current.plan.billingPeriod === 'one_off' ? null : periodEnd(at, current.plan.billingPeriod, 0);
    return [
      {
        type: SubscriptionEventTypes.Activated,
        data: { ...ref, at, paymentId: pending.paymentId, amountMinor: pending.amountMinor, periodStart: at, periodEnd: end },
      },
    ];
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
        periodEnd: pending.periodEnd,
      },
    },
  ];
};

const failPayment = (command: CommandOf<'FailSubscriptionPayment'>, current: Subscription): Decided => {
  const { at } = command;
  const ref = current.ref;
  const pending = awaitedPayment(current);
  if (!pending || pending.paymentId !== command.paymentId) return [];
  if (pending.purpose === 'initial') {
    return [
      { type: SubscriptionEventTypes.InitialPaymentFailed, data: { ...ref, at, paymentId: pending.paymentId, reason: command.reason } },
    ];
  }
  const graceEndsAt = current.status === 'past_due' ? current.graceEndsAt : addDays(pending.periodStart, command.graceDays);
  return [
    {
      type: SubscriptionEventTypes.RenewalPaymentFailed,
      data: { ...ref, at, paymentId: pending.paymentId, reason: command.reason, periodStart: pending.periodStart, graceEndsAt },
    },
  ];
};

const requestRenewal = (command: CommandOf<'RequestRenewal'>, current: Subscription): Decided => {
  const { at } = command;
  const ref = current.ref;
  if (current.plan.billingPeriod === 'one_off' || current.periodEnd === null) {
    return conflict('SUBSCRIPTION.NOT_RENEWABLE', 'a one-off purchase does not renew');
  }
  if (!isRenewing(current)) return conflict('SUBSCRIPTION.NOT_RENEWABLE', `a ${current.status} subscription does not renew`);
  if (current.cancelAtPeriodEnd) return conflict('SUBSCRIPTION.CANCELED_AT_PERIOD_END', 'the subscription ends at the end of this period');
  const next = periodBounds(current.plan, current.anchor, current.nextIndex);
  // Renewing a period that is already paid for (or being paid for) is refused: a second run of the job is a no-op.
  if (command.periodStart !== next.periodStart) {
    return conflict(
      'SUBSCRIPTION.PERIOD_ALREADY_RENEWED',
      `the period starting ${command.periodStart} is not the next one to renew (${next.periodStart})`,
    );
  }
  if (current.pending)
    return conflict('SUBSCRIPTION.RENEWAL_IN_PROGRESS', `payment ${current.pending.paymentId} for this period is in progress`);
  if (Date.parse(at) < Date.parse(next.periodStart) - Math.max(command.renewAheadMs, 0)) {
    return conflict('SUBSCRIPTION.RENEWAL_NOT_DUE', `renewal is due at ${next.periodStart}`);
  }
  const amountMinor = current.plan.priceMinor - current.firstChargeDiscountMinor;
  return [
    {
      type: SubscriptionEventTypes.RenewalRequested,
      data: {
        ...ref,
        at,
        paymentId: command.paymentId,
        amountMinor,
        currency: current.plan.currency,
        periodIndex: current.nextIndex,
        ...next,
      },
    },
  ];
};

const cancelAtPeriodEnd = (command: CommandOf<'CancelAtPeriodEnd'>, current: Subscription): Decided => {
  const { at } = command;
  const ref = current.ref;
  if (current.status === 'pending' || current.periodEnd === null) {
    return conflict('SUBSCRIPTION.NO_PERIOD_TO_END', 'this subscription has no running period: cancel it immediately instead');
  }
  if (!isLive(current.status)) return conflict('SUBSCRIPTION.NOT_LIVE', `the subscription is ${current.status}`);
  if (current.cancelAtPeriodEnd) return [];
  return [
    { type: SubscriptionEventTypes.CancellationScheduled, data: { ...ref, at, by: command.actorId, effectiveAt: current.periodEnd } },
  ];
};

const withdrawCancellation = (command: CommandOf<'WithdrawCancellation'>, current: Subscription): Decided => {
  const { at } = command;
  const ref = current.ref;
  if (!current.cancelAtPeriodEnd || !isLive(current.status)) return conflict('SUBSCRIPTION.NOT_CANCELING', 'no cancellation is scheduled');
  if (current.periodEnd !== null && Date.parse(at) >= Date.parse(current.periodEnd)) {
    return conflict('SUBSCRIPTION.PERIOD_ENDED', 'the period has ended: subscribe again instead');
  }
  return [{ type: SubscriptionEventTypes.CancellationWithdrawn, data: { ...ref, at, by: command.actorId } }];
};

const cancelImmediately = (command: CommandOf<'CancelImmediately'>, current: Subscription): Decided => {
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

const expire = (command: CommandOf<'ExpireSubscription'>, current: Subscription): Decided => {
  const { at } = command;
  const ref = current.ref;
  const now = Date.parse(at);
  if (current.status === 'past_due' && now >= Date.parse(current.graceEndsAt)) {
    return [{ type: SubscriptionEventTypes.Expired, data: { ...ref, at, reason: 'payment_failed', endedAt: current.graceEndsAt } }];
  }
  if (isLive(current.status) && current.cancelAtPeriodEnd && current.periodEnd !== null && now >= Date.parse(current.periodEnd)) {
    return [{ type: SubscriptionEventTypes.Expired, data: { ...ref, at, reason: 'canceled_at_period_end', endedAt: current.periodEnd } }];
  }
  return conflict('SUBSCRIPTION.NOT_DUE_TO_EXPIRE', 'the subscription is not due to expire');
};

export const decide = (command: SubscriptionCommand, state: SubscriptionState): Decided => {
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
    default:
      return unreachable(command);
  }
};
