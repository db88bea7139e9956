/** Read side: the advisory read models, and the suitability preview used by product pages and the listing filter. */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandContext, isHorizon, isRiskLevel, notFound } from '@app/common';
import { ListingView } from '@app/catalog';
import { addMonths, attributeInitiation, checkSuitability, Initiator, filterListable, suitabilityInvestor } from '../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../advisory-settings';

/** What a message about an advisory product may rest on (G3): the investor's standing and the opinion a contact would get. */
export interface MessageOpinion {
  readonly investorId: string;
  readonly productId: string;
  readonly published: boolean;
  readonly riskLevel: string;
  readonly accountOpen: boolean;
  readonly assessmentInForce: boolean;
  readonly lowestCategory: boolean;
  readonly classification: string;
  readonly levelFit: 'within' | 'above' | null;
  readonly objectiveFit: boolean | null;
  readonly decision: 'match' | 'mismatch_allowed_with_warning' | 'refused';
  readonly ruleSetVersion: string | null;
}
import { assetClassOf } from '../catalog-product';
import { AdvisoryReaders } from '../readers';

@Injectable()
export class AdvisoryQueries {
  constructor(
    private readonly db: DataSource,
    private readonly readers: AdvisoryReaders,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  /** Validity as the gate applies it: the assessment time plus the months of the policy in force (A3). */
  private validUntil(assessedAt: Date | string): string {
    return addMonths(new Date(assessedAt).toISOString(), this.settings.assessmentValidity.months);
  }

  async account(investorId: string) {
    const [row] = await this.db.query(
      `SELECT i.investor_id, i.national_id_masked, i.mobile_masked, i.legal_name_masked, i.profile, i.classification, i.pending_application_id, i.assessment_id,
              i.category, i.lowest_category, a.assessed_at, i.assessment_confirmed, i.assessment_withdrawn, i.pii_shredded, i.opened_at
         FROM advisory_investors i LEFT JOIN advisory_assessments a ON a.assessment_id = i.assessment_id WHERE i.investor_id = $1`,
      [investorId],
    );
    if (!row) throw notFound('ACCOUNT.NOT_FOUND', 'no advisory account');
    return {
      investorId: row.investor_id,
      nationalIdMasked: row.national_id_masked,
      mobileMasked: row.mobile_masked,
      legalNameMasked: row.legal_name_masked,
      profile: row.profile,
      classification: row.classification,
      pendingProfessionalApplication: row.pending_application_id,
      assessment: row.assessment_id
        ? {
            assessmentId: row.assessment_id,
            category: row.category,
            lowestCategory: row.lowest_category,
            validUntil: this.validUntil(row.assessed_at),
            validityPolicy: this.settings.assessmentValidity,
            confirmed: row.assessment_confirmed,
            withdrawn: row.assessment_withdrawn,
          }
        : null,
      personalDataShredded: row.pii_shredded,
      openedAt: new Date(row.opened_at).toISOString(),
    };
  }

  async assessments(investorId: string) {
    const rows = await this.db.query(
      `SELECT assessment_id, questionnaire_version, questionnaire_hash, score, category, lowest_category, assessed_at, valid_until, confirmed_at, withdrawn_at
         FROM advisory_assessments WHERE investor_id = $1 ORDER BY assessed_at`,
      [investorId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      assessmentId: r.assessment_id,
      questionnaireVersion: r.questionnaire_version,
      questionnaireHash: r.questionnaire_hash,
      score: r.score,
      category: r.category,
      lowestCategory: r.lowest_category,
      assessedAt: r.assessed_at,
      validUntil: this.validUntil(r.assessed_at as Date),
      /** What the assessment event recorded; older events may record a longer validity than the policy allows. */
      recordedValidUntil: r.valid_until,
      confirmedAt: r.confirmed_at,
      withdrawnAt: r.withdrawn_at,
    }));
  }

  async engagements(investorId: string) {
    return this.db.query(
      `SELECT engagement_id AS "engagementId", product_id AS "productId", plan_id AS "planId", status, decision, rule_set_version AS "ruleSetVersion",
              risk_level AS "riskLevel", contract_serial AS "contractSerial", rescission_deadline AS "rescissionDeadline", subscription_id AS "subscriptionId",
              period_end AS "periodEnd", paid_minor::int AS "paidMinor", currency, renewal_blocked AS "renewalBlocked"
         FROM advisory_engagements WHERE investor_id = $1 ORDER BY updated_at DESC`,
      [investorId],
    );
  }

  async notifications(investorId: string) {
    return this.db.query(
      `SELECT event_id AS "eventId", product_id AS "productId", kind, data, created_at AS "createdAt" FROM advisory_notifications WHERE investor_id = $1 ORDER BY created_at, event_id`,
      [investorId],
    );
  }

  /**
   * Professional-investor applications (A2) for compliance review, oldest first: the evidence submitted, the applicant
   * (maker) and, once reviewed, the reviewer (checker), with the investor's masked name and current classification.
   */
  async professionalApplications(status: string) {
    return this.db.query(
      `SELECT a.application_id AS "applicationId", a.investor_id AS "investorId", i.legal_name_masked AS "legalNameMasked",
              COALESCE(i.classification, 'ordinary') AS classification, i.category, a.evidence, a.status, a.applied_at AS "appliedAt",
              a.applied_by AS "appliedBy", a.reviewed_at AS "reviewedAt", a.reviewed_by AS "reviewedBy", a.review_reason AS "reviewReason"
         FROM advisory_professional_applications a LEFT JOIN advisory_investors i ON i.investor_id = a.investor_id
        WHERE a.status = $1 ORDER BY a.applied_at, a.application_id LIMIT 200`,
      [status],
    );
  }

