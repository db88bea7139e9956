/**
 * L4: when compliance approves a new risk rating for a published advisory product, every current subscriber is
 * re-matched and notified, and those who no longer match have their renewal blocked. Runs from the advisory
 * projection, which sees the rating change after every purchase that preceded it in the log.
 */
import { Injectable } from '@nestjs/common';
import { Clock, systemContext } from '@app/common';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../domain';
import { AdvisoryReaders } from './readers';

@Injectable()
export class ReratingProcess {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    private readonly clock: Clock,
  ) {}

  async apply(productId: string, subscribers: readonly { engagementId: string; investorId: string; planId: string }[], causationId: string): Promise<void> {
    for (const subscriber of subscribers) {
      const now = this.clock.now();
      const context = { ...systemContext(now, causationId), causationId };
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
}
