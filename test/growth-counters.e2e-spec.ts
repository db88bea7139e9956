import { DataSource, QueryRunner } from 'typeorm';
import {
  ActivityPartitions,
  GrowthCounters,
  gapBucketSql,
  ObservedActivity,
  PgActivitySink,
  gapBucketMinutes,
  histogramMedian,
} from '@app/growth';
import { LogDatabase } from '@app/event-store';
import { loadMigrations } from '../migrations';
import { createTestApp, TestApp } from './support/app';

/** The counters migration, through the migrations' loader (its backfill builds the counters from the rollups). */
const countersMigration = () => {
  const migration = loadMigrations().find((candidate) => candidate.name === 'GrowthCounters1766000000000');
  if (!migration) throw new Error('migration GrowthCounters1766000000000 not found');
  return new migration() as {
    up(q: QueryRunner): Promise<void>;
    down(q: QueryRunner): Promise<void>;
    backfill(q: QueryRunner): Promise<void>;
  };
};

/**
 * The growth counters against the per-investor rollups they summarise: given activity ingested (late, out of order,
 * replayed, concurrent, without consent), when the counters are read (folded or not), then they equal the counts of
 * the rollup rows, and the funnel's medians are the histogram medians of the exact gaps.
 */
describe('growth counters', () => {
  let t: TestApp;
  let db: DataSource;
  let sink: PgActivitySink;
  let counters: GrowthCounters;

  beforeAll(async () => {
    t = await createTestApp({ GROWTH_ACTIVITY_RETENTION_DAYS: '400', GROWTH_COUNTERS_COMPACT_MS: '600000' });
    db = t.app.get(DataSource);
    sink = t.app.get(PgActivitySink);
    counters = t.app.get(GrowthCounters);
    t.clock.set(new Date('2026-12-20T02:00:00.000Z'));
  });
  afterAll(() => t.close());

  let serial = 0;
  const investors = async (count: number, consent = true, registeredAt = '2026-09-01T00:00:00.000Z'): Promise<string[]> => {
    const ids = Array.from({ length: count }, () => `counted-${String(serial++).padStart(5, '0')}`);
    await db.query(
      `INSERT INTO growth_investors (investor_id, registered_at, analytics_consent, consent_changed_at)
       SELECT id, $2::timestamptz, $3, $2::timestamptz FROM unnest($1::text[]) AS id`,
      [ids, registeredAt, consent],
    );
    return ids;
  };
  let eventSerial = 0;
  const event = (investorId: string, type: string, at: string, productKind?: string): ObservedActivity => ({
    investorId,
    type,
    at: new Date(at),
    clientEventId: `e-${eventSerial++}`,
    properties: productKind ? { productKind } : {},
  });

  const read = async (metric: string, period: string, dim?: string): Promise<number> => {
    const [{ n }] = await db.query(
      `SELECT COALESCE(sum(n), 0)::int AS n FROM (SELECT metric, period, dim, n FROM growth_counters UNION ALL SELECT metric, period, dim, n FROM growth_counter_deltas) c
        WHERE metric = $1 AND period = $2::date AND ($3::text IS NULL OR dim = $3)`,
      [metric, period, dim ?? null],
    );
    return n;
  };
  /** Every active-investor counter against its rollup's rows, and every funnel counter against the funnel rows. */
  const expectCountersMatchRollups = async () => {
    const mismatches: unknown[] = await db.query(`
      WITH counted AS (
        SELECT metric, period, dim, stage, bucket, sum(n)::int AS n
          FROM (SELECT * FROM growth_counters UNION ALL SELECT metric, period, dim, stage, bucket, n FROM growth_counter_deltas) c
         WHERE metric IN ('day', 'week', 'month', 'funnel') GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
      ),
      rolled AS (
        SELECT 'day' AS metric, day AS period, '' AS dim, 0 AS stage, -1 AS bucket, count(*)::int AS n FROM growth_daily_active GROUP BY day
        UNION ALL SELECT 'week', week, '', 0, -1, count(*)::int FROM growth_weekly_active GROUP BY week
        UNION ALL SELECT 'month', month, kind, 0, -1, count(*)::int FROM growth_monthly_active GROUP BY month, kind
        UNION ALL SELECT 'funnel', (aware_at AT TIME ZONE 'Asia/Shanghai')::date, product_kind, s.stage, -1, count(*)::int
          FROM growth_funnel CROSS JOIN LATERAL (VALUES (0, aware_at), (1, interested_at), (2, learned_rules_at), (3, tried_at),
               (4, prepared_at), (5, permitted_at), (6, transacted_at)) AS s (stage, at)
         WHERE s.at IS NOT NULL AND aware_at IS NOT NULL GROUP BY 2, 3, 4
      )
      (SELECT 'counter' AS side, * FROM counted EXCEPT SELECT 'counter', * FROM rolled)
      UNION ALL (SELECT 'rollup', * FROM rolled EXCEPT SELECT 'rollup', * FROM counted)`);
    expect(mismatches).toEqual([]);
  };

  it('given activity in two months, late and out of order, when counted, then the counters equal the rollups, folded or not', async () => {
    const [a, b, c] = await investors(3);
    const [d] = await investors(1, true, '2026-12-05T00:00:00.000Z');
    await sink.record([event(a, 'watchlist_viewed', '2026-12-01T03:00:00.000Z'), event(b, 'positions_viewed', '2026-12-02T03:00:00.000Z')]);
    await sink.record([event(c, 'watchlist_viewed', '2026-11-05T03:00:00.000Z'), event(d, 'watchlist_viewed', '2026-12-06T03:00:00.000Z')]);
    // a's November activity arrives late: a's December counts as retained, no longer returned.
    await sink.record([event(a, 'watchlist_viewed', '2026-11-20T03:00:00.000Z'), event(a, 'watchlist_viewed', '2026-12-03T03:00:00.000Z')]);
    expect(await read('month', '2026-12-01', 'retained')).toBe(1);
    expect(await read('month', '2026-12-01', 'returned')).toBe(1);
    expect(await read('month', '2026-12-01', 'new')).toBe(1);
    expect(await read('month', '2026-11-01')).toBe(2);
    expect(await read('day', '2026-12-01')).toBe(1);
    await expectCountersMatchRollups();
    expect(await counters.compact()).toBeGreaterThan(0);
    const [{ deltas }] = await db.query('SELECT count(*)::int AS deltas FROM growth_counter_deltas');
    expect(deltas).toBe(0);
    expect(await read('month', '2026-12-01', 'retained')).toBe(1);
    await expectCountersMatchRollups();
  });

  it('given two ingests of the same investor and day in parallel, then the day, week and month count the investor once', async () => {
    const [investor] = await investors(1);
    const before = await Promise.all([read('day', '2026-12-10'), read('week', '2026-12-07'), read('month', '2026-12-01')]);
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => sink.record([event(investor, 'watchlist_viewed', `2026-12-10T0${i}:00:00.000Z`, 'course')])),
    );
    const after = await Promise.all([read('day', '2026-12-10'), read('week', '2026-12-07'), read('month', '2026-12-01')]);
    expect(after).toEqual(before.map((n) => n + 1));
    await expectCountersMatchRollups();
  });

  it('given a new funnel row for the same investor and kind from parallel ingests, then each stage counts once (the loser retries)', async () => {
    const [investor] = await investors(1);
    const before = await read('funnel', '2026-12-11', 'level2_data');
    const outcomes = await Promise.all(
      ['listing_viewed', 'watchlist_added', 'rules_read', 'simulated_trade'].map((type, i) =>
        sink.record([event(investor, type, `2026-12-11T0${i}:00:00.000Z`, 'level2_data')]),
      ),
    );
    expect(outcomes.map((outcome) => outcome.recorded)).toEqual([1, 1, 1, 1]);
    // aware, interested, learned_rules, tried: four stage counts for one investor.
    expect((await read('funnel', '2026-12-11', 'level2_data')) - before).toBe(4);
    await expectCountersMatchRollups();
  });

  it.each([
    ['October', 'November'],
    ['November', 'October'],
  ])(
    "given an investor's October and November ingested in parallel (%s held mid-statement while %s commits), then November counts as retained",
    async (held: string) => {
      const [investor, other] = await investors(2);
      // The days' partitions exist beforehand: creating one waits for the statements writing to the table.
      await sink.record([
        event(other, 'watchlist_viewed', '2026-10-15T01:00:00.000Z'),
        event(other, 'watchlist_viewed', '2026-11-15T01:00:00.000Z'),
      ]);
      await sink.record([
        event(investor, 'watchlist_viewed', '2026-09-10T03:00:00.000Z'),
        event(investor, 'listing_viewed', '2026-09-10T04:00:00.000Z', 'course'),
      ]);
      const month = (day: string, withFunnel: boolean) => [
        event(investor, 'watchlist_viewed', `${day}T03:00:00.000Z`),
        ...(withFunnel ? [event(investor, 'listing_viewed', `${day}T04:00:00.000Z`, 'course')] : []),
      ];
      const october = (withFunnel: boolean) => month('2026-10-15', withFunnel);
      const november = (withFunnel: boolean) => month('2026-11-15', withFunnel);
      // The held ingest waits at the investor's funnel row after its statement has begun, so after its snapshot was
      // taken; the other ingest runs and commits meanwhile. Neither statement sees the other's month.
      const holder = await t.app.get(LogDatabase).connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM growth_funnel WHERE investor_id = $1 FOR UPDATE`, [investor]);
        const waiting = sink.record(held === 'October' ? october(true) : november(true));
        for (let waited = 0; ; waited += 20) {
          const [{ blocked }] = await db.query(
            `SELECT count(*)::int AS blocked FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%jsonb_to_recordset%' AND pid <> pg_backend_pid()`,
          );
          if (blocked > 0) break;
          if (waited > 10_000) throw new Error(`the ${held} ingest never waited for the held funnel row`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await sink.record(held === 'October' ? november(false) : october(false));
        await holder.query('ROLLBACK');
        await waiting;
      } finally {
        holder.release();
      }
      const kinds = await db.query(`SELECT month::text, kind FROM growth_monthly_active WHERE investor_id = $1 ORDER BY month`, [investor]);
      expect(kinds).toEqual([
        { month: '2026-09-01', kind: 'new' },
        { month: '2026-10-01', kind: 'retained' },
        { month: '2026-11-01', kind: 'retained' },
      ]);
      await expectCountersMatchRollups();
    },
  );

  it('given many batches at once, then each batch hears its own counts and an event in two of them is recorded once', async () => {
    const people = await investors(12);
    const [withheld] = await investors(1, false);
    const shared = event(people[0], 'watchlist_viewed', '2026-12-13T03:00:00.000Z');
    const batches = people.map((investor, i) => [
      event(investor, 'watchlist_viewed', '2026-12-13T04:00:00.000Z'),
      event(investor, 'listing_viewed', `2026-12-13T0${i % 10}:30:00.000Z`, 'tool'),
      ...(i === 3 || i === 9 ? [shared] : []),
      ...(i === 5 ? [event(withheld, 'watchlist_viewed', '2026-12-13T04:00:00.000Z')] : []),
    ]);
    // The day's partition exists beforehand, so the batches reach the database together rather than one by one behind its creation.
    await sink.record([event(withheld, 'watchlist_viewed', '2026-12-13T01:00:00.000Z')]);
    const before = await read('day', '2026-12-13');
    const outcomes = await Promise.all(batches.map((batch) => sink.record(batch)));
    expect(outcomes.map((outcome) => outcome.withoutConsent)).toEqual(batches.map((_, i) => (i === 5 ? 1 : 0)));
    // The shared event: recorded by one of the two batches, a duplicate for the other.
    expect([outcomes[3], outcomes[9]].map((outcome) => outcome.recorded).sort()).toEqual([2, 3]);
    expect(outcomes[3].duplicates + outcomes[9].duplicates).toBe(1);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.recorded, 0)).toBe(25);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM growth_activity WHERE investor_id = ANY($1)`, [people]);
    expect(n).toBe(25);
    expect((await read('day', '2026-12-13')) - before).toBe(12);
    await expectCountersMatchRollups();
  });

  it('given the same batch replayed, or activity without analytics consent (G7), then no counter moves', async () => {
    const [investor] = await investors(1);
    const [withheld] = await investors(1, false);
    const batch = [
      event(investor, 'watchlist_viewed', '2026-12-12T03:00:00.000Z'),
      event(investor, 'listing_viewed', '2026-12-12T04:00:00.000Z', 'course'),
    ];
    await sink.record(batch);
    const snapshot = async () =>
      Promise.all([
        read('day', '2026-12-12'),
        read('month', '2026-12-01'),
        read('funnel', '2026-12-12', 'course'),
        read('funnel_gap', '2026-12-12'),
      ]);
    const once = await snapshot();
    const replayed = await sink.record(batch);
    expect(replayed).toMatchObject({ recorded: 0, duplicates: 2 });
    const refused = await sink.record([
      event(withheld, 'watchlist_viewed', '2026-12-12T03:00:00.000Z'),
      event(withheld, 'listing_viewed', '2026-12-12T04:00:00.000Z', 'course'),
    ]);
    expect(refused).toMatchObject({ recorded: 0, withoutConsent: 2 });
    expect(await snapshot()).toEqual(once);
    await expectCountersMatchRollups();
  });

  it('given out-of-order funnel activity, then the funnel answer counts each stage once and its medians are the histogram medians of the exact gaps', async () => {
    const people = await investors(5);
    // Stage instants per investor, sent latest first so that rows are lowered after they were counted.
    const plans = people.map((investor, i) => [
      event(investor, 'simulated_trade', `2026-12-15T${String(10 + i).padStart(2, '0')}:17:00.000Z`, 'stock_picking_strategy'),
      event(investor, 'rules_read', `2026-12-15T0${5 + i}:00:00.000Z`, 'stock_picking_strategy'),
      event(investor, 'listing_viewed', `2026-12-15T0${i}:09:00.000Z`, 'stock_picking_strategy'),
    ]);
    for (const plan of plans) for (const one of plan) await sink.record([one]);
    // people[0] turns out to have been aware a Beijing day earlier: its counts move from the 15th to the 14th.
    await sink.record([event(people[0], 'listing_viewed', '2026-12-14T10:00:00.000Z', 'stock_picking_strategy')]);
    const rows: { aware_at: Date; interested_at: Date; learned_rules_at: Date; tried_at: Date }[] = await db.query(
      `SELECT aware_at, interested_at, learned_rules_at, tried_at FROM growth_funnel WHERE product_kind = 'stock_picking_strategy' AND investor_id = ANY($1::text[])`,
      [people],
    );
    const histogram = (gaps: number[]) => {
      const buckets = new Map<number, number>();
      for (const seconds of gaps) buckets.set(gapBucketMinutes(seconds), (buckets.get(gapBucketMinutes(seconds)) ?? 0) + 1);
      return buckets;
    };
    const hours = (minutes: number | null) => (minutes === null ? null : Math.round((minutes / 60) * 100) / 100);
    const pm = await t.register('product_manager');
    const funnel = await t.http
      .get('/growth/funnel?productKind=stock_picking_strategy&from=2026-12-14&to=2026-12-16')
      .set({ authorization: `Bearer ${pm.token}` })
      .expect(200);
    const byStage = Object.fromEntries(funnel.body.stages.map((stage: { stage: string }) => [stage.stage, stage]));
    expect(byStage.aware.investors).toBe(5);
    // Reading the rules implies the intent then (interested_at = learned_rules_at); the awareness came hours before.
    expect(byStage.interested).toMatchObject({
      investors: 5,
      medianHoursFromPrevious: hours(histogramMedian(histogram(rows.map((row) => (+row.interested_at - +row.aware_at) / 1000)))),
    });
    expect(byStage.interested.medianHoursFromPrevious).toBeGreaterThan(4);
    expect(byStage.learned_rules).toMatchObject({ investors: 5, medianHoursFromPrevious: 0 });
    expect(byStage.tried).toMatchObject({
      investors: 5,
      medianHoursFromPrevious: hours(histogramMedian(histogram(rows.map((row) => (+row.tried_at - +row.learned_rules_at) / 1000)))),
    });
    expect(funnel.body.medianPrecision).toContain('E24');
    await expectCountersMatchRollups();
  });

  it('G7 withdrawal: the rollup rows erased with the activity take their counts with them', async () => {
    const investor = await t.register();
    const auth = { authorization: `Bearer ${investor.token}` };
    await t.http.put('/me/analytics-consent').set(auth).send({ given: true }).expect(200);
    const before = await Promise.all([read('day', '2026-12-18'), read('funnel', '2026-12-18', 'course')]);
    await t.http
      .post('/me/activity')
      .set(auth)
      .send({
        events: [
          { clientEventId: 'w-1', type: 'watchlist_viewed', at: '2026-12-18T03:00:00.000Z' },
          { clientEventId: 'w-2', type: 'rules_read', at: '2026-12-18T04:00:00.000Z', productKind: 'course' },
        ],
      })
      .expect(200);
    expect(await Promise.all([read('day', '2026-12-18'), read('funnel', '2026-12-18', 'course')])).toEqual([before[0] + 1, before[1] + 3]);
    await t.http.put('/me/analytics-consent').set(auth).send({ given: false }).expect(200);
    const started = Date.now();
    while ((await read('day', '2026-12-18')) !== before[0] && Date.now() - started < 10_000)
      await new Promise((done) => setTimeout(done, 100));
    expect(await Promise.all([read('day', '2026-12-18'), read('funnel', '2026-12-18', 'course')])).toEqual(before);
    await expectCountersMatchRollups();
  });

  it('G7 retention: the counters of the periods whose rollups are deleted go with them; the kept periods keep theirs', async () => {
    const [early, kept] = await investors(2);
    // Definition v1 (logging in) was in effect then.
    await sink.record([event(early, 'logged_in', '2026-01-20T03:00:00.000Z'), event(kept, 'logged_in', '2026-03-10T03:00:00.000Z')]);
    const keptBefore = await Promise.all([read('day', '2026-12-01'), read('month', '2026-12-01'), read('day', '2026-03-10')]);
    expect(await read('day', '2026-01-20')).toBe(1);
    // 400 days kept: on 2027-03-01 the first retained day is 2026-01-27 (its week, from 2026-01-26, and the week and month before stay).
    t.clock.set(new Date('2027-03-01T02:00:00.000Z'));
    await t.app.get(ActivityPartitions).maintain();
    expect(await read('day', '2026-01-20')).toBe(0);
    expect(await Promise.all([read('day', '2026-12-01'), read('month', '2026-12-01'), read('day', '2026-03-10')])).toEqual(keptBefore);
    await expectCountersMatchRollups();
    t.clock.set(new Date('2026-12-20T02:00:00.000Z'));
  });

  it('the SQL buckets every gap as the domain function does (the medians depend on it)', async () => {
    const seconds = [
      0,
      29,
      30,
      31,
      59 * 60 + 31,
      5999,
      6000,
      6030,
      7170,
      7200,
      8100,
      8700,
      57_300,
      57_600,
      93_600,
      5_000_000,
      31_536_000,
      700_000_000,
    ];
    for (let s = 6000; s < 4_000_000; s = Math.round(s * 1.013) + 7) seconds.push(s);
    const rows: { bucket: number }[] = await db.query(
      `SELECT ${gapBucketSql('s::numeric')} AS bucket FROM unnest($1::bigint[]) WITH ORDINALITY AS u (s, i) ORDER BY i`,
      [seconds],
    );
    expect(rows.map((row) => row.bucket)).toEqual(seconds.map(gapBucketMinutes));
  });

  it('the migration backfills the same counters from the rollups', async () => {
    await counters.compact();
    const all = () =>
      db.query(
        `SELECT metric, to_char(period, 'YYYY-MM-DD') AS period, dim, stage, bucket, n::int AS n FROM growth_counters WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5`,
      );
    const incremental = await all();
    const runner = db.createQueryRunner();
    try {
      const migration = countersMigration();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await all()).toEqual(incremental);
  });
});
