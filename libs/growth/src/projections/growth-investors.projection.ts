/**
 * Who the growth context may count (G7): each registered user with the registration instant, and whether their
 * analytics consent is given. A withdrawal also erases what was collected under the consent (PIPL: the purpose ended),
 * the raw activity and the per-investor rollups (and their counts); payments stay (they are the company's records, not activity).
 * Registrations and consent changes are rare, so this read model costs the runner's batch next to nothing.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { AnalyticsConsentEventTypes } from '../domain/analytics-consent';
import { LessonEventTypes } from '../domain/lessons';
import { STAGE_COLUMNS, funnelContributionsSql } from '../infrastructure/growth-counters';

const counted = (metric: string, table: string, column: string, upTo: string, dim = `''`) =>
  `WITH gone AS (DELETE FROM ${table} WHERE investor_id = $1 AND ${upTo} RETURNING *)
   INSERT INTO growth_counter_deltas (metric, period, dim, n) SELECT '${metric}', ${column}, ${dim}, -count(*) FROM gone GROUP BY 2, 3`;

/**
 * What a withdrawal erases: rows up to the withdrawal (a replay after a later consent keeps what that consent
 * allowed), and with each rollup row its place in the counters (so that the counters keep equalling the rollups, and
 * a later consent counts the investor again once).
 */
const ERASED_ON_WITHDRAWAL: readonly string[] = [
  'DELETE FROM growth_activity WHERE investor_id = $1 AND at <= $2::timestamptz',
  counted('day', 'growth_daily_active', 'day', 'day <= $2::timestamptz::date'),
  counted('week', 'growth_weekly_active', 'week', 'week <= $2::timestamptz::date'),
  counted('month', 'growth_monthly_active', 'month', 'month <= $2::timestamptz::date', 'kind'),
  `WITH gone AS (
     DELETE FROM growth_funnel WHERE investor_id = $1
        AND COALESCE(aware_at, interested_at, learned_rules_at, tried_at, prepared_at, permitted_at, transacted_at) <= $2::timestamptz
     RETURNING *
   )
   INSERT INTO growth_counter_deltas (metric, period, dim, stage, bucket, n)
   SELECT x.metric, x.period, x.dim, x.stage, x.bucket, sum(x.n)
     FROM gone g CROSS JOIN LATERAL ${funnelContributionsSql('g.product_kind', (i) => `g.${STAGE_COLUMNS[i]}`, -1)}
    WHERE x.counted GROUP BY 1, 2, 3, 4, 5`,
];

@Injectable()
@EventProjection()
export class GrowthInvestorsProjection implements Projection {
  readonly name = 'growth.investors';
  readonly tables = ['growth_investors', 'growth_lessons_completed'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) {
      const d = event.data;
      switch (event.type) {
        case 'identity.UserRegistered':
          await manager.query(
            `INSERT INTO growth_investors (investor_id, registered_at) VALUES ($1, $2)
             ON CONFLICT (investor_id) DO UPDATE SET registered_at = EXCLUDED.registered_at`,
            [String(d.userId), String(d.registeredAt ?? event.recordedAt.toISOString())],
          );
          break;
        case AnalyticsConsentEventTypes.Given:
        case AnalyticsConsentEventTypes.Withdrawn: {
          const given = event.type === AnalyticsConsentEventTypes.Given;
          const at = (d.step as { at: string }).at;
          await manager.query(
            `INSERT INTO growth_investors (investor_id, analytics_consent, consent_changed_at) VALUES ($1, $2, $3)
             ON CONFLICT (investor_id) DO UPDATE SET analytics_consent = EXCLUDED.analytics_consent, consent_changed_at = EXCLUDED.consent_changed_at`,
            [String(d.investorId), given, at],
          );
          if (!given) for (const statement of ERASED_ON_WITHDRAWAL) await manager.query(statement, [String(d.investorId), at]);
          break;
        }
        case LessonEventTypes.Completed:
          await manager.query(
            'INSERT INTO growth_lessons_completed (investor_id, lesson_id, completed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [String(d.investorId), String(d.lessonId), (d.step as { at: string }).at],
          );
          break;
        default:
          break;
      }
    }
  }
}
