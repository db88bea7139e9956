/**
 * AudienceQuery: investor ids of a segment, in pages (keyset on the id), from the growth read models. Activity-based
 * segments (inactive, churned, funnel stage) can only hold investors whose analytics consent is given (G7): nothing
 * is known about the others' activity.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { unreachable } from '@app/common';
import { AudienceQuery, FUNNEL_STAGES, SegmentSpec } from '../audience';
import { addMonths, beijingDay, monthOf } from '../domain/calendar';
import { stageColumn } from './pg-activity-query';

@Injectable()
export class PgAudienceQuery extends AudienceQuery {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async page(spec: SegmentSpec, asOf: Date, after: string | null, limit: number): Promise<readonly string[]> {
    const { sql, params } = this.select(spec, asOf);
    const rows: { investor_id: string }[] = await this.dataSource.query(
      `SELECT investor_id FROM (${sql}) AS segment WHERE investor_id > $${params.length + 1} ORDER BY investor_id LIMIT $${params.length + 2}`,
      [...params, after ?? '', Math.max(0, Math.floor(limit))],
    );
    return rows.map((row) => row.investor_id);
  }

  private select(spec: SegmentSpec, asOf: Date): { sql: string; params: unknown[] } {
    switch (spec.kind) {
      case 'all_investors':
        return { sql: 'SELECT investor_id FROM growth_investors WHERE registered_at <= $1', params: [asOf.toISOString()] };
      case 'rfm':
        return { sql: 'SELECT investor_id FROM growth_rfm_scores WHERE segment = $1', params: [spec.segment] };
      case 'inactive':
        return {
          sql: `SELECT g.investor_id FROM growth_investors g
                 WHERE g.analytics_consent AND g.registered_at <= $1
                   AND NOT EXISTS (SELECT 1 FROM growth_activity a WHERE a.investor_id = g.investor_id AND a.at > $1::timestamptz - make_interval(days => $2::int) AND a.at <= $1)`,
          params: [asOf.toISOString(), spec.days],
        };
      case 'churned_last_month': {
        const month = monthOf(beijingDay(asOf));
        return {
          sql: `SELECT l.investor_id FROM growth_monthly_active l
                 WHERE l.month = $1::date AND NOT EXISTS (SELECT 1 FROM growth_monthly_active t WHERE t.month = $2::date AND t.investor_id = l.investor_id)`,
          params: [addMonths(month, -1), month],
        };
      }
      case 'funnel_stage': {
        // At the stage: reached it (by asOf) and not the next one yet.
        const next = FUNNEL_STAGES[FUNNEL_STAGES.indexOf(spec.stage) + 1];
        const notNext = next ? ` AND (${stageColumn(next)} IS NULL OR ${stageColumn(next)} > $2)` : '';
        return {
          sql: `SELECT investor_id FROM growth_funnel WHERE product_kind = $1 AND ${stageColumn(spec.stage)} <= $2${notNext}`,
          params: [spec.productKind, asOf.toISOString()],
        };
      }
      case 'holders':
        return {
          sql: 'SELECT DISTINCT payer_id AS investor_id FROM growth_payments WHERE listing_id = $1 AND captured_at <= $2 AND payer_id IS NOT NULL',
          params: [spec.listingId, asOf.toISOString()],
        };
      default:
        return unreachable(spec);
    }
  }
}
