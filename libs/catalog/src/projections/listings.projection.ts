import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { ListingContent, ListingEvent, ListingEventTypes as E } from '../domain/listing';
import { ListingView } from './listing-view.entity';

const contentColumns = (content: ListingContent) => ({
  kind: content.kind,
  title: content.title,
  description: content.description,
  plans: [...content.plans],
  advisory: content.advisory ?? null,
  riskLevel: content.advisory?.riskLevel ?? null,
  minPriceMinor: content.plans.length ? Math.min(...content.plans.map((plan) => plan.priceMinor)) : null,
});

/** catalog_listings: one row per listing, replaced field by field as its events arrive. Replays are harmless. */
@Injectable()
@EventProjection()
export class ListingsProjection implements Projection {
  readonly name = 'catalog.listings';
  readonly tables = ['catalog_listings'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const repo = manager.getRepository(ListingView);
    for (const recorded of events) {
      if (!recorded.type.startsWith('catalog.')) continue;
      const event = recorded as unknown as ListingEvent;
      const at = new Date(event.data.at);
      const listingId = event.data.listingId;
      switch (event.type) {
        case E.Drafted:
          await repo.upsert(
            {
              listingId,
              status: 'draft',
              family: event.data.family,
              ...contentColumns(event.data.content),
              createdBy: event.data.by,
              submittedBy: null,
              reviewedBy: null,
              reviewNote: null,
              pendingRatingChange: null,
              createdAt: at,
              updatedAt: at,
              publishedAt: null,
            },
            ['listingId'],
          );
          break;
        case E.Revised:
          await repo.update(
            { listingId },
            { status: 'draft', family: event.data.family, ...contentColumns(event.data.content), submittedBy: null, updatedAt: at },
          );
          break;
        case E.Submitted:
          await repo.update({ listingId }, { status: 'submitted', submittedBy: event.data.by, updatedAt: at });
          break;
        case E.Approved:
          await repo.update(
            { listingId },
            { status: 'approved', reviewedBy: event.data.by, reviewNote: event.data.note ?? null, updatedAt: at },
          );
          break;
        case E.Rejected:
          await repo.update({ listingId }, { status: 'rejected', reviewedBy: event.data.by, reviewNote: event.data.reason, updatedAt: at });
          break;
        case E.Published:
          await repo.update({ listingId }, { status: 'published', publishedAt: at, updatedAt: at });
          break;
        case E.Retired:
          await repo.update({ listingId }, { status: 'retired', updatedAt: at });
          break;
        case E.RiskRatingChangeSubmitted:
          await repo.update(
            { listingId },
            {
              pendingRatingChange: {
                changeId: event.data.changeId,
                from: event.data.from,
                to: event.data.to,
                riskFactors: event.data.riskFactors,
                reason: event.data.reason,
                by: event.data.by,
              },
              updatedAt: at,
            },
          );
          break;
        case E.RiskRatingChangeApproved:
          await manager.query(
            `UPDATE catalog_listings SET risk_level = $2, pending_rating_change = NULL, updated_at = $3,
               advisory = jsonb_set(jsonb_set(advisory, '{riskLevel}', to_jsonb($2::text)), '{riskFactors}', COALESCE(pending_rating_change->'riskFactors', advisory->'riskFactors'))
             WHERE listing_id = $1`,
            [listingId, event.data.to, at],
          );
          break;
        case E.RiskRatingChangeRejected:
          await repo.update({ listingId }, { pendingRatingChange: null, updatedAt: at });
          break;
      }
    }
  }
}
