/**
 * Point-in-time reconstruction of an investor's suitability file (E4): folding the investor's events up to an instant
 * gives the profile and risk category in force, each matching opinion with the rule-set version that produced it, and
 * which documents (by content hash) were required, shown and confirmed. Event types are the advisory context's wire
 * names; events of other types pass through untouched, so the timeline still lists them.
 */
export interface TimelineEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly position: string;
  readonly occurredAt: string;
  readonly actor: string;
  readonly data: Record<string, unknown>;
}

export interface DocumentEvidence {
  readonly kind: string;
  readonly documentId?: string;
  readonly version?: string;
  readonly contentHash: string;
  readonly confirmedAt: string;
  readonly confirmedBy: string;
  readonly eventId: string;
}

export interface EngagementSnapshot {
  readonly engagementId: string;
  readonly productId?: string;
  readonly matchedAt?: string;
  readonly initiatedBy?: unknown;
  readonly opinion?: unknown;
  readonly ruleSetVersion?: string;
  readonly investorAtMatching?: unknown;
  readonly productAtMatching?: unknown;
  readonly requiredDocuments?: unknown;
  readonly confirmedDocuments: readonly DocumentEvidence[];
  readonly contract?: {
    readonly serial: unknown;
    readonly contentHash?: string;
    readonly signedAt: string;
    readonly rescissionDeadline?: unknown;
  };
  /** Each purchase or renewal and the fate of its fee: a subscription is in force only once its payment is captured. */
  readonly subscriptions: readonly {
    readonly subscriptionId: unknown;
    readonly periodStart: unknown;
    readonly periodEnd: unknown;
    readonly ruleSetVersion?: string;
    readonly payment: 'pending' | 'captured' | 'failed';
  }[];
  readonly rescinded?: { readonly at: string; readonly notice: unknown };
  readonly returnVisit?: {
    readonly queuedAt?: string;
    readonly completedAt?: string;
    readonly outcome?: unknown;
    readonly checklist?: unknown;
  };
}

