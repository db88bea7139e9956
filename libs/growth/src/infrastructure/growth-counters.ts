/**
 * The growth counters (migration 1766000000000): counts per period that the analytics read instead of counting the
 * per-investor rollups. The ingest statement appends signed deltas (`growth_counter_deltas`, insert only: two ingests
 * never wait on the same counter row); this job folds them into `growth_counters` every few hundred milliseconds (one
 * instance at a time, by a transaction advisory lock); a query sums both in one statement, so it sees each delta
 * exactly once, folded or not. Kept here rather than in a library: it is three SQL statements on our own tables.
 */
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JsonLogger } from '@app/platform';
import { GrowthSettings } from './growth-settings';

export const STAGE_COLUMNS = [
  'aware_at',
  'interested_at',
  'learned_rules_at',
  'tried_at',
  'prepared_at',
  'permitted_at',
  'transacted_at',
] as const;

/**
 * The SQL of domain/gap-histogram.ts's gapBucketMinutes: minutes rounded to the nearest E24 number (whole below 100),
 * by the database function of migration 1766500100000 (one call, not a chain of comparisons, in the ingest statement).
 */
export const gapBucketSql = (seconds: string): string => `growth_gap_bucket((${seconds})::numeric)`;

/**
 * The counter rows one funnel row contributes, as a LATERAL VALUES list of (metric, period, dim, stage, bucket, n,
 * counted): each stage reached counts once under the Beijing day of the awareness; each gap between two stages
 * reached counts once in its bucket. `column(i)` names the row's instant of stage i; `sign` is 1 or -1.
 */
export const funnelContributionsSql = (kind: string, column: (stage: number) => string, sign: 1 | -1): string => {
  const day = `(${column(0)} AT TIME ZONE 'Asia/Shanghai')::date`;
  const stages = STAGE_COLUMNS.map(
    (_, i) =>
      `('funnel'::text, ${day}, ${kind}, ${i}::smallint, -1, ${sign}::bigint, ${column(0)} IS NOT NULL AND ${column(i)} IS NOT NULL)`,
  );
  const gaps = STAGE_COLUMNS.slice(1).map((_, index) => {
    const i = index + 1;
    const both = `${column(0)} IS NOT NULL AND ${column(i)} IS NOT NULL AND ${column(i - 1)} IS NOT NULL`;
    return `('funnel_gap'::text, ${day}, ${kind}, ${i}::smallint, CASE WHEN ${both} THEN ${gapBucketSql(`extract(epoch FROM ${column(i)} - ${column(i - 1)})`)} END, ${sign}::bigint, ${both})`;
  });
  return `(VALUES ${[...stages, ...gaps].join(',\n ')}) AS x (metric, period, dim, stage, bucket, n, counted)`;
};

/** Both tables as one relation (filter it by metric, dim and period; the filters are pushed into both). */
export const COUNTED = `(SELECT metric, period, dim, stage, bucket, n FROM growth_counters
  UNION ALL SELECT metric, period, dim, stage, bucket, n FROM growth_counter_deltas)`;

const COMPACT = `
WITH moved AS (
  DELETE FROM growth_counter_deltas RETURNING metric, period, dim, stage, bucket, n
),
folded AS (
  INSERT INTO growth_counters (metric, period, dim, stage, bucket, n)
  SELECT metric, period, dim, stage, bucket, sum(n) FROM moved GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0 ORDER BY 1, 3, 2, 4, 5
  ON CONFLICT (metric, dim, period, stage, bucket) DO UPDATE SET n = growth_counters.n + EXCLUDED.n
)
SELECT count(*)::int AS moved FROM moved`;

@Injectable()
export class GrowthCounters implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: GrowthSettings,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.settings.countersCompactMs);
    this.timer.unref();
  }

  /** Before the database closes: no new fold starts, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): Promise<void> {
    if (this.running || !this.timer) return this.running ?? Promise.resolve();
    this.running = this.compact()
      .then(
        () => undefined,
        (error: unknown) => this.logger.event('error', 'growth', { message: 'counter compaction failed; retried', error: String(error) }),
      )
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Folds the deltas into the counters; the number of delta rows folded (0 when another instance is at it). */
  async compact(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext('growth.counters')) AS locked`)) as {
        locked: boolean;
      }[];
      if (!locked) return 0;
      const [{ moved }] = (await manager.query(COMPACT)) as { moved: number }[];
      return moved;
    });
  }

  /**
   * Retention (G7): the active-investor counters of the periods whose rollups the retention job deletes go with them
   * (same bounds), so that every kept period's counters still equal its rollup rows. Funnel counters stay (the funnel
   * rollup is not trimmed by retention).
   */
  static async trim(manager: EntityManager, cutoffDay: string): Promise<void> {
    for (const table of ['growth_counter_deltas', 'growth_counters'])
      await manager.query(
        `DELETE FROM ${table}
          WHERE (metric = 'day' AND period < $1::date)
             OR (metric = 'week' AND period < date_trunc('week', $1::date)::date - 7)
             OR (metric = 'month' AND period < date_trunc('month', $1::date)::date - interval '1 month')`,
        [cutoffDay],
      );
  }
}
