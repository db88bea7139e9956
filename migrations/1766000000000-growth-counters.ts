import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Growth counters: the analytics answers (DAU/WAU/MAU, the MAU identity, funnel stage counts and the distribution of
 * the time between stages) as counts per period, so that a query reads a few rows instead of counting the
 * per-investor rollups. The ingest statement appends signed deltas to `growth_counter_deltas` (no row is shared
 * between two ingests, so concurrent ingests never wait on a counter); a compaction folds them into
 * `growth_counters`; a query sums both. The counters are backfilled here from the rollups that exist.
 *
 * Keys: metric 'day' | 'week' | 'month' (active investors; for 'month', dim is how they count in the MAU identity:
 * retained, new or returned; else dim is ''), 'funnel' (dim the product kind, period the Beijing day of the
 * awareness, stage the stage index, bucket -1) and 'funnel_gap' (the same, bucket the minutes from the previous
 * stage to this one rounded to the nearest E24 preferred number; whole minutes below 100).
 */
const E24 = [10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91, 100];
const GAP_BUCKET = (seconds: string) => {
  const decades = [1, 2, 3, 4, 5].map((exponent) => {
    const step = 10 ** exponent;
    const chain = E24.slice(0, -1)
      .map((value, i) => `WHEN m * m < ${value * E24[i + 1] * step * step} THEN ${value * step}`)
      .join(' ');
    return `WHEN m < ${100 * step} THEN CASE ${chain} ELSE ${100 * step} END`;
  });
  const beyond = `round(m / power(10, floor(log(m)) - 1)) * power(10, floor(log(m)) - 1)`;
  return `(SELECT (CASE WHEN m < 100 THEN m ${decades.join(' ')} ELSE ${beyond} END)::int FROM (SELECT round(${seconds} / 60)::bigint AS m) AS gap)`;
};
const STAGES = ['aware_at', 'interested_at', 'learned_rules_at', 'tried_at', 'prepared_at', 'permitted_at', 'transacted_at'];

export class GrowthCounters1766000000000 implements MigrationInterface {
  name = 'GrowthCounters1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE growth_counters (
        metric text NOT NULL CHECK (metric IN ('day', 'week', 'month', 'funnel', 'funnel_gap')),
        period date NOT NULL,
        dim    text NOT NULL DEFAULT '',
        stage  smallint NOT NULL DEFAULT 0,
        bucket integer NOT NULL DEFAULT -1,
        n      bigint NOT NULL,
        PRIMARY KEY (metric, dim, period, stage, bucket)
      )`);
    await q.query(`CREATE INDEX growth_counters_period_idx ON growth_counters (metric, period)`);
    await q.query(`
      CREATE TABLE growth_counter_deltas (
        metric text NOT NULL,
        period date NOT NULL,
        dim    text NOT NULL DEFAULT '',
        stage  smallint NOT NULL DEFAULT 0,
        bucket integer NOT NULL DEFAULT -1,
        n      bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX growth_counter_deltas_key_idx ON growth_counter_deltas (metric, dim, period)`);
    // A statement that lost a race it cannot resolve by itself (see the sink) raises a serialization failure and is retried whole.
    await q.query(`
      CREATE FUNCTION growth_retry(message text) RETURNS integer LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = message;
      END $$`);

    await this.backfill(q);
  }

  /** The counters from the rollups, set-based (also how the growth bench builds them after seeding). */
  async backfill(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO growth_counters (metric, period, dim, n)
      SELECT 'day', day, '', count(*) FROM growth_daily_active GROUP BY day
      UNION ALL SELECT 'week', week, '', count(*) FROM growth_weekly_active GROUP BY week
      UNION ALL SELECT 'month', month, kind, count(*) FROM growth_monthly_active GROUP BY month, kind`);
    const items = STAGES.map((column, i) => `(${i}, -1, ${column} IS NOT NULL)`);
    const gaps = STAGES.slice(1).map(
      (column, i) =>
        `(${i + 1}, CASE WHEN ${column} IS NOT NULL AND ${STAGES[i]} IS NOT NULL THEN ${GAP_BUCKET(`extract(epoch FROM ${column} - ${STAGES[i]})`)} END, ${column} IS NOT NULL AND ${STAGES[i]} IS NOT NULL)`,
    );
    await q.query(`
      INSERT INTO growth_counters (metric, period, dim, stage, bucket, n)
      SELECT CASE WHEN x.bucket = -1 THEN 'funnel' ELSE 'funnel_gap' END, (f.aware_at AT TIME ZONE 'Asia/Shanghai')::date, f.product_kind, x.stage, x.bucket, count(*)
        FROM growth_funnel f
        CROSS JOIN LATERAL (VALUES ${[...items, ...gaps].join(', ')}) AS x (stage, bucket, counted)
       WHERE f.aware_at IS NOT NULL AND x.counted
       GROUP BY 1, 2, 3, 4, 5`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION growth_retry(text)');
    await q.query('DROP TABLE growth_counter_deltas');
    await q.query('DROP TABLE growth_counters');
  }
}
