/**
 * The advisory read models: investors (masked identity, classification, assessment in force), assessment history,
 * engagements, the return-visit queue, advice records and notifications. (The L4 re-rating reads the engagements
 * from here, but runs apart: `ReratingReactor`.)
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection, foldRows } from '@app/platform';
import { AdviceEvent, EngagementEvent, InvestorEvent } from '../domain';
import { engagementsTable } from './engagements.table';

type AdvisoryEvent = InvestorEvent | EngagementEvent | AdviceEvent;

export const ADVISORY_TABLES = [
  'advisory_investors',
  'advisory_assessments',
  'advisory_engagements',
  'advisory_return_visits',
  'advisory_advice',
  'advisory_notifications',
  'advisory_professional_applications',
] as const;

@Injectable()
@EventProjection()
export class AdvisoryProjection implements Projection {
  readonly name = 'advisory.read-models';
  readonly tables = ADVISORY_TABLES;

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    await foldRows(manager, engagementsTable, events);
    for (const recorded of events) {
      if (recorded.type.startsWith('advisory.'))
        await this.applyOne(recorded.id, { type: recorded.type, data: recorded.data } as unknown as AdvisoryEvent, manager);
    }
  }

  private async applyOne(eventId: string, event: AdvisoryEvent, m: EntityManager): Promise<void> {
    switch (event.type) {
      case 'advisory.AccountOpened': {
        const d = event.data;
        await m.query(
          `INSERT INTO advisory_investors (investor_id, national_id_masked, mobile_masked, legal_name_masked, profile, classification, opened_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (investor_id) DO NOTHING`,
          [d.investorId, d.nationalIdMasked, d.mobileMasked, d.legalNameMasked, JSON.stringify(d.profile), d.classification, d.step.at],
        );
        return;
      }
      case 'advisory.ProfessionalStatusApplied':
        await m.query(`UPDATE advisory_investors SET pending_application_id = $2, updated_at = $3 WHERE investor_id = $1`, [
          event.data.investorId,
          event.data.applicationId,
          event.data.step.at,
        ]);
        await m.query(
          `INSERT INTO advisory_professional_applications (application_id, investor_id, evidence, status, applied_at, applied_by)
           VALUES ($1, $2, $3, 'pending', $4, $5) ON CONFLICT (application_id) DO NOTHING`,
          [
            event.data.applicationId,
            event.data.investorId,
            JSON.stringify(event.data.evidence),
            event.data.step.at,
            event.data.step.actorId,
          ],
        );
        return;
      case 'advisory.ProfessionalStatusApproved':
        await m.query(
          `UPDATE advisory_professional_applications SET status = 'approved', reviewed_at = $2, reviewed_by = $3 WHERE application_id = $1`,
          [event.data.applicationId, event.data.step.at, event.data.step.actorId],
        );
        await m.query(
          `UPDATE advisory_investors SET classification = 'professional', pending_application_id = NULL, updated_at = $2 WHERE investor_id = $1`,
          [event.data.investorId, event.data.step.at],
        );
        return;
      case 'advisory.ProfessionalStatusRejected':
        await m.query(
          `UPDATE advisory_professional_applications SET status = 'rejected', reviewed_at = $2, reviewed_by = $3, review_reason = $4 WHERE application_id = $1`,
          [event.data.applicationId, event.data.step.at, event.data.step.actorId, event.data.reason],
        );
        await m.query(`UPDATE advisory_investors SET pending_application_id = NULL, updated_at = $2 WHERE investor_id = $1`, [
          event.data.investorId,
          event.data.step.at,
        ]);
        return;
      case 'advisory.RiskAssessed': {
        const d = event.data;
        await m.query(
          `INSERT INTO advisory_assessments (assessment_id, investor_id, questionnaire_version, questionnaire_hash, score, category, lowest_category, assessed_at, valid_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (assessment_id) DO NOTHING`,
          [
            d.assessmentId,
            d.investorId,
            d.questionnaireVersion,
            d.questionnaireHash,
            d.score,
            d.category,
            d.lowestCategory,
            d.step.at,
            d.validUntil,
          ],
        );
        await m.query(
          `UPDATE advisory_investors SET assessment_id = $2, category = $3, lowest_category = $4, assessment_valid_until = $5, assessment_confirmed = false,
             assessment_withdrawn = false, updated_at = $6 WHERE investor_id = $1`,
          [d.investorId, d.assessmentId, d.category, d.lowestCategory, d.validUntil, d.step.at],
        );
        return;
      }
      case 'advisory.RiskAssessmentConfirmed':
        await m.query(`UPDATE advisory_assessments SET confirmed_at = $2 WHERE assessment_id = $1`, [
          event.data.assessmentId,
          event.data.step.at,
        ]);
        await m.query(
          `UPDATE advisory_investors SET assessment_confirmed = true, updated_at = $3 WHERE investor_id = $1 AND assessment_id = $2`,
          [event.data.investorId, event.data.assessmentId, event.data.step.at],
        );
        return;
      case 'advisory.MaterialChangeReported': {
        const d = event.data;
        await m.query(
          `UPDATE advisory_investors SET profile = $2, assessment_withdrawn = (assessment_withdrawn OR $3), updated_at = $4 WHERE investor_id = $1`,
          [d.investorId, JSON.stringify(d.profile), d.withdrawnAssessmentId !== null, d.step.at],
        );
        if (d.withdrawnAssessmentId)
          await m.query(`UPDATE advisory_assessments SET withdrawn_at = $2 WHERE assessment_id = $1`, [d.withdrawnAssessmentId, d.step.at]);
        return;
      }
      case 'advisory.PersonalDataShredded':
        await m.query(`UPDATE advisory_investors SET pii_shredded = true, updated_at = $2 WHERE investor_id = $1`, [
          event.data.investorId,
          event.data.step.at,
        ]);
        return;
      // The engagement rows themselves are folded by engagementsTable; these are the other tables the events touch.
      case 'advisory.SubscriptionPaymentFailed':
        if (!event.data.renewal) await this.cancelQueuedReturnVisit(m, event.data.engagementId);
        return;
      case 'advisory.SubscriberNotifiedOfRerating': {
        const d = event.data;
        await this.notify(
          m,
          eventId,
          d.investorId,
          d.productId,
          'product_rerated',
          { engagementId: d.engagementId, previous: d.previous, current: d.current },
          d.step.at,
        );
        return;
      }
      case 'advisory.SubscriberRematched': {
        const d = event.data;
        await this.notify(
          m,
          eventId,
          d.investorId,
          d.productId,
          'still_suitable',
          { engagementId: d.engagementId, rating: d.rating },
          d.step.at,
        );
        return;
      }
      case 'advisory.RenewalBlocked': {
        const d = event.data;
        await this.notify(
          m,
          eventId,
          d.investorId,
          d.productId,
          'renewal_blocked',
          { engagementId: d.engagementId, rating: d.rating, reason: d.reason },
          d.step.at,
        );
        return;
      }
      case 'advisory.ContractRescinded':
        await this.cancelQueuedReturnVisit(m, event.data.engagementId);
        return;
      case 'advisory.ReturnVisitQueued': {
        const d = event.data;
        await m.query(
          `INSERT INTO advisory_return_visits (engagement_id, investor_id, product_id, reasons, workable_from, status) VALUES ($1, $2, $3, $4, $5, 'queued')
           ON CONFLICT (engagement_id) DO UPDATE SET reasons = EXCLUDED.reasons, workable_from = EXCLUDED.workable_from, status = 'queued'
             WHERE advisory_return_visits.status = 'cancelled'`,
          [d.engagementId, d.investorId, d.productId, d.reasons, d.workableFrom],
        );
        return;
      }
      case 'advisory.ReturnVisitCompleted': {
        const d = event.data;
        await m.query(
          `UPDATE advisory_return_visits SET status = 'completed', completed_by = $2, outcome = $3, checklist = $4, completed_at = $5 WHERE engagement_id = $1`,
          [d.engagementId, d.step.actorId, d.outcome, JSON.stringify(d.checklist), d.step.at],
        );
        return;
      }
      case 'advisory.AdvicePublished': {
        const d = event.data;
        await m.query(
          `INSERT INTO advisory_advice (advice_id, product_id, advisor_id, advisor_name, sac_code, content, content_hash, basis, published_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (advice_id) DO NOTHING`,
          [
            d.adviceId,
            d.productId,
            d.advisorId,
            d.advisorName,
            d.sacRegistrationCode,
            d.content,
            d.contentHash,
            JSON.stringify(d.basis),
            d.step.at,
          ],
        );
        return;
      }
      default:
        return;
    }
  }

  private async cancelQueuedReturnVisit(m: EntityManager, engagementId: string): Promise<void> {
    await m.query(`UPDATE advisory_return_visits SET status = 'cancelled' WHERE engagement_id = $1 AND status = 'queued'`, [engagementId]);
  }

  private async notify(
    m: EntityManager,
    eventId: string,
    investorId: string,
    productId: string,
    kind: string,
    data: unknown,
    at: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO advisory_notifications (event_id, investor_id, product_id, kind, data, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
      [eventId, investorId, productId, kind, JSON.stringify(data), at],
    );
  }
}