export interface InvestorSnapshot {
  readonly investorId: string;
  readonly asOf: string;
  readonly eventsConsidered: number;
  readonly lastEventId: string | null;
  readonly accountOpenedAt?: string;
  readonly classification?: unknown;
  readonly profile?: unknown;
  readonly personalDataShredded: boolean;
  readonly riskAssessment?: {
    readonly assessmentId: unknown;
    readonly category: unknown;
    readonly lowestCategory?: unknown;
    readonly questionnaireVersion?: unknown;
    readonly questionnaireHash?: unknown;
    readonly assessedAt: string;
    readonly validUntil?: unknown;
    readonly confirmedAt?: string;
    /** Whether the assessment was still valid at `asOf` (not expired, not withdrawn by a material change). */
    readonly inForce: boolean;
  };
  readonly engagements: readonly EngagementSnapshot[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

const documentOf = (event: TimelineEvent): DocumentEvidence | null => {
  const doc = record(event.data.document);
  const contentHash = str(doc.contentHash);
  if (!contentHash) return null;
  return {
    kind: str(doc.kind) ?? event.type,
    documentId: str(doc.documentId),
    version: str(doc.version),
    contentHash,
    confirmedAt: event.occurredAt,
    confirmedBy: event.actor,
    eventId: event.eventId,
  };
};

/** Folds the investor's events (in log order) that occurred at or before `asOf`. */
export const reconstructInvestor = (investorId: string, asOf: string, events: readonly TimelineEvent[]): InvestorSnapshot => {
  const at = Date.parse(asOf);
  if (Number.isNaN(at)) throw new RangeError(`not an instant: ${asOf}`);
  const snapshot: Mutable<Omit<InvestorSnapshot, 'engagements' | 'riskAssessment'>> & {
    riskAssessment?: Mutable<NonNullable<InvestorSnapshot['riskAssessment']>>;
  } = { investorId, asOf, eventsConsidered: 0, lastEventId: null, personalDataShredded: false };
  const engagements = new Map<string, Mutable<EngagementSnapshot>>();
  const engagement = (id: string) => {
    let found = engagements.get(id);
    if (!found) {
      found = { engagementId: id, confirmedDocuments: [], subscriptions: [] };
      engagements.set(id, found);
    }
    return found;
  };

  for (const event of events) {
    if (Date.parse(event.occurredAt) > at) continue;
    snapshot.eventsConsidered += 1;
    snapshot.lastEventId = event.eventId;
    const d = event.data;
    const engagementId = str(d.engagementId);
    switch (event.type) {
      case 'advisory.AccountOpened':
        snapshot.accountOpenedAt = event.occurredAt;
        snapshot.classification = d.classification;
        snapshot.profile = d.profile;
        break;
      case 'advisory.ProfessionalStatusApproved':
        snapshot.classification = 'professional';
        break;
      case 'advisory.MaterialChangeReported':
        snapshot.profile = d.profile;
        if (snapshot.riskAssessment && d.withdrawnAssessmentId === snapshot.riskAssessment.assessmentId)
          snapshot.riskAssessment.inForce = false;
        break;
      case 'advisory.PersonalDataShredded':
        snapshot.personalDataShredded = true;
        break;
      case 'advisory.RiskAssessed':
        snapshot.riskAssessment = {
          assessmentId: d.assessmentId,
          category: d.category,
          lowestCategory: d.lowestCategory,
          questionnaireVersion: d.questionnaireVersion,
          questionnaireHash: d.questionnaireHash,
          assessedAt: event.occurredAt,
          validUntil: d.validUntil,
          inForce: true,
        };
        break;
      case 'advisory.RiskAssessmentConfirmed':
        if (snapshot.riskAssessment && snapshot.riskAssessment.assessmentId === d.assessmentId)
          snapshot.riskAssessment.confirmedAt = event.occurredAt;
        break;
      case 'advisory.SuitabilityMatched':
      case 'advisory.SubscriberRematched':
        if (engagementId) {
          const e = engagement(engagementId);
          e.productId = str(d.productId) ?? e.productId;
          e.matchedAt = event.occurredAt;
          e.opinion = d.opinion;
          e.ruleSetVersion = str(record(d.opinion).ruleSetVersion);
          if (d.initiatedBy !== undefined) e.initiatedBy = d.initiatedBy;
          if (d.investor !== undefined) e.investorAtMatching = d.investor;
          e.productAtMatching = d.product ?? d.rating ?? e.productAtMatching;
          if (d.requiredDocuments !== undefined) e.requiredDocuments = d.requiredDocuments;
        }
        break;
      case 'advisory.RiskDisclosureConfirmed':
      case 'advisory.SpecialRiskWarningSigned':
        if (engagementId) {
          const doc = documentOf(event);
          if (doc) engagement(engagementId).confirmedDocuments.push(doc);
        }
        break;
      case 'advisory.ContractSigned':
        if (engagementId) {
          const e = engagement(engagementId);
          const doc = documentOf(event);
          if (doc) e.confirmedDocuments.push(doc);
          e.contract = {
            serial: d.serial,
            contentHash: doc?.contentHash,
            signedAt: event.occurredAt,
            rescissionDeadline: d.rescissionDeadline,
          };
        }
        break;
      case 'advisory.SubscriptionPurchased':
      case 'advisory.SubscriptionRenewed':
        if (engagementId) {
          const e = engagement(engagementId);
          if (str(d.productId)) e.productId = str(d.productId);
          e.subscriptions.push({
            subscriptionId: d.subscriptionId,
            periodStart: d.periodStart,
            periodEnd: d.periodEnd,
            ruleSetVersion: str(record(d.suitability).ruleSetVersion),
            payment: 'pending',
          });
        }
        break;
      case 'advisory.SubscriptionPaymentCaptured':
      case 'advisory.SubscriptionPaymentFailed':
        if (engagementId) {
          const e = engagement(engagementId);
          // The latest purchase or renewal of that subscription still waiting for its fee is the one settled.
          const entry = [...e.subscriptions]
            .reverse()
            .find((candidate) => candidate.subscriptionId === d.subscriptionId && candidate.payment === 'pending');
          if (entry) (entry as { payment: string }).payment = event.type === 'advisory.SubscriptionPaymentCaptured' ? 'captured' : 'failed';
        }
        break;
      case 'advisory.ContractRescinded':
        if (engagementId) engagement(engagementId).rescinded = { at: event.occurredAt, notice: d.notice };
        break;
      case 'advisory.ReturnVisitQueued':
        if (engagementId) engagement(engagementId).returnVisit = { ...engagement(engagementId).returnVisit, queuedAt: event.occurredAt };
        break;
      case 'advisory.ReturnVisitCompleted':
        if (engagementId) {
          engagement(engagementId).returnVisit = {
            ...engagement(engagementId).returnVisit,
            completedAt: event.occurredAt,
            outcome: d.outcome,
            checklist: d.checklist,
          };
        }
        break;
      default:
        break;
    }
  }
  const assessment = snapshot.riskAssessment;
  if (assessment && typeof assessment.validUntil === 'string' && Date.parse(assessment.validUntil) < at) assessment.inForce = false;
  return { ...snapshot, engagements: [...engagements.values()] };
};
