/**
 * What community tells the growth context, and what it needs from reach.
 *
 * Activity: group joins, posts and live attendance go to growth's `ActivitySink` (libs/growth/src/audience.ts), which
 * keeps only activity under analytics consent (G7); GrowthModule binds it. A failure to record is logged, never the
 * member's problem (activity is analytics, not regulated evidence).
 *
 * Reach: hosts send campaign messages only through the reach rules (G1 consent, G2 caps and quiet hours, G3 content
 * guard and suitability, G4 attribution). `HostCampaigns` is the port community calls; the reach context implements
 * it. Community never sends a message itself.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import { ActivitySink, ObservedActivity } from '@app/growth';

export abstract class HostCampaigns {
  /** Sends a host's message to an audience through the reach rules (G1–G4); answers what reach accepted. */
  abstract send(request: {
    hostId: string;
    groupId: string;
    message: string;
    correlationId: string;
  }): Promise<{ readonly campaignId: string; readonly accepted: number }>;
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
