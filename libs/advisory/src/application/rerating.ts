/**
 * L4: when compliance approves a new risk rating for a published advisory product, every current subscriber is
 * re-matched and notified, and those who no longer match have their renewal blocked. Runs from the advisory
 * projection, which sees the rating change after every purchase that preceded it in the log.
 */
import { Injectable } from '@nestjs/common';
import { Clock, CommandContext, DomainError, systemContext } from '@app/common';
import { AggregateStore, JsonLogger } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../domain';
import { AdvisoryReaders } from './readers';

@Injectable()
export class ReratingProcess {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
  ) {}

  async apply(productId: string, subscribers: readonly { engagementId: string; investorId: string; planId: string }[], causationId: string): Promise<void> {
    for (const subscriber of subscribers) {
      const now = this.clock.now();
      const context: CommandContext = { ...systemContext(now, causationId), causationId };
      try {
        await this.rematch(productId, subscriber, now, context);
      } catch (error) {
        // A refusal for one subscriber must not stall the read models for everyone; it is logged for compliance follow-up.
        if (!(error instanceof DomainError)) throw error;
        this.logger.event('error', 'advisory', { msg: 're-rating not applied', productId, engagementId: subscriber.engagementId, code: error.code });
      }
    }
  }

  private async rematch(productId: string, subscriber: { engagementId: string; investorId: string; planId: string }, now: Date, context: CommandContext): Promise<void> {
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(subscriber.investorId, now), this.readers.product(productId, subscriber.planId)]);
    await this.store.execute(
      engagementDecider,
      engagementStreamId(subscriber.engagementId),
      { type: 'ApplyProductRerating', engagementId: subscriber.engagementId, investor: snapshot, product, step: { actorId: 'system', at: now.toISOString(), channel: 'system' } },
      context,
      // Called from inside a projection batch: waiting for projections here would wait for itself.
      { waitForProjections: false },
    );
  }
}