  async returnVisits(status: string) {
    return this.db.query(
      `SELECT engagement_id AS "engagementId", investor_id AS "investorId", product_id AS "productId", reasons, workable_from AS "workableFrom", status,
              completed_by AS "completedBy", outcome, checklist, completed_at AS "completedAt"
         FROM advisory_return_visits WHERE status = $1 ORDER BY workable_from LIMIT 200`,
      [status],
    );
  }

  /** Advice is for the product's active subscribers, its advisors and compliance. */
  async advice(productId: string, context: CommandContext) {
    const staff = context.actor.roles.some((r) => r === 'advisor' || r === 'compliance_officer');
    if (!staff) {
      const [active] = await this.db.query(
        `SELECT 1 FROM advisory_engagements WHERE product_id = $1 AND investor_id = $2 AND status = 'active'`,
        [productId, context.actor.id],
      );
      if (!active) throw notFound('ADVICE.NOT_SUBSCRIBED', 'advice is available to active subscribers of this product');
    }
    return this.db.query(
      `SELECT advice_id AS "adviceId", advisor_id AS "advisorId", advisor_name AS "advisorName", sac_code AS "sacRegistrationCode", content, content_hash AS "contentHash",
              basis, published_at AS "publishedAt" FROM advisory_advice WHERE product_id = $1 ORDER BY published_at DESC LIMIT 100`,
      [productId],
    );
  }

  /**
   * SM 22(3)-(4): the advisory products offered to this investor. An ordinary investor sees only products within their
   * risk level and objectives; without an assessment in force nothing is offered.
   */
  async products(investorId: string, now: Date) {
    const { snapshot } = await this.readers.investor(investorId, now);
    const investor = suitabilityInvestor(snapshot);
    const listings = await this.db
      .getRepository(ListingView)
      .find({ where: { status: 'published', family: 'advisory' }, order: { publishedAt: 'DESC' }, take: 500 });
    const candidates = listings.flatMap((listing) => {
      const terms = listing.advisory;
      if (!terms || !isRiskLevel(terms.riskLevel) || !isHorizon(terms.horizon)) return [];
      return [
        { listing, riskLevel: terms.riskLevel, horizon: terms.horizon, varieties: [...new Set((terms.varieties ?? []).map(assetClassOf))] },
      ];
    });
    const items = filterListable(investor, candidates).map(({ listing, riskLevel, horizon }) => ({
      productId: listing.listingId,
      kind: listing.kind,
      title: listing.title,
      description: listing.description,
      plans: listing.plans,
      riskLevel,
      horizon,
      advisors: listing.advisory?.advisors ?? [],
    }));
    return { items, assessmentInForce: investor !== null, classification: snapshot.classification };
  }

  /**
   * G3, SM 22(3): may a message about this advisory product go to this investor now? The matching opinion as it would
   * be given now to a contact the firm initiates (a campaign is never the investor's initiative), from the investor's
   * and the product's streams, so it never rests on a lagging read model.
   */
  async messageOpinion(investorId: string, productId: string, now: Date): Promise<MessageOpinion> {
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(investorId, now), this.readers.product(productId)]);
    const investor = suitabilityInvestor(snapshot);
    const base = { investorId, productId, published: product.published, riskLevel: product.riskLevel, accountOpen: snapshot.accountOpen };
    if (!investor)
      return {
        ...base,
        assessmentInForce: false,
        lowestCategory: false,
        classification: snapshot.classification,
        levelFit: null,
        objectiveFit: null,
        decision: 'refused',
        ruleSetVersion: null,
      };
    const result = checkSuitability(investor, product, {
      initiatedBy: 'campaign',
      specialRiskWarningSigned: false,
      insistenceRecorded: false,
      stage: 'opinion',
    });
    return {
      ...base,
      assessmentInForce: true,
      lowestCategory: investor.lowestCategory,
      classification: investor.classification,
      levelFit: result.levelFit,
      objectiveFit: result.objectiveFit,
      decision: result.decision,
      ruleSetVersion: result.ruleSetVersion,
    };
  }

  /** A4 without recording: what the matching opinion would be right now. */
  async suitabilityPreview(investorId: string, productId: string, planId: string | undefined, initiatedBy: Initiator, now: Date) {
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(investorId, now), this.readers.product(productId, planId)]);
    const investor = suitabilityInvestor(snapshot);
    if (!investor)
      return {
        productId,
        decision: 'refused',
        reason: snapshot.accountOpen
          ? `no risk assessment in force (${snapshot.standing.inForce ? '' : snapshot.standing.reason})`
          : 'no advisory account',
        rule: snapshot.accountOpen ? 'A3' : 'A1',
      };
    const initiation = attributeInitiation(
      snapshot.contacts,
      productId,
      now.toISOString(),
      this.settings.attributionWindowDays,
      initiatedBy,
    );
    const result = checkSuitability(investor, product, {
      initiatedBy: initiation.initiatedBy,
      specialRiskWarningSigned: false,
      insistenceRecorded: false,
      stage: 'opinion',
    });
    return { productId, riskLevel: product.riskLevel, initiation, ...result };
  }
}
