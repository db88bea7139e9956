/**
 * L4: when compliance approves a new risk rating for a published advisory product, every current subscriber is
 * re-matched and notified, and those who no longer match have their renewal blocked. A reactor: the approved change
 * (catalog.RiskRatingChangeApproved) calls for one re-rating command per subscriber, run through the command bus.
 */
import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CommandContext, stepOf } from '@app/common';
import { RecordedEvent } from '@app/event-store';
import { AggregateStore, EventReactor, Reaction, Reactor, reaction } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../../domain';
import { AdvisoryReaders } from '../readers';

export const RATING_CHANGE_APPROVED = 'catalog.RiskRatingChangeApproved';

export interface Subscriber {
  readonly engagementId: string;
  readonly investorId: string;
  readonly planId: string;
}

/** Re-match one subscriber of `productId` at the product's current rating (a replay or a former subscriber: nothing). */
export class RerateSubscriberCommand {
  constructor(
    readonly productId: string,
    readonly subscriber: Subscriber,
    readonly context: CommandContext,
  ) {}
}

/** Given an approved rating change and the product's subscribers at that point of the log: one command each. */
export const reratingReactions = (event: Pick<RecordedEvent, 'type' | 'data'>, subscribers: readonly Subscriber[]): Reaction[] => {
  if (event.type !== RATING_CHANGE_APPROVED) return [];
  const productId = String(event.data.listingId);
  return subscribers.map((subscriber) =>
    reaction(subscriber.engagementId, (context) => new RerateSubscriberCommand(productId, subscriber, context)),
  );
};

@Injectable()
@EventReactor()
export class ReratingReactor implements Reactor {
  readonly name = 'advisory.rerating';
  /** The subscribers come from the engagements read model, once it has applied everything before the change. */
  readonly readsProjections = true;
  readonly types = [RATING_CHANGE_APPROVED];

  constructor(private readonly dataSource: DataSource) {}

  async react(event: RecordedEvent): Promise<readonly Reaction[]> {
    if (event.type !== RATING_CHANGE_APPROVED) return [];
    const rows: { engagement_id: string; investor_id: string; plan_id: string }[] = await this.dataSource.query(
      `SELECT engagement_id, investor_id, plan_id FROM advisory_engagements WHERE product_id = $1 AND status IN ('active', 'payment_pending') ORDER BY engagement_id`,
      [String(event.data.listingId)],
    );
    return reratingReactions(
      event,
      rows.map((row) => ({ engagementId: row.engagement_id, investorId: row.investor_id, planId: row.plan_id })),
    );
  }
}

/** Decided on the investor's standing and the product as they are now; both reads are conditions of the append. */
@CommandHandler(RerateSubscriberCommand)
export class RerateSubscriberHandler implements ICommandHandler<RerateSubscriberCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly readers: AdvisoryReaders,
  ) {}

  execute({ productId, subscriber, context }: RerateSubscriberCommand): Promise<{ engagementId: string; events: number }> {
    return this.aggregates.handle(
      engagementDecider,
      engagementStreamId(subscriber.engagementId),
      async (reads) => {
        const [{ snapshot }, product] = await Promise.all([
          this.readers.investor(subscriber.investorId, context.now, reads),
          this.readers.product(productId, subscriber.planId, reads),
        ]);
        return {
          type: 'ApplyProductRerating' as const,
          engagementId: subscriber.engagementId,
          investor: snapshot,
          product,
          step: stepOf(context),
        };
      },
      context,
      ({ events }) => ({ engagementId: subscriber.engagementId, events: events.length }),
    );
  }
}
