/**
 * The product team's analytics (seed 004), read from what the ingest and the feed keep incrementally: active users per
 * day, week and month under the definition in effect (every answer names the versions it used), the MAU identity and
 * funnels per product kind from the counters (a few rows per period, infrastructure/growth-counters.ts), retention by
 * registration week from the weekly rollup, RFM segments and revenue per month.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, invalid } from '@app/common';
import { FUNNEL_STAGES, FunnelStage, RFM_SEGMENTS, RfmSegment } from '../audience';
import { addDays, addMonths, beijingDay, dayStart, isDay, monthOf, weekOf } from '../domain/calendar';
import { GAP_PRECISION, histogramMedian } from '../domain/gap-histogram';
import { MauBreakdown, identityHolds, mauFromCounts } from '../domain/mau';
import { COUNTED } from '../infrastructure/growth-counters';
import { RfmThresholds, segmentOf } from '../domain/rfm';

export interface DefinitionUsed {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly activityTypes: readonly string[];
  readonly description: string;
}

export interface ActiveUsers {
  readonly day: string;
  readonly dau: number;
  readonly wau: number;
  readonly mau: number;
  readonly week: string;
  readonly month: string;
  readonly definitions: readonly DefinitionUsed[];
}

export interface MauReport extends MauBreakdown {
  readonly month: string;
  readonly lastMonth: string;
  readonly identityHolds: boolean;
  readonly definitions: readonly DefinitionUsed[];
}

export interface FunnelStageRow {
  readonly stage: FunnelStage;
  readonly investors: number;
  /** Of those at the previous stage, the share who reached this one (null for the first stage or an empty previous stage). */
  readonly conversionFromPrevious: number | null;
  /** Median hours from the previous stage to this one, among investors who reached both (null when none), to the precision of `medianPrecision`. */
  readonly medianHoursFromPrevious: number | null;
}

export interface FunnelReport {
  readonly productKind: string;
  readonly from: string;
  readonly to: string;
  readonly stages: readonly FunnelStageRow[];
  /** How precise the medians are (they come from a histogram kept by the ingest, not from a scan of the investors). */
  readonly medianPrecision: string;
}

export interface RfmReport {
  readonly scoredAt: string | null;
  readonly thresholds: RfmThresholds | null;
  readonly segments: readonly { readonly segment: RfmSegment; readonly investors: number; readonly monetaryMinor: number }[];
}

export interface RevenueRow {
  readonly month: string;
  readonly family: string;
  readonly kind: string;
  readonly currency: string;
  readonly amountMinor: number;
  readonly payments: number;
}

export interface CohortRow {
  readonly cohortWeek: string;
  readonly registered: number;
  /** retained[k]: investors of the cohort active in its week k (0: the registration week). */
  readonly activeByWeek: readonly number[];
}

export interface CohortReport {
  readonly cohorts: readonly CohortRow[];
  readonly definitions: readonly DefinitionUsed[];
}

