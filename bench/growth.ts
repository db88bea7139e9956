import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Clock, uuidv7 } from '@app/common';
import { NewEvent, PgEventStore } from '@app/event-store';
import { ActivityPartitions, AnalyticsService, ObservedActivity, PgActivitySink, SERVER_ACTIVITY_CHECKPOINT } from '@app/growth';
import { interleaved, load, ratio, startBenchApp, startBenchDatabase } from './support';

/**
 * Growth (issue 13). Part A: activity ingest in batches of 100 through the sink (consent filter, day partition, the
 * idempotency key, and the daily/weekly/monthly and funnel rollups in the same statement) and through the HTTP
 * endpoint, against plain 100-row INSERTs into a table of the same shape (partitioned by day, same key and index),
 * alternating rounds at the same concurrency. Part B: with BENCH_GROWTH_INVESTORS investors (1M) and
 * BENCH_GROWTH_EVENTS activity events (10M) seeded by generate_series, p99 of the MAU, funnel and RFM queries over
 * HTTP, and whether the server-activity feed keeps up with the log (its events/s against the append rate).
 * Part C (campaign fan-out) is bench/reach.ts.
 */
const INVESTORS = Number(process.env.BENCH_GROWTH_INVESTORS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_GROWTH_EVENTS ?? 10_000_000);
const DAYS = 60;
const WRITERS = 8;
const ROUND_MS = Number(process.env.BENCH_GROWTH_MS ?? 12_000);
const TYPES = ['watchlist_viewed', 'positions_viewed', 'listing_viewed', 'rules_read', 'watchlist_added', 'simulated_trade', 'app_opened'];
const KINDS = ['level2_data', 'course', 'stock_picking_strategy'];

const investorId = (n: number) => `inv-${String(n).padStart(8, '0')}`;

