/**
 * The server-side activity feed: a checkpointed subscription to the event log (checkpoint `growth.server-activity`)
 * that is deliberately NOT one of the ProjectionRunner's read models, so that no regulated write waits for it
 * (read-your-writes waits for the runner's read models only). It records the log's activity through the same sink as
 * the app's (consent-filtered, idempotent by event id), keeps the listings' kinds, links payments to listings, and
 * moves RFM and revenue along when a payment is captured (once per payment, whatever the replays).
 */
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PgEventStore, RecordedEvent, Subscription } from '@app/event-store';
import { APP_CONFIG, AppConfig, JsonLogger } from '@app/platform';
import { Inject } from '@nestjs/common';
import { paymentListingOf, serverActivityOf } from '../application/server-activity';
import { PgActivitySink } from './pg-activity-sink';

export const SERVER_ACTIVITY_CHECKPOINT = 'growth.server-activity';

const CAPTURE = `
WITH captured AS (
  UPDATE growth_payments SET captured_at = $2::timestamptz, amount_minor = $3::bigint, currency = COALESCE(currency, $4)
   WHERE payment_id = $1 AND captured_at IS NULL AND payer_id IS NOT NULL
  RETURNING payer_id, purpose, listing_id, amount_minor, currency, captured_at
),
rfm AS (
  INSERT INTO growth_rfm (investor_id, last_payment_at, payments, monetary_minor)
  SELECT payer_id, captured_at, 1, amount_minor FROM captured
  ON CONFLICT (investor_id) DO UPDATE SET
    last_payment_at = GREATEST(growth_rfm.last_payment_at, EXCLUDED.last_payment_at),
    payments = growth_rfm.payments + 1,
    monetary_minor = growth_rfm.monetary_minor + EXCLUDED.monetary_minor
),
revenue AS (
  INSERT INTO growth_revenue_monthly (month, family, kind, currency, amount_minor, payments)
  SELECT date_trunc('month', c.captured_at AT TIME ZONE 'Asia/Shanghai')::date,
         COALESCE(l.family, CASE WHEN c.purpose = 'advisory' THEN 'advisory' ELSE 'value_added' END),
         COALESCE(l.kind, 'unknown'), c.currency, c.amount_minor, 1
    FROM captured c LEFT JOIN growth_listings l ON l.listing_id = c.listing_id
  ON CONFLICT (month, family, kind, currency) DO UPDATE SET
    amount_minor = growth_revenue_monthly.amount_minor + EXCLUDED.amount_minor,
    payments = growth_revenue_monthly.payments + 1
)
SELECT payer_id, listing_id FROM captured`;

@Injectable()
export class ServerActivityFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    private readonly store: PgEventStore,
    private readonly dataSource: DataSource,
    private readonly sink: PgActivitySink,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.env.PROJECTIONS_DISABLED === 'true' || this.config.env.GROWTH_FEED_DISABLED === 'true') return;
    this.subscription = await this.store.subscribe({
      checkpoint: SERVER_ACTIVITY_CHECKPOINT,
      batchSize: 1000,
      handler: (events) => this.apply(events),
      onError: (error) =>
        this.logger.event('error', 'growth', { message: 'server activity feed batch failed; retried', error: String(error) }),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** Applies one batch of the log (idempotent: a batch applied twice changes nothing more). */
  async apply(events: readonly RecordedEvent[]): Promise<void> {
    const activities = [];
    for (const event of events) {
      const d = event.data;
      switch (event.type) {
        case 'catalog.ListingDrafted':
        case 'catalog.ListingRevised': {
          const content = d.content as { kind?: unknown; title?: unknown; requiredLessons?: unknown } | undefined;
          const lessons = Array.isArray(content?.requiredLessons)
            ? content.requiredLessons.filter((id): id is string => typeof id === 'string')
            : [];
          await this.dataSource.query(
            `INSERT INTO growth_listings (listing_id, family, kind, required_lessons, title) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (listing_id) DO UPDATE SET family = EXCLUDED.family, kind = EXCLUDED.kind, required_lessons = EXCLUDED.required_lessons, title = EXCLUDED.title`,
            [String(d.listingId), String(d.family), String(content?.kind ?? 'unknown'), lessons, String(content?.title ?? '')],
          );
          break;
        }
        case 'catalog.ListingPublished':
        case 'catalog.ListingRetired':
          await this.dataSource.query('UPDATE growth_listings SET published = $2 WHERE listing_id = $1', [
            String(d.listingId),
            event.type === 'catalog.ListingPublished',
          ]);
          break;
        case 'payments.PaymentRequested':
          await this.dataSource.query(
            `INSERT INTO growth_payments (payment_id, payer_id, purpose, amount_minor, currency) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (payment_id) DO UPDATE SET payer_id = EXCLUDED.payer_id, purpose = EXCLUDED.purpose, currency = EXCLUDED.currency`,
            [String(d.paymentId), String(d.payerId), String(d.purpose), Number(d.amountMinor), String(d.currency)],
          );
          break;
        case 'payments.PaymentCaptured': {
          const at = String(d.at ?? event.recordedAt.toISOString());
          const rows: { payer_id: string; listing_id: string | null }[] = await this.dataSource.query(CAPTURE, [
            String(d.paymentId),
            at,
            Number(d.amountMinor),
            String(d.currency),
          ]);
          for (const row of rows) {
            activities.push({
              investorId: row.payer_id,
              type: 'payment_captured',
              at: new Date(at),
              clientEventId: `event:${event.id}`,
              properties: { eventType: event.type, ...(row.listing_id ? { listingId: row.listing_id } : {}) },
            });
          }
          break;
        }
        default:
          break;
      }
      const link = paymentListingOf(event);
      if (link) {
        await this.dataSource.query(
          `INSERT INTO growth_payments (payment_id, listing_id) VALUES ($1, $2) ON CONFLICT (payment_id) DO UPDATE SET listing_id = EXCLUDED.listing_id`,
          [link.paymentId, link.listingId],
        );
      }
      const activity = serverActivityOf(event);
      if (activity?.type === 'lesson_completed') {
        // A lesson is learning the rules (了解业务及规则) of every product kind whose listings require it.
        const kinds: { kind: string }[] = await this.dataSource.query(
          'SELECT DISTINCT kind FROM growth_listings WHERE required_lessons @> ARRAY[$1::text]',
          [String(d.lessonId)],
        );
        activities.push({ ...activity, productKinds: kinds.map((row) => row.kind) });
      } else if (activity) activities.push(activity);
    }
    if (activities.length) await this.sink.recordFrom('server', activities);
  }
}
