/**
 * The activity sink (G7): one statement per batch keeps only the activity of investors whose analytics consent is
 * given, appends it to the day's partition (a repeat of a client event id is a no-op), and moves the rollups along
 * with it: who was active per day, week and month under the definition in effect that day, how each month's active
 * investor counts in the MAU identity, and the funnel per product kind; and, for every rollup row it inserts or
 * changes, the signed deltas of the counters the analytics read (growth-counters.ts). Nothing here touches the event
 * log: activity is not regulated evidence and never waits for, or holds up, a regulated write.
 */
import { Injectable } from '@nestjs/common';
import { LogDatabase } from '@app/event-store';
import { Clock } from '@app/common';
import { ActivitySink, ObservedActivity } from '../audience';
import { funnelStageOf, stageIndex } from '../domain/activity';
import { beijingDay, dayStart } from '../domain/calendar';
import { ActivityPartitions } from './activity-partitions';
import { STAGE_COLUMNS, funnelContributionsSql } from './growth-counters';

export interface RecordOutcome {
  readonly recorded: number;
  readonly dropped: number;
  /** Already recorded (same investor, client event id and instant). */
  readonly duplicates: number;
  /** Dropped: no analytics consent (G7). */
  readonly withoutConsent: number;
  /** Dropped: older than the retention period, or more than a day ahead of the server's clock. */
  readonly outsideRetention: number;
}

const old = (i: number) => `o${i}`;
const now = (i: number) => `c${i}`;

