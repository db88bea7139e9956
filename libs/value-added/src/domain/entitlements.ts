/**
 * Entitlements as a pure function of subscription history: "may this investor use feature X at instant T?". The
 * answer depends only on the events, so it is the same for a live request and for an audit question about the past.
 * Tips (V4) are not subscriptions and grant nothing: only subscription events are read.
 */
import { DomainEvent } from '@app/common';
import { SubscriptionEvent, SubscriptionEventTypes as E } from './subscription';

/** What each value-added kind unlocks. A tipping target unlocks nothing (V4). */
export const FEATURES_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  level2_data: ['level2.quotes'],
  course: ['course.content'],
  tool: ['tools.use'],
  article: ['articles.read'],
  simulated_trading_prop: ['simulated_trading.props'],
  live_stream_tipping_target: [],
};

export interface Entitlement {
  readonly feature: string;
  readonly listingId: string;
  readonly subscriptionId: string;
  /** End of the access interval that covers the instant asked about; null when it has no end (one-off purchase). */
  readonly validUntil: string | null;
}

interface Interval {
  readonly from: number;
  readonly to: number; // Infinity for no end
}

interface Access {
  listingId: string;
  kind: string;
  intervals: Interval[];
  cutAt: number; // an immediate cancellation ends all access from that instant
}

const subscriptionTypes = new Set<string>(Object.values(E));

const accessBySubscription = (events: readonly DomainEvent[]): Map<string, Access> => {
  const bySubscription = new Map<string, Access>();
  for (const raw of events) {
    if (!subscriptionTypes.has(raw.type)) continue;
    const event = raw as SubscriptionEvent;
    const { subscriptionId, listingId, kind } = event.data;
    const access = bySubscription.get(subscriptionId) ?? { listingId, kind, intervals: [], cutAt: Infinity };
    bySubscription.set(subscriptionId, access);
    switch (event.type) {
      case E.TrialStarted:
      case E.Activated:
      case E.Renewed: {
        const end = event.data.periodEnd;
        access.intervals.push({ from: Date.parse(event.data.periodStart), to: end === null ? Infinity : Date.parse(end) });
        break;
      }
      case E.RenewalPaymentFailed:
        // The grace period keeps access while the investor fixes the payment.
        access.intervals.push({ from: Date.parse(event.data.periodStart), to: Date.parse(event.data.graceEndsAt) });
        break;
      case E.Canceled:
        access.cutAt = Math.min(access.cutAt, Date.parse(event.data.at));
        break;
      case E.Expired:
        access.cutAt = Math.min(access.cutAt, Date.parse(event.data.endedAt));
        break;
    }
  }
  return bySubscription;
};

/** Every feature the history grants at instant `atIso`. */
export const entitlementsAt = (events: readonly DomainEvent[], atIso: string): Entitlement[] => {
  const at = Date.parse(atIso);
  const result: Entitlement[] = [];
  for (const [subscriptionId, access] of accessBySubscription(events)) {
    if (at >= access.cutAt) continue;
    const covering = access.intervals.filter((interval) => interval.from <= at && at < Math.min(interval.to, access.cutAt));
    if (covering.length === 0) continue;
    const until = Math.min(Math.max(...covering.map((interval) => interval.to)), access.cutAt);
    for (const feature of FEATURES_BY_KIND[access.kind] ?? []) {
      result.push({
        feature,
        listingId: access.listingId,
        subscriptionId,
        validUntil: until === Infinity ? null : new Date(until).toISOString(),
      });
    }
  }
  return result.sort((a, b) => a.feature.localeCompare(b.feature) || a.listingId.localeCompare(b.listingId));
};

export const mayUse = (events: readonly DomainEvent[], feature: string, atIso: string): boolean =>
  entitlementsAt(events, atIso).some((entitlement) => entitlement.feature === feature);