const requireDay = (value: string, name: string): string => {
  if (!isDay(value)) throw invalid('GROWTH.BAD_PERIOD', `${name} must be a calendar date YYYY-MM-DD`);
  return value;
};

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  today(): string {
    return beijingDay(this.clock.now());
  }

  /** The definitions in effect on some day of [fromDay, toDay]. */
  async definitionsUsed(fromDay: string, toDay: string): Promise<DefinitionUsed[]> {
    const rows: { version: number; effective_from: string; activity_types: string[]; description: string }[] = await this.dataSource.query(
      `SELECT version, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, activity_types, description FROM growth_activity_definitions d
        WHERE effective_from <= $2::date
          AND NOT EXISTS (SELECT 1 FROM growth_activity_definitions n WHERE n.effective_from > d.effective_from AND n.effective_from <= $1::date)
        ORDER BY version`,
      [fromDay, toDay],
    );
    return rows.map((row) => ({
      version: row.version,
      effectiveFrom: row.effective_from,
      activityTypes: row.activity_types,
      description: row.description,
    }));
  }

  async definitions(): Promise<DefinitionUsed[]> {
    return this.definitionsUsed('0001-01-01', '9999-12-31');
  }

  /** A new definition from a future day on (past days keep the definition they were counted with). */
  async addDefinition(effectiveFrom: string, activityTypes: readonly string[], description: string): Promise<DefinitionUsed> {
    requireDay(effectiveFrom, 'effectiveFrom');
    if (effectiveFrom <= this.today())
      throw invalid(
        'GROWTH.DEFINITION_NOT_IN_FUTURE',
        'a new activity definition takes effect from a future day; past days keep the definition they were counted with',
      );
    const rows: { version: number }[] = await this.dataSource.query(
      `INSERT INTO growth_activity_definitions (version, effective_from, activity_types, description)
       SELECT COALESCE(max(version), 0) + 1, $1::date, $2::text[], $3 FROM growth_activity_definitions
       WHERE NOT EXISTS (SELECT 1 FROM growth_activity_definitions WHERE effective_from >= $1::date)
       RETURNING version`,
      [effectiveFrom, activityTypes, description],
    );
    if (rows.length === 0)
      throw invalid('GROWTH.DEFINITION_NOT_IN_FUTURE', 'a later definition already exists; definitions are added in date order');
    return { version: rows[0].version, effectiveFrom, activityTypes, description };
  }

  async activeUsers(day = this.today()): Promise<ActiveUsers> {
    requireDay(day, 'day');
    const week = weekOf(day);
    const month = monthOf(day);
    const rows: { metric: 'day' | 'week' | 'month'; n: string }[] = await this.dataSource.query(
      `SELECT metric, sum(n) AS n FROM ${COUNTED} c
        WHERE (metric = 'day' AND period = $1::date) OR (metric = 'week' AND period = $2::date) OR (metric = 'month' AND period = $3::date)
        GROUP BY metric`,
      [day, week, month],
    );
    const counts = { day: 0, week: 0, month: 0 };
    for (const r of rows) counts[r.metric] = Number(r.n);
    const row = { dau: counts.day, wau: counts.week, mau: counts.month };
    return { day, week, month, ...row, definitions: await this.definitionsUsed(month < week ? month : week, day) };
  }

  /** The month's MAU and its identity: MAU = retained + new + returned = last month's MAU − churned + new + returned. */
  async mau(month = monthOf(this.today())): Promise<MauReport> {
    requireDay(month, 'month');
    const first = monthOf(month);
    const last = addMonths(first, -1);
    const rows: { month: string; kind: 'retained' | 'new' | 'returned'; n: string }[] = await this.dataSource.query(
      `SELECT to_char(period, 'YYYY-MM-DD') AS month, dim AS kind, sum(n) AS n FROM ${COUNTED} c
        WHERE metric = 'month' AND period IN ($1::date, $2::date) GROUP BY 1, 2`,
      [first, last],
    );
    const kinds = { retained: 0, new: 0, returned: 0 };
    let mauLastMonth = 0;
    for (const row of rows) {
      if (row.month === first) kinds[row.kind] += Number(row.n);
      else mauLastMonth += Number(row.n);
    }
    const breakdown = mauFromCounts(mauLastMonth, kinds);
    return {
      month: first,
      lastMonth: last,
      ...breakdown,
      identityHolds: identityHolds(breakdown),
      definitions: await this.definitionsUsed(last, addDays(addMonths(first, 1), -1)),
    };
  }

  /** Retention by registration week: of each week's registrations (with analytics consent), how many were active in each following week. */
  async cohorts(fromWeek: string, weeks: number): Promise<CohortReport> {
    requireDay(fromWeek, 'from');
    const start = weekOf(fromWeek);
    const end = addDays(start, 7 * weeks);
    const rows: { cohort: string; registered: number; offset: number | null; active: number }[] = await this.dataSource.query(
      `WITH cohort AS (
         SELECT investor_id, date_trunc('week', registered_at AT TIME ZONE 'Asia/Shanghai')::date AS week
           FROM growth_investors WHERE analytics_consent AND registered_at >= $1::timestamptz AND registered_at < $2::timestamptz
       ),
       sizes AS (SELECT week, count(*)::int AS registered FROM cohort GROUP BY week),
       activity AS (
         SELECT c.week, ((w.week - c.week) / 7)::int AS "offset", count(*)::int AS active
           FROM cohort c JOIN growth_weekly_active w ON w.investor_id = c.investor_id AND w.week >= c.week AND w.week < c.week + $3::int * 7
          GROUP BY 1, 2
       )
       SELECT to_char(s.week, 'YYYY-MM-DD') AS cohort, s.registered, a."offset", COALESCE(a.active, 0) AS active
         FROM sizes s LEFT JOIN activity a USING (week) ORDER BY 1, 3`,
      [dayStart(start).toISOString(), dayStart(end).toISOString(), weeks],
    );
    const cohorts = new Map<string, { registered: number; activeByWeek: number[] }>();
    for (const row of rows) {
      const cohort = cohorts.get(row.cohort) ?? { registered: row.registered, activeByWeek: new Array<number>(weeks).fill(0) };
      if (row.offset !== null && row.offset < weeks) cohort.activeByWeek[row.offset] = row.active;
      cohorts.set(row.cohort, cohort);
    }
    return {
      cohorts: [...cohorts].map(([cohortWeek, cohort]) => ({ cohortWeek, ...cohort })),
      definitions: await this.definitionsUsed(start, addDays(start, 7 * weeks * 2)),
    };
  }

  /** The funnel of a product kind for investors who became aware in [from, to). */
  async funnel(productKind: string, from: string, to: string): Promise<FunnelReport> {
    requireDay(from, 'from');
    requireDay(to, 'to');
    if (to <= from) throw invalid('GROWTH.BAD_PERIOD', 'to must be after from');
    const rows: { metric: 'funnel' | 'funnel_gap'; stage: number; bucket: number; n: string }[] = await this.dataSource.query(
      `SELECT metric, stage, bucket, sum(n) AS n FROM ${COUNTED} c
        WHERE metric IN ('funnel', 'funnel_gap') AND dim = $1 AND period >= $2::date AND period < $3::date
        GROUP BY 1, 2, 3`,
      [productKind, from, to],
    );
    const counts = new Array<number>(FUNNEL_STAGES.length).fill(0);
    const gaps = FUNNEL_STAGES.map(() => new Map<number, number>());
    for (const r of rows) {
      if (r.metric === 'funnel') counts[r.stage] += Number(r.n);
      else gaps[r.stage].set(r.bucket, (gaps[r.stage].get(r.bucket) ?? 0) + Number(r.n));
    }
    const stages = FUNNEL_STAGES.map((stage, i): FunnelStageRow => {
      const investors = counts[i];
      const previous = i === 0 ? 0 : counts[i - 1];
      const median = i === 0 ? null : histogramMedian(gaps[i]);
      return {
        stage,
        investors,
        conversionFromPrevious: i === 0 || previous === 0 ? null : Math.round((investors / previous) * 10000) / 10000,
        medianHoursFromPrevious: median === null ? null : Math.round((median / 60) * 100) / 100,
      };
    });
    return { productKind, from, to, stages, medianPrecision: GAP_PRECISION };
  }

  /**
   * Scores every payer by RFM quintiles as of now and stores the scores and the summary (the quintiles of a population
   * are not incremental; the inputs are). Quintile cut points are nearest-rank percentiles, as in domain/rfm.ts.
   */
  async refreshRfm(): Promise<RfmReport> {
    const asOf = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('growth.rfm-refresh'))`);
      const [cuts] = (await manager.query(
        `SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY floor(extract(epoch FROM $1::timestamptz - last_payment_at) / 86400)::int) AS r,
                percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY payments) AS f,
                percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY monetary_minor) AS m
           FROM growth_rfm`,
        [asOf.toISOString()],
      )) as { r: number[] | null; f: number[] | null; m: (number | string)[] | null }[];
      const thresholds: RfmThresholds = {
        recencyDays: (cuts.r ?? []).map(Number),
        frequency: (cuts.f ?? []).map(Number),
        monetaryMinor: (cuts.m ?? []).map(Number),
      };
      const score = (column: string, points: readonly number[]) =>
        `(1 + ${points.map((point) => `(${column} > ${Math.trunc(point)})::int`).join(' + ') || '0'})`;
      const r = `(6 - ${score(`greatest(0, floor(extract(epoch FROM $1::timestamptz - last_payment_at) / 86400))`, thresholds.recencyDays)})`;
      const f = score('payments', thresholds.frequency);
      const m = score('monetary_minor', thresholds.monetaryMinor);
      // The segment of every (r, f, m) combination, from the one pure function, as a lookup table.
      const table: string[] = [];
      for (let ri = 1; ri <= 5; ri += 1)
        for (let fi = 1; fi <= 5; fi += 1)
          for (let mi = 1; mi <= 5; mi += 1) table.push(`(${ri}, ${fi}, ${mi}, '${segmentOf(ri, fi, mi)}')`);
      await manager.query('TRUNCATE growth_rfm_scores');
      await manager.query(
        `INSERT INTO growth_rfm_scores (investor_id, r, f, m, segment, scored_at)
         SELECT s.investor_id, s.r, s.f, s.m, t.segment, $1::timestamptz
           FROM (SELECT investor_id, ${r} AS r, ${f} AS f, ${m} AS m FROM growth_rfm) s
           JOIN (VALUES ${table.join(', ')}) AS t (r, f, m, segment) ON t.r = s.r AND t.f = s.f AND t.m = s.m`,
        [asOf.toISOString()],
      );
      await manager.query('DELETE FROM growth_rfm_summary');
      await manager.query(
        `INSERT INTO growth_rfm_summary (segment, investors, monetary_minor, scored_at, thresholds)
         SELECT seg, count(s.investor_id)::int, COALESCE(sum(g.monetary_minor), 0), $1::timestamptz, $2::jsonb
           FROM unnest($3::text[]) AS seg
           LEFT JOIN growth_rfm_scores s ON s.segment = seg
           LEFT JOIN growth_rfm g ON g.investor_id = s.investor_id
          GROUP BY seg`,
        [asOf.toISOString(), JSON.stringify(thresholds), RFM_SEGMENTS],
      );
    });
    return this.rfm();
  }

  /** The latest RFM scoring's segments (refresh to rescore). */
  async rfm(): Promise<RfmReport> {
    const rows: { segment: RfmSegment; investors: number; monetary_minor: string; scored_at: Date; thresholds: RfmThresholds }[] =
      await this.dataSource.query('SELECT segment, investors, monetary_minor, scored_at, thresholds FROM growth_rfm_summary');
    const bySegment = new Map(rows.map((row) => [row.segment, row]));
    return {
      scoredAt: rows[0] ? new Date(rows[0].scored_at).toISOString() : null,
      thresholds: rows[0]?.thresholds ?? null,
      segments: RFM_SEGMENTS.map((segment) => ({
        segment,
        investors: bySegment.get(segment)?.investors ?? 0,
        monetaryMinor: Number(bySegment.get(segment)?.monetary_minor ?? 0),
      })),
    };
  }

  async revenue(fromMonth: string, toMonth: string): Promise<RevenueRow[]> {
    requireDay(fromMonth, 'from');
    requireDay(toMonth, 'to');
    const rows: { month: string; family: string; kind: string; currency: string; amount_minor: string; payments: number }[] =
      await this.dataSource.query(
        `SELECT to_char(month, 'YYYY-MM-DD') AS month, family, kind, currency, amount_minor, payments FROM growth_revenue_monthly
        WHERE month >= $1::date AND month <= $2::date ORDER BY month, family, kind, currency`,
        [monthOf(fromMonth), monthOf(toMonth)],
      );
    return rows.map((row) => ({
      month: row.month,
      family: row.family,
      kind: row.kind,
      currency: row.currency,
      amountMinor: Number(row.amount_minor),
      payments: row.payments,
    }));
  }
}