const INGEST = `
WITH input AS (
  SELECT r.investor_id, r.client_event_id, r.type, r.at, r.listing_id, r.kinds, r.stage, COALESCE(r.properties, '{}'::jsonb) AS properties
    FROM jsonb_to_recordset($1::jsonb) AS r (investor_id text, client_event_id text, type text, at timestamptz, listing_id text, kinds text[], stage int, properties jsonb)
),
allowed AS (
  SELECT i.*, COALESCE(i.kinds, CASE WHEN l.kind IS NULL THEN NULL ELSE ARRAY[l.kind] END) AS product_kinds
    FROM input i
    JOIN growth_investors g ON g.investor_id = i.investor_id AND g.analytics_consent
    LEFT JOIN growth_listings l ON l.listing_id = i.listing_id
),
ins AS (
  INSERT INTO growth_activity (at, investor_id, client_event_id, type, source, product_kind, properties)
  SELECT at, investor_id, client_event_id, type, $2, product_kinds[1], properties FROM allowed
  ON CONFLICT DO NOTHING
  RETURNING investor_id, client_event_id, at
),
fresh AS (
  SELECT a.* FROM ins JOIN allowed a USING (investor_id, client_event_id, at)
),
qualifying AS (
  SELECT DISTINCT f.investor_id, (f.at AT TIME ZONE 'Asia/Shanghai')::date AS day, d.version
    FROM fresh f
    CROSS JOIN LATERAL (
      SELECT version, activity_types FROM growth_activity_definitions
       WHERE effective_from <= (f.at AT TIME ZONE 'Asia/Shanghai')::date ORDER BY effective_from DESC LIMIT 1
    ) d
   WHERE f.type = ANY (d.activity_types)
),
daily AS (
  INSERT INTO growth_daily_active (day, investor_id, version) SELECT day, investor_id, version FROM qualifying
  ON CONFLICT DO NOTHING
  RETURNING day, investor_id
),
weekly AS (
  INSERT INTO growth_weekly_active (week, investor_id)
  SELECT DISTINCT date_trunc('week', day)::date, investor_id FROM daily
  ON CONFLICT DO NOTHING
  RETURNING week
),
months AS (
  SELECT DISTINCT date_trunc('month', day)::date AS month, investor_id FROM daily
),
monthly AS (
  INSERT INTO growth_monthly_active (month, investor_id, kind)
  SELECT m.month, m.investor_id,
         CASE WHEN EXISTS (SELECT 1 FROM growth_monthly_active p WHERE p.month = (m.month - interval '1 month')::date AND p.investor_id = m.investor_id)
                OR EXISTS (SELECT 1 FROM months p WHERE p.month = (m.month - interval '1 month')::date AND p.investor_id = m.investor_id)
              THEN 'retained'
              WHEN date_trunc('month', g.registered_at AT TIME ZONE 'Asia/Shanghai')::date = m.month THEN 'new'
              ELSE 'returned' END
    FROM months m LEFT JOIN growth_investors g USING (investor_id)
  ON CONFLICT DO NOTHING
  RETURNING month, investor_id, kind
),
late AS (
  UPDATE growth_monthly_active n SET kind = 'retained'
    FROM monthly p, growth_monthly_active o
   WHERE n.month = (p.month + interval '1 month')::date AND n.investor_id = p.investor_id AND n.kind <> 'retained'
     AND o.month = n.month AND o.investor_id = n.investor_id
  RETURNING n.month, o.kind AS was
),
touched AS (
  SELECT k.kind AS product_kind, f.investor_id, ${STAGE_COLUMNS.map((_, i) => `min(f.at) FILTER (WHERE f.stage >= ${i}) AS ${now(i)}`).join(', ')}
    FROM fresh f CROSS JOIN LATERAL unnest(f.product_kinds) AS k (kind)
   WHERE f.stage IS NOT NULL AND k.kind IS NOT NULL
   GROUP BY k.kind, f.investor_id
),
locked AS (
  SELECT g.* FROM growth_funnel g JOIN touched t USING (product_kind, investor_id)
   ORDER BY g.product_kind, g.investor_id
     FOR UPDATE OF g
),
merged AS (
  SELECT t.product_kind, t.investor_id, l.investor_id IS NOT NULL AS existed,
         ${STAGE_COLUMNS.map((column, i) => `LEAST(l.${column}, t.${now(i)}) AS ${now(i)}, l.${column} AS ${old(i)}`).join(',\n         ')}
    FROM touched t LEFT JOIN locked l USING (product_kind, investor_id)
),
funnel_updated AS (
  UPDATE growth_funnel g SET ${STAGE_COLUMNS.map((column, i) => `${column} = m.${now(i)}`).join(', ')}
    FROM merged m
   WHERE m.existed AND g.product_kind = m.product_kind AND g.investor_id = m.investor_id
     AND (${STAGE_COLUMNS.map((_, i) => `m.${now(i)}`).join(', ')}) IS DISTINCT FROM (${STAGE_COLUMNS.map((_, i) => `m.${old(i)}`).join(', ')})
  RETURNING g.product_kind, g.investor_id
),
funnel_inserted AS (
  INSERT INTO growth_funnel (product_kind, investor_id, ${STAGE_COLUMNS.join(', ')})
  SELECT product_kind, investor_id, ${STAGE_COLUMNS.map((_, i) => now(i)).join(', ')} FROM merged WHERE NOT existed
  ON CONFLICT DO NOTHING
  RETURNING product_kind, investor_id
),
funnel_changed AS (
  SELECT m.* FROM merged m
    JOIN (SELECT product_kind, investor_id FROM funnel_updated UNION ALL SELECT product_kind, investor_id FROM funnel_inserted) c
   USING (product_kind, investor_id)
),
deltas AS (
  SELECT 'day'::text AS metric, day AS period, ''::text AS dim, 0::smallint AS stage, -1 AS bucket, 1::bigint AS n FROM daily
  UNION ALL SELECT 'week', week, '', 0, -1, 1 FROM weekly
  UNION ALL SELECT 'month', month, kind, 0, -1, 1 FROM monthly
  UNION ALL SELECT 'month', month, was, 0, -1, -1 FROM late
  UNION ALL SELECT 'month', month, 'retained', 0, -1, 1 FROM late
  UNION ALL SELECT x.metric, x.period, x.dim, x.stage, x.bucket, x.n
    FROM funnel_changed m CROSS JOIN LATERAL ${funnelContributionsSql('m.product_kind', (i) => `m.${now(i)}`, 1)} WHERE x.counted
  UNION ALL SELECT x.metric, x.period, x.dim, x.stage, x.bucket, x.n
    FROM funnel_changed m CROSS JOIN LATERAL ${funnelContributionsSql('m.product_kind', (i) => `m.${old(i)}`, -1)} WHERE x.counted
),
counted AS (
  INSERT INTO growth_counter_deltas (metric, period, dim, stage, bucket, n)
  SELECT metric, period, dim, stage, bucket, sum(n) FROM deltas GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
)
SELECT (SELECT count(*) FROM allowed)::int AS allowed, (SELECT count(*) FROM fresh)::int AS recorded,
       (SELECT jsonb_agg(jsonb_build_object('month', month, 'investor', investor_id)) FROM monthly) AS months,
       CASE WHEN (SELECT count(*) FROM merged WHERE NOT existed) <> (SELECT count(*) FROM funnel_inserted)
            THEN growth_retry('growth: a funnel row was created by a concurrent ingest; the statement is retried') END AS retried`;

/**
 * A month's kind depends on the month before, and an ingest's statement sees neither what a concurrent one has not yet
 * committed nor what it commits meanwhile: an investor's October and November ingested side by side each miss the
 * other, and November stays 'returned'. So after an ingest that added investor-months commits, this statement looks
 * again, now seeing every ingest committed before it, at those months and the months after them and makes retained
 * what has its previous month. Of two such ingests, the one whose second look starts last sees both (each looks after
 * its own commit), so the pair always ends right. Only an investor's first activity in a month adds one. The rows to
 * change are locked first, and a row another look changed meanwhile is read again once its lock is released and left
 * out (it is retained now), so each change is counted once, with the kind it had. Every row is found by its key: no
 * self-join the planner could turn into a scan of the month.
 */
