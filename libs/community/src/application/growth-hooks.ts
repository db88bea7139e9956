/**
 * What community tells the growth context, and what it needs from reach.
 *
 * Activity: group joins, posts and live attendance go to growth's `ActivitySink` (libs/growth/src/audience.ts), which
 * keeps only activity under analytics consent (G7); GrowthModule binds it. A failure to record is logged, never the
 * member's problem (activity is analytics, not regulated evidence).
 *
 * Reach: hosts send campaign messages only through the reach rules (G1 consent, G2 caps and quiet hours, G3 content
 * guard and suitability, G4 attribution). `HostCampaigns` is the port community calls; `ReachHostCampaigns`
 * (host-campaigns.ts) implements it with reach's campaign path and its `group_members` audience. Community never sends
 * a message itself.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import { CommandContext } from '@app/common';
import { ActivitySink, ObservedActivity } from '@app/growth';

export interface HostCampaignRequest {
  readonly groupId: string;
  readonly channel: 'in_app' | 'push' | 'sms' | 'wechat';
  readonly title: string;
  readonly body: string;
  /** The product the message is about, if any (an advisory product reaches only members it suits: G3). */
  readonly productId: string | null;
}

export interface HostCampaignAnswer {
  readonly campaignId: string;
  readonly groupId: string;
  readonly status: 'none' | 'scheduled' | 'running' | 'completed';
  readonly batches: number;
  /** Set when quiet hours deferred the fan-out (G2): when it carries on. */
  readonly deferredUntil: string | null;
}

export abstract class HostCampaigns {
  /** Sends the group owner's or a group host's message to the group's members through the reach rules (G1–G4). */
  abstract send(request: HostCampaignRequest, context: CommandContext): Promise<HostCampaignAnswer>;
}

@Injectable()
export class CommunityActivity {
  private readonly logger = new Logger('CommunityActivity');

  constructor(@Optional() private readonly sink?: ActivitySink) {}

  /** Fire and forget: activity is analytics, not a condition of the member's request. */
  record(activities: readonly ObservedActivity[]): void {
    if (!this.sink || activities.length === 0) return;
    this.sink.record(activities).catch((error: unknown) => this.logger.warn(`activity not recorded: ${String(error)}`));
  }
}
