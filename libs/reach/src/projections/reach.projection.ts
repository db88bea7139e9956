/**
 * The reach read models (see the migration): consents, messages (inbox, campaign reports, the compliance listing) and
 * campaigns. Every statement is idempotent (inserts ignore what exists; counters move with the rows they count), so a
 * replayed batch changes nothing; a fan-out batch's thousand messages (one `reach.BatchSent`) are written by one
 * statement, each row the batch's message to one recipient.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { BatchEvent, CampaignEvent, ConsentEvent, DeliveryEvent, DispatchEvent, MessageEvent } from '../domain';

type ReachEvent = BatchEvent | CampaignEvent | ConsentEvent | DeliveryEvent | DispatchEvent | MessageEvent;

@Injectable()
@EventProjection()
export class ReachProjection implements Projection {
  readonly name = 'reach';
  readonly tables = ['reach_consents', 'reach_messages', 'reach_campaigns', 'reach_campaign_control'];

  async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const events = recorded
      .filter((e) => e.type.startsWith('reach.'))
      .map((e) => ({ type: e.type, data: e.data, eventId: e.id }) as unknown as ReachEvent & { eventId: string });
    if (events.length === 0) return;
    const sent: (Extract<ReachEvent, { type: 'reach.MessageSent' }>['data'] & { eventId: string })[] = [];
    const flushSent = async () => {
      if (sent.length === 0) return;
      const col = <K extends keyof (typeof sent)[number]>(key: K) => sent.map((m) => m[key]);
      await manager.query(
        `WITH inserted AS (
           INSERT INTO reach_messages (message_id, investor_id, channel, campaign_id, product_id, title, body, sent_by, sent_at, status, delivered_at, event_id)
           SELECT m.id, m.inv, m.ch, m.camp, m.prod, m.title, m.body, m.by, m.at, CASE WHEN m.ch = 'in_app' THEN 'delivered' ELSE 'sent' END, CASE WHEN m.ch = 'in_app' THEN m.at END, m.ev
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::uuid[]) AS m(id, inv, ch, camp, prod, title, body, by, at, ev)
           ON CONFLICT (message_id) DO NOTHING
           RETURNING campaign_id, channel)
         UPDATE reach_campaigns c SET sent = c.sent + n.sent, delivered = c.delivered + n.delivered
           FROM (SELECT campaign_id, count(*)::int AS sent, count(*) FILTER (WHERE channel = 'in_app')::int AS delivered FROM inserted WHERE campaign_id IS NOT NULL GROUP BY campaign_id) n
          WHERE c.campaign_id = n.campaign_id`,
        [
          col('messageId'),
          col('investorId'),
          col('channel'),
          col('campaignId'),
          col('productId'),
          col('title'),
          col('body'),
          sent.map((m) => m.step.actorId),
          sent.map((m) => m.step.at),
          col('eventId'),
        ],
      );
      sent.length = 0;
    };
    for (const event of events) {
      if (event.type === 'reach.MessageSent') {
        sent.push({ ...event.data, eventId: event.eventId });
        continue;
      }
      await flushSent();
      await this.applyOne(event, manager);
    }
    await flushSent();
  }

  private async applyOne(
    event: Exclude<ReachEvent, { type: 'reach.MessageSent' }> & { eventId: string },
    manager: EntityManager,
  ): Promise<void> {
    switch (event.type) {
      case 'reach.ChannelConsentGiven':
      case 'reach.ChannelConsentWithdrawn': {
        const d = event.data;
        await manager.query(
          `INSERT INTO reach_consents (investor_id, channel, granted, via, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (investor_id, channel) DO UPDATE SET granted = EXCLUDED.granted, via = EXCLUDED.via, updated_at = EXCLUDED.updated_at`,
          [d.investorId, d.channel, event.type === 'reach.ChannelConsentGiven', d.via, d.step.at],
        );
        return;
      }
      case 'reach.BatchSent': {
        const d = event.data;
        await manager.query(
          `WITH inserted AS (
             INSERT INTO reach_messages (message_id, investor_id, channel, campaign_id, product_id, title, body, sent_by, sent_at, status, delivered_at, event_id)
             SELECT m.id, m.inv, $3, $4, $5, $6, $7, $8, $9::timestamptz, CASE WHEN $3 = 'in_app' THEN 'delivered' ELSE 'sent' END, CASE WHEN $3 = 'in_app' THEN $9::timestamptz END, $12::uuid
               FROM unnest($1::text[], $2::text[]) AS m(id, inv)
             ON CONFLICT (message_id) DO NOTHING
             RETURNING 1)
           UPDATE reach_campaigns c SET sent = c.sent + n.sent, delivered = c.delivered + CASE WHEN $3 = 'in_app' THEN n.sent ELSE 0 END, withheld = c.withheld + $10
             FROM (SELECT count(*)::int AS sent FROM inserted) n
            WHERE c.campaign_id = $4 AND (n.sent > 0 OR $11)`,
          [
            d.sent.map((r) => r.messageId),
            d.sent.map((r) => r.investorId),
            d.channel,
            d.campaignId,
            d.productId,
            d.title,
            d.body,
            d.step.actorId,
            d.step.at,
            d.withheld.length,
            d.sent.length === 0,
            event.eventId,
          ],
        );
        return;
      }
      case 'reach.MessageWithheld':
        if (event.data.campaignId)
          await manager.query(`UPDATE reach_campaigns SET withheld = withheld + 1 WHERE campaign_id = $1`, [event.data.campaignId]);
        return;
      case 'reach.MessageOpened':
        await manager.query(
          `WITH opened AS (UPDATE reach_messages SET opened_at = $2 WHERE message_id = $1 AND opened_at IS NULL RETURNING campaign_id)
           UPDATE reach_campaigns c SET opened = c.opened + 1 FROM opened WHERE c.campaign_id = opened.campaign_id`,
          [event.data.messageId, event.data.step.at],
        );
        return;
      case 'reach.DeliveriesReported': {
        const d = event.data;
        await manager.query(
          `WITH done AS (
             UPDATE reach_messages m SET status = r.status, error = r.error, delivered_at = CASE WHEN r.status = 'delivered' THEN $3::timestamptz END
               FROM unnest($1::text[], $2::text[], $4::text[]) AS r(id, status, error)
              WHERE m.message_id = r.id AND m.status = 'sent'
             RETURNING m.campaign_id, m.status)
           UPDATE reach_campaigns c SET delivered = c.delivered + n.delivered, failed = c.failed + n.failed
             FROM (SELECT campaign_id, count(*) FILTER (WHERE status = 'delivered')::int AS delivered, count(*) FILTER (WHERE status = 'failed')::int AS failed
                     FROM done WHERE campaign_id IS NOT NULL GROUP BY campaign_id) n
            WHERE c.campaign_id = n.campaign_id`,
          [
            [...d.delivered, ...d.failed.map((f) => f.messageId)],
            [...d.delivered.map(() => 'delivered'), ...d.failed.map(() => 'failed')],
            d.step.at,
            [...d.delivered.map(() => null), ...d.failed.map((f) => f.error)],
          ],
        );
        return;
      }
      case 'reach.CampaignCreated': {
        const { step, ...spec } = event.data;
        await manager.query(
          `INSERT INTO reach_campaigns (campaign_id, name, spec, schedule_kind, due_at, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7)
           ON CONFLICT (campaign_id) DO NOTHING`,
          [
            spec.campaignId,
            spec.name,
            JSON.stringify(spec),
            spec.schedule.kind,
            spec.schedule.kind === 'at' ? spec.schedule.at : null,
            step.actorId,
            step.at,
          ],
        );
        return;
      }
      case 'reach.CampaignStarted':
        await manager.query(
          `UPDATE reach_campaigns SET status = 'running', started_at = $2, start_reason = $3, trigger = $4 WHERE campaign_id = $1 AND status = 'scheduled'`,
          [event.data.campaignId, event.data.step.at, event.data.reason, event.data.trigger ? JSON.stringify(event.data.trigger) : null],
        );
        return;
      case 'reach.CampaignBatchFannedOut': {
        const d = event.data;
        const updated = await manager.query(
          `UPDATE reach_campaigns c SET batches = $2, cursor = COALESCE($3, c.cursor), attempted = c.attempted + $4, control = c.control + $5, fanned_out_at = COALESCE(c.fanned_out_at, $7),
                  refused = (SELECT COALESCE(jsonb_object_agg(k, COALESCE((c.refused->>k)::int, 0) + COALESCE(($6::jsonb->>k)::int, 0)), '{}'::jsonb)
                               FROM (SELECT jsonb_object_keys(c.refused) UNION SELECT jsonb_object_keys($6::jsonb)) AS keys(k))
            WHERE c.campaign_id = $1 AND c.batches < $2 RETURNING 1`,
          [d.campaignId, d.batch, d.last, d.attempted, d.control.length, JSON.stringify(d.refused), d.step.at],
        );
        if (updated.length && d.control.length) {
          await manager.query(
            `INSERT INTO reach_campaign_control (campaign_id, investor_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
            [d.campaignId, d.control],
          );
        }
        return;
      }
      case 'reach.CampaignCompleted':
        await manager.query(`UPDATE reach_campaigns SET status = 'completed', completed_at = $2 WHERE campaign_id = $1`, [
          event.data.campaignId,
          event.data.step.at,
        ]);
        return;
      default:
        return;
    }
  }
}