const RECLASSIFY = `
WITH added AS (
  SELECT (a->>'month')::date AS month, a->>'investor' AS investor_id FROM jsonb_array_elements($1::jsonb) AS a
),
candidates AS (
  SELECT DISTINCT c.month, a.investor_id FROM added a CROSS JOIN LATERAL (VALUES (a.month), ((a.month + interval '1 month')::date)) AS c (month)
),
to_fix AS (
  SELECT n.month, n.investor_id, n.kind FROM candidates c
    JOIN growth_monthly_active n ON n.month = c.month AND n.investor_id = c.investor_id
   WHERE n.kind <> 'retained'
     AND EXISTS (SELECT 1 FROM growth_monthly_active p WHERE p.month = (n.month - interval '1 month')::date AND p.investor_id = n.investor_id)
   ORDER BY n.month, n.investor_id
     FOR UPDATE OF n
),
fixed AS (
  UPDATE growth_monthly_active n SET kind = 'retained'
    FROM to_fix c
   WHERE n.month = c.month AND n.investor_id = c.investor_id
  RETURNING n.month, c.kind AS was
)
INSERT INTO growth_counter_deltas (metric, period, dim, stage, bucket, n)
SELECT 'month', month, was, 0, -1, -1 FROM fixed
UNION ALL SELECT 'month', month, 'retained', 0, -1, 1 FROM fixed`;

/** A statement that lost a race (40001, raised above) or a deadlock (40P01) changed nothing and is run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

@Injectable()
export class PgActivitySink extends ActivitySink {
  constructor(
    private readonly partitions: ActivityPartitions,
    private readonly clock: Clock,
    private readonly log: LogDatabase,
  ) {
    super();
  }

  record(activities: readonly ObservedActivity[]): Promise<RecordOutcome> {
    return this.recordFrom('app', activities);
  }

  /** `source`: 'app' for what the app reports, 'server' for what the feed derives from the log. */
  async recordFrom(source: 'app' | 'server', activities: readonly ObservedActivity[]): Promise<RecordOutcome> {
    const now = this.clock.now();
    const firstDay = this.partitions.firstRetainedDay(now);
    const latest = now.getTime() + 86_400_000;
    const seen = new Set<string>();
    const rows: Record<string, unknown>[] = [];
    let outsideRetention = 0;
    let repeated = 0;
    for (const activity of activities) {
      const at = activity.at.getTime();
      if (Number.isNaN(at) || activity.at < dayStart(firstDay) || at > latest) {
        outsideRetention += 1;
        continue;
      }
      const key = `${activity.investorId}\u0001${activity.clientEventId}\u0001${at}`;
      if (seen.has(key)) {
        repeated += 1;
        continue;
      }
      seen.add(key);
      const stage = funnelStageOf(activity.type);
      const properties = activity.properties ?? {};
      const kind = typeof properties.productKind === 'string' ? properties.productKind : undefined;
      rows.push({
        investor_id: activity.investorId,
        client_event_id: activity.clientEventId,
        type: activity.type,
        at: activity.at.toISOString(),
        listing_id: typeof properties.listingId === 'string' ? properties.listingId : null,
        kinds: activity.productKinds ?? (kind ? [kind] : null),
        stage: stage === null ? null : stageIndex(stage),
        properties,
      });
    }
    if (rows.length === 0) return { recorded: 0, dropped: outsideRetention, duplicates: repeated, withoutConsent: 0, outsideRetention };
    await this.partitions.ensure([...new Set(rows.map((row) => beijingDay(new Date(row.at as string))))]);
    const result = await this.ingest(JSON.stringify(rows), source);
    const withoutConsent = rows.length - result.allowed;
    return {
      recorded: result.recorded,
      dropped: withoutConsent + outsideRetention,
      duplicates: repeated + (result.allowed - result.recorded),
      withoutConsent,
      outsideRetention,
    };
  }

  private async ingest(rows: string, source: 'app' | 'server'): Promise<{ allowed: number; recorded: number }> {
    // On the connections for fixed statements: this one is long (every rollup and counter in one statement), and
    // parsing and planning it anew on each call cost more CPU than running it for a small batch.
    const {
      rows: [result],
    } = await this.retried(() => this.log.query<{ allowed: number; recorded: number; months: unknown[] | null }>(INGEST, [rows, source]));
    if (result.months) await this.retried(() => this.log.query(RECLASSIFY, [JSON.stringify(result.months)]));
    return result;
  }

  private async retried<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
        if (attempt >= ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
      }
    }
  }
}
