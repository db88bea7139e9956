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
import { Decider } from '@app/common';
import { decide } from './subscription.decisions';
import { SubscriptionCommand, SubscriptionEvent } from './subscription.events';
import { SubscriptionState, evolve } from './subscription.state';

export * from './subscription.events';
export * from './subscription.state';

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> = {
  initialState: { trialUsed: false },
  decide,
  evolve,
};

/** One stream per investor and product (see the file comment). */
export const SUBSCRIPTION_STREAM_PREFIX = 'value-added.subscriptions-';
export const subscriptionStreamId = (investorId: string, listingId: string) => `${SUBSCRIPTION_STREAM_PREFIX}${investorId}-${listingId}`;
