/**
 * What the growth context answers for the other contexts that act on users (reach campaigns, rewards, community):
 * who is in a segment, who was active, who reached a funnel stage. The growth context implements these from its read
 * models and binds them in GrowthModule; callers depend on these abstract classes only.
 */

export { RFM_SEGMENTS, FUNNEL_STAGES } from './domain/segments';
export type { RfmSegment, FunnelStage } from './domain/segments';
import type { FunnelStage, RfmSegment } from './domain/segments';

export type SegmentSpec =
  | { readonly kind: 'all_investors' }
  | { readonly kind: 'rfm'; readonly segment: RfmSegment }
  | { readonly kind: 'inactive'; readonly days: number }
  | { readonly kind: 'churned_last_month' }
  | { readonly kind: 'funnel_stage'; readonly productKind: string; readonly stage: FunnelStage }
  | { readonly kind: 'holders'; readonly listingId: string };

export abstract class AudienceQuery {
  /** Investor ids in the segment as of `asOf`, ascending, strictly after `after`, at most `limit` of them. */
  abstract page(spec: SegmentSpec, asOf: Date, after: string | null, limit: number): Promise<readonly string[]>;
}

export abstract class ActivityQuery {
  /** Whether the investor had any activity of these types in [from, to). */
  abstract any(investorId: string, types: readonly string[], from: Date, to: Date): Promise<boolean>;
  /** Of these investors, the ones with any activity in [from, to). */
  abstract activeAmong(investorIds: readonly string[], from: Date, to: Date): Promise<ReadonlySet<string>>;
  /** Of these investors, the ones who reached the funnel stage for the product kind in [from, to). */
  abstract reachedStageAmong(
    investorIds: readonly string[],
    productKind: string,
    stage: FunnelStage,
    from: Date,
    to: Date,
  ): Promise<ReadonlySet<string>>;
}

/** One thing the app or another context observed a user do. `clientEventId` makes the record idempotent. */
export interface ObservedActivity {
  readonly investorId: string;
  readonly type: string;
  readonly at: Date;
  readonly clientEventId: string;
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  /** The product kinds it is funnel evidence for, when not one listing's (an account opening prepares every advisory kind). */
  readonly productKinds?: readonly string[];
}

export abstract class ActivitySink {
  /** Records activity for users whose consent covers analytics (G7); the others are dropped and counted. */
  abstract record(activities: readonly ObservedActivity[]): Promise<{ readonly recorded: number; readonly dropped: number }>;
}
