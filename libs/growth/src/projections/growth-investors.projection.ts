/**
 * Who the growth context may count (G7): each registered user with the registration instant, and whether their
 * analytics consent is given. A withdrawal also erases what was collected under the consent (PIPL: the purpose ended),
 * the raw activity and the per-investor rollups; payments stay (they are the company's records, not activity).
 * Registrations and consent changes are rare, so this read model costs the runner's batch next to nothing.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { AnalyticsConsentEventTypes } from '../domain/analytics-consent';
import { LessonEventTypes } from '../domain/lessons';

/** What a withdrawal erases: rows up to the withdrawal (a replay after a later consent keeps what that consent allowed). */
const ERASED_ON_WITHDRAWAL: readonly (readonly [string, string])[] = [
  ['growth_activity', 'at <= $2::timestamptz'],
  ['growth_daily_active', 'day <= $2::timestamptz::date'],
  ['growth_weekly_active', 'week <= $2::timestamptz::date'],
  ['growth_monthly_active', 'month <= $2::timestamptz::date'],
  [
    'growth_funnel',
    'COALESCE(aware_at, interested_at, learned_rules_at, tried_at, prepared_at, permitted_at, transacted_at) <= $2::timestamptz',
  ],
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
          if (!given)
            for (const [table, upTo] of ERASED_ON_WITHDRAWAL)
              await manager.query(`DELETE FROM ${table} WHERE investor_id = $1 AND ${upTo}`, [String(d.investorId), at]);
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