const seed = async (pool: Pool, partitions: ActivityPartitions, today: string): Promise<Record<string, number>> => {
  const started = Date.now();
  const client = await pool.connect();
  try {
    await client.query('SET synchronous_commit = off');
    // Investors registered over the last 180 days; 90% with analytics consent (G7).
    await client.query(
      `INSERT INTO growth_investors (investor_id, registered_at, analytics_consent, consent_changed_at)
       SELECT 'inv-' || lpad(g::text, 8, '0'), $1::date - ((g::bigint * 7919) % 180) * interval '1 day', g % 10 <> 0, $1::date
         FROM generate_series(0, $2::int - 1) AS g`,
      [today, INVESTORS],
    );
    const days = Array.from({ length: DAYS + 8 }, (_, i) =>
      new Date(Date.parse(`${today}T00:00:00Z`) - (DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10),
    );
    await partitions.ensure(days);
    // Activity: investors drawn skewed (a few very active, many rarely), over the last DAYS days.
    const chunk = 1_000_000;
    for (let from = 0; from < EVENTS; from += chunk) {
      await client.query(
        `INSERT INTO growth_activity (at, investor_id, client_event_id, type, source, product_kind, properties)
         SELECT ($1::date - (random() * ($4::int - 1)) * interval '1 day')::timestamp AT TIME ZONE 'Asia/Shanghai',
                'inv-' || lpad(((power(random(), 2) * $3::int)::int % $3::int)::text, 8, '0'),
                'seed-' || g, ($5::text[])[1 + g % 7], 'app', ($6::text[])[1 + g % 3], '{}'::jsonb
           FROM generate_series($2::bigint, $2::bigint + $7::int - 1) AS g`,
        [today, from, INVESTORS, DAYS, TYPES, KINDS, Math.min(chunk, EVENTS - from)],
      );
    }
    // The rollups as the ingest statement keeps them, built in bulk from the seeded activity (definition v2 counts
    // watchlist and positions views).
    await client.query(
      `INSERT INTO growth_daily_active (day, investor_id, version)
       SELECT DISTINCT (at AT TIME ZONE 'Asia/Shanghai')::date, investor_id, 2 FROM growth_activity WHERE type IN ('watchlist_viewed', 'positions_viewed')
       ON CONFLICT DO NOTHING`,
    );
    await client.query(
      `INSERT INTO growth_weekly_active SELECT DISTINCT date_trunc('week', day)::date, investor_id FROM growth_daily_active ON CONFLICT DO NOTHING`,
    );
    await client.query(
      `WITH m AS (SELECT DISTINCT date_trunc('month', day)::date AS month, investor_id FROM growth_daily_active)
       INSERT INTO growth_monthly_active (month, investor_id, kind)
       SELECT m.month, m.investor_id,
              CASE WHEN p.investor_id IS NOT NULL THEN 'retained'
                   WHEN date_trunc('month', g.registered_at AT TIME ZONE 'Asia/Shanghai')::date = m.month THEN 'new' ELSE 'returned' END
         FROM m JOIN growth_investors g USING (investor_id)
         LEFT JOIN m p ON p.investor_id = m.investor_id AND p.month = (m.month - interval '1 month')::date`,
    );
    await client.query(
      `INSERT INTO growth_funnel (product_kind, investor_id, aware_at, interested_at, learned_rules_at, tried_at)
       SELECT product_kind, investor_id, min(at) FILTER (WHERE type = 'listing_viewed'), min(at) FILTER (WHERE type = 'watchlist_added'),
              min(at) FILTER (WHERE type = 'rules_read'), min(at) FILTER (WHERE type = 'simulated_trade')
         FROM growth_activity WHERE type IN ('listing_viewed', 'watchlist_added', 'rules_read', 'simulated_trade') GROUP BY 1, 2`,
    );
    // Payers: a fifth of the investors, 1–12 captured payments each.
    await client.query(
      `INSERT INTO growth_rfm (investor_id, last_payment_at, payments, monetary_minor)
       SELECT 'inv-' || lpad((g * 5)::text, 8, '0'), $1::date - (random() * 365) * interval '1 day', 1 + (random() * 11)::int, (1 + random() * 200)::int * 1000
         FROM generate_series(0, $2::int / 5 - 1) AS g`,
      [today, INVESTORS],
    );
    await client.query('VACUUM ANALYZE');
    const [{ activity, monthly, funnel }] = (
      await client.query(
        `SELECT (SELECT count(*) FROM growth_activity)::int AS activity, (SELECT count(*) FROM growth_monthly_active)::int AS monthly, (SELECT count(*) FROM growth_funnel)::int AS funnel`,
      )
    ).rows;
    return {
      seededActivity: activity,
      monthlyActiveRows: monthly,
      funnelRows: funnel,
      seedSeconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    client.release();
  }
};

const BASELINE_TABLE = `
  CREATE TABLE bench_activity_plain (LIKE growth_activity INCLUDING DEFAULTS, PRIMARY KEY (investor_id, client_event_id, at)) PARTITION BY RANGE (at);
  CREATE INDEX ON bench_activity_plain (investor_id, at)`;

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('growth');
  const bench = await startBenchApp(db.url, { GROWTH_ACTIVITY_RETENTION_DAYS: '400' });
  const pool = new Pool({ connectionString: db.url, max: WRITERS + 4 });
  try {
    const app = bench.app;
    const clock = app.get(Clock);
    const partitions = app.get(ActivityPartitions);
    const sink = app.get(PgActivitySink);
    const analytics = app.get(AnalyticsService);
    const today = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

    const seeded = await seed(pool, partitions, today);

    // ---- Part A: ingest in batches of 100 vs 100-row INSERTs of the same shape.
    await pool.query(BASELINE_TABLE);
    for (const name of await partitions.existing()) {
      const bounds = (await pool.query(`SELECT pg_get_expr(relpartbound, oid) AS b FROM pg_class WHERE relname = $1`, [name])).rows[0]
        .b as string;
      await pool.query(
        `CREATE TABLE ${name.replace('growth_activity', 'bench_activity_plain')} PARTITION OF bench_activity_plain ${bounds}`,
      );
    }
    let sequence = 0;
    const batch = (): ObservedActivity[] => {
      const now = clock.now();
      return Array.from({ length: 100 }, (_, i) => {
        const n = sequence++;
        return {
          investorId: investorId((n * 7919 + i) % INVESTORS),
          type: TYPES[n % TYPES.length],
          at: new Date(now.getTime() - (n % 3600) * 1000),
          clientEventId: `bench-${n}`,
          properties: { productKind: KINDS[n % 3] },
        };
      });
    };
    const plainInsert = async () => {
      const rows = batch();
      const values: unknown[] = [];
      const tuples = rows.map((row, i) => {
        values.push(row.at.toISOString(), row.investorId, row.clientEventId, row.type, 'app', String(row.properties?.productKind), '{}');
        return `($${i * 7 + 1}, $${i * 7 + 2}, $${i * 7 + 3}, $${i * 7 + 4}, $${i * 7 + 5}, $${i * 7 + 6}, $${i * 7 + 7})`;
      });
      await pool.query(
        `INSERT INTO bench_activity_plain (at, investor_id, client_event_id, type, source, product_kind, properties) VALUES ${tuples.join(', ')}`,
        values,
      );
      return 100;
    };
    const viaSink = async () => {
      await sink.record(batch());
      return 100;
    };
    const ingest = await interleaved(WRITERS, ROUND_MS, plainInsert, viaSink);

    // The HTTP endpoint, one investor, the same batch size, against the same plain INSERTs.
    const admin = (await (
      await fetch(`${bench.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.com', password: 'bench-admin-password' }),
      })
    ).json()) as { accessToken: string };
    // One investor per writer (an app sends its own user's activity).
    const tokens: string[] = [];
    for (let writer = 0; writer < WRITERS; writer++) {
      const registered = (await (
        await fetch(`${bench.url}/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `bench-investor-${writer}@example.com`, password: 'a-long-enough-password', displayName: 'Bench' }),
        })
      ).json()) as { accessToken: string };
      await fetch(`${bench.url}/me/analytics-consent`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${registered.accessToken}` },
        body: JSON.stringify({ given: true }),
      });
      tokens.push(registered.accessToken);
    }
    const httpBatch = () => {
      const now = clock.now().getTime();
      return JSON.stringify({
        events: Array.from({ length: 100 }, (_, i) => ({
          clientEventId: `http-${sequence++}`,
          type: TYPES[i % TYPES.length],
          at: new Date(now - i * 1000).toISOString(),
          productKind: KINDS[i % 3],
        })),
      });
    };
    const viaHttp = async (writer: number) => {
      const response = await fetch(`${bench.url}/me/activity`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[writer]}` },
        body: httpBatch(),
      });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
      await response.arrayBuffer();
      return 100;
    };
    const http = await interleaved(WRITERS, ROUND_MS, plainInsert, viaHttp);

    // ---- Part B: analytics queries over the seeded data, over HTTP as the product team (admin here), p99.
    await analytics.refreshRfm();
    const rfmRefreshStarted = Date.now();
    await analytics.refreshRfm();
    const rfmRefreshMs = Date.now() - rfmRefreshStarted;
    const headers = { authorization: `Bearer ${admin.accessToken}` };
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
    const queries = {
      mau: await load({ url: `${bench.url}/growth/mau`, headers, connections: 2, seconds: 8 }),
      activeUsers: await load({ url: `${bench.url}/growth/active-users`, headers, connections: 2, seconds: 5 }),
      funnel: await load({
        url: `${bench.url}/growth/funnel?productKind=course&from=${from}&to=${today}`,
        headers,
        connections: 2,
        seconds: 8,
      }),
      rfm: await load({ url: `${bench.url}/growth/rfm`, headers, connections: 2, seconds: 8 }),
    };

    // Projections keeping up: the server-activity feed against appends to the log (lessons completed by seeded
    // investors, each its own stream; only the growth context reads that event type), and the rollups, which the ingest statement keeps in the same statement.
    const store = new PgEventStore(new Pool({ connectionString: db.url, max: 8 }));
    const FEED_EVENTS = 20_000;
    const appendStarted = Date.now();
    for (let n = 0; n < FEED_EVENTS; n += 500) {
      await Promise.all(
        Array.from({ length: 500 }, async (_, i) => {
          const id = investorId(((n + i) * 13) % INVESTORS);
          const event: NewEvent = {
            id: uuidv7(),
            type: 'growth.LessonCompleted',
            data: {
              investorId: id,
              lessonId: `lesson-${(n + i) % 50}`,
              step: { actorId: id, at: new Date().toISOString(), channel: 'app' },
            },
            metadata: { actor: id, correlationId: uuidv7(), occurredAt: new Date().toISOString(), channel: 'app' },
          };
          await store.append(`bench.lessons-${id}-${n + i}`, [event], 'no_stream');
        }),
      );
    }
    const appendSeconds = (Date.now() - appendStarted) / 1000;
    const head = await store.head();
    const feedWaitStarted = Date.now();
    for (;;) {
      const checkpoint = await store.readCheckpoint(SERVER_ACTIVITY_CHECKPOINT);
      if (checkpoint.major > head.major || (checkpoint.major === head.major && checkpoint.minor >= head.minor)) break;
      if (Date.now() - feedWaitStarted > 300_000) throw new Error('the feed did not catch up in 5 minutes');
      await new Promise((done) => setTimeout(done, 50));
    }
    const feedSeconds = (Date.now() - appendStarted) / 1000;
    const lagAfterAppendsMs = Date.now() - feedWaitStarted;
    await store.close();

    // Part C, the campaign fan-out to 1M investors with consent and caps checked (≥ 10k recipients/s), is
    // `bench/reach.ts` (`npm run bench -- reach`): it seeds its own 1M investors and runs the real campaign runner.

    const dataSource = app.get(DataSource);
    const [{ partitionsNow }] = await dataSource.query(
      `SELECT count(*)::int AS "partitionsNow" FROM pg_inherits WHERE inhparent = 'growth_activity'::regclass`,
    );
    return {
      investors: INVESTORS,
      ...seeded,
      partitionsNow,
      writers: WRITERS,
      ingest: { plainInsertRowsPerSecond: ingest.baseline, sinkRowsPerSecond: ingest.subject },
      ingestHttp: { plainInsertRowsPerSecond: http.baseline, httpRowsPerSecond: http.subject },
      queries,
      rfmRefreshMs,
      feed: {
        events: FEED_EVENTS,
        appendPerSecond: Math.round(FEED_EVENTS / appendSeconds),
        feedPerSecondIncludingAppends: Math.round(FEED_EVENTS / feedSeconds),
        lagAfterAppendsMs,
      },
      ratios: {
        ingest_sink_vs_100_row_insert: ratio(ingest.subject, ingest.baseline),
        ingest_http_vs_100_row_insert: ratio(http.subject, http.baseline),
        feed_vs_append: ratio(FEED_EVENTS / feedSeconds, FEED_EVENTS / appendSeconds),
      },
      targets: { ingest_vs_100_row_insert: 0.5, queriesP99Ms: 200 },
    };
  } finally {
    await pool.end();
    await bench.close();
    await db.stop();
  }
}
