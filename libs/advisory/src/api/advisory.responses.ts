import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;
const INITIATORS = ['investor', 'recommendation', 'push', 'advisor_contact', 'campaign'];
const DECISIONS = ['match', 'mismatch_allowed_with_warning', 'refused'];
const OUTSTANDING = ['special_risk_warning', 'insistence'];
const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'];

export class AccountOpenedResponse {
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ example: '1101**********1234' }) nationalIdMasked: string;
  @ApiProperty({ example: '138****5678' }) mobileMasked: string;
  @ApiProperty({ example: '李*' }) legalNameMasked: string;
}

export class ValidityPolicyResponse {
  @ApiProperty({ description: 'the firm policy version' }) version: string;
  @ApiProperty({ description: 'months an assessment stays valid' }) months: number;
}

export class AccountAssessmentResponse {
  @ApiProperty() assessmentId: string;
  @ApiProperty({ example: 'C3' }) category: string;
  @ApiProperty() lowestCategory: boolean;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
  @ApiProperty({ type: ValidityPolicyResponse }) validityPolicy: ValidityPolicyResponse;
  @ApiProperty() confirmed: boolean;
  @ApiProperty() withdrawn: boolean;
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ type: String, nullable: true }) nationalIdMasked: string | null;
  @ApiProperty({ type: String, nullable: true }) mobileMasked: string | null;
  @ApiProperty({ type: String, nullable: true }) legalNameMasked: string | null;
  @ApiProperty({ ...ANY_OBJECT, nullable: true, description: 'the suitability profile (objectives, experience, assets band …)' })
  profile: Record<string, unknown> | null;
  @ApiProperty({ enum: ['ordinary', 'professional'] }) classification: string;
  @ApiProperty({ type: String, nullable: true, description: 'a professional-investor application awaiting review' })
  pendingProfessionalApplication: string | null;
  @ApiProperty({ type: AccountAssessmentResponse, nullable: true }) assessment: AccountAssessmentResponse | null;
  @ApiProperty() personalDataShredded: boolean;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
}

export class ApplicationResponse {
  @ApiProperty() applicationId: string;
}

export class MaterialChangeResponse {
  @ApiProperty({ type: String, nullable: true, description: 'the assessment the change withdrew' }) withdrawnAssessmentId: string | null;
  @ApiProperty({ description: 'always true: a new assessment is needed before buying' }) reassessmentRequired: boolean;
}

export class QuestionnaireResponse {
  @ApiProperty() version: string;
  @ApiProperty({ ...ANY_OBJECT, description: 'localized: { zh, en }' }) title: Record<string, string>;
  @ApiProperty({
    type: 'array',
    items: ANY_OBJECT,
    description: 'each { id, topic, text, options: [{ id, text, score, lowestCategory? }] }',
  })
  questions: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: ANY_OBJECT, description: 'score bands: { category, minScore, maxScore }' }) bands: Record<
    string,
    unknown
  >[];
  @ApiProperty({ description: 'hash of the questionnaire as shown (recorded with each assessment)' }) hash: string;
}

export class AssessmentResultResponse {
  @ApiProperty() assessmentId: string;
  @ApiProperty() questionnaireVersion: string;
  @ApiProperty() score: number;
  @ApiProperty({ example: 'C3' }) category: string;
  @ApiProperty() lowestCategory: boolean;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
  @ApiProperty({ type: ValidityPolicyResponse }) validityPolicy: ValidityPolicyResponse;
  @ApiProperty({ description: 'false until the investor confirms it' }) confirmed: boolean;
}

export class AssessmentConfirmedResponse {
  @ApiProperty() assessmentId: string;
  @ApiProperty() category: string;
  @ApiProperty() lowestCategory: boolean;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
  @ApiProperty() confirmed: boolean;
}

export class AssessmentResponse {
  @ApiProperty() assessmentId: string;
  @ApiProperty() questionnaireVersion: string;
  @ApiProperty() questionnaireHash: string;
  @ApiProperty() score: number;
  @ApiProperty() category: string;
  @ApiProperty() lowestCategory: boolean;
  @ApiProperty({ format: 'date-time' }) assessedAt: string;
  @ApiProperty({ format: 'date-time', description: 'by the current validity policy' }) validUntil: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'what the assessment event recorded' })
  recordedValidUntil: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) confirmedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) withdrawnAt: string | null;
}

export class PlanTermsResponse {
  @ApiProperty() planId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'minor units' }) priceMinor: number;
  @ApiProperty() currency: string;
  @ApiProperty() billingPeriod: string;
  @ApiPropertyOptional() trialDays?: number;
}

export class AdvisorSummary {
  @ApiProperty() advisorId: string;
  @ApiProperty() name: string;
  @ApiProperty() sacRegistrationCode: string;
}

export class AdvisoryProductResponse {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty() kind: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [PlanTermsResponse] }) plans: PlanTermsResponse[];
  @ApiProperty({ enum: RISK_LEVELS }) riskLevel: string;
  @ApiProperty({ enum: ['short', 'medium', 'long'] }) horizon: string;
  @ApiProperty({ type: [AdvisorSummary] }) advisors: AdvisorSummary[];
}

export class AdvisoryProductList {
  @ApiProperty({ type: [AdvisoryProductResponse] }) items: AdvisoryProductResponse[];
  @ApiProperty({ description: 'false: no assessment in force, so nothing is offered (A3)' }) assessmentInForce: boolean;
  @ApiProperty({ enum: ['ordinary', 'professional'] }) classification: string;
}

export class FiredRuleResponse {
  @ApiProperty({ example: 'A5', description: 'the rulebook rule' }) rule: string;
  @ApiProperty({ example: 'SUITABILITY.ABOVE_LEVEL' }) code: string;
  @ApiProperty({ description: 'the regulation article behind it' }) ref: string;
  @ApiProperty({ description: 'true: it refuses the purchase' }) blocking: boolean;
}

export class SuitabilityPreviewResponse {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ enum: DECISIONS }) decision: string;
  @ApiPropertyOptional({ description: 'without an account or an assessment in force: why nothing is matched' }) reason?: string;
  @ApiPropertyOptional({ description: 'with `reason`: the rule (A1 or A3)' }) rule?: string;
  @ApiPropertyOptional({ enum: RISK_LEVELS }) riskLevel?: string;
  @ApiPropertyOptional({ ...ANY_OBJECT, description: 'who initiated, as attributed from recorded contacts (A5)' }) initiation?: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional() ruleSetVersion?: string;
  @ApiPropertyOptional({ type: [FiredRuleResponse] }) fired?: FiredRuleResponse[];
  @ApiPropertyOptional({ enum: ['within', 'above'] }) levelFit?: string;
  @ApiPropertyOptional() objectiveFit?: boolean;
  @ApiPropertyOptional() accessMet?: boolean;
  @ApiPropertyOptional({ enum: OUTSTANDING, isArray: true }) outstanding?: string[];
}

export class OpinionResponse {
  @ApiProperty() ruleSetVersion: string;
  @ApiProperty({ enum: DECISIONS }) decision: string;
  @ApiProperty({ type: [FiredRuleResponse] }) fired: FiredRuleResponse[];
  @ApiProperty({ enum: ['within', 'above'] }) levelFit: string;
  @ApiProperty() objectiveFit: boolean;
  @ApiProperty({ enum: OUTSTANDING, isArray: true, description: 'what the investor must still sign before a contract' })
  outstanding: string[];
}

export class StepResponse {
  @ApiProperty({ enum: ['suitability_matching', 'risk_disclosure', 'special_risk_warning', 'insistence', 'contract'] }) kind: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() actorId: string;
  @ApiProperty() channel: string;
  @ApiProperty({ type: String, nullable: true, description: 'hash of the document confirmed or signed' }) documentHash: string | null;
  @ApiProperty({ type: Number, nullable: true }) ratingVersion: number | null;
}

export class DocumentRefResponse {
  @ApiProperty() documentId: string;
  @ApiProperty({ example: 'risk_disclosure' }) kind: string;
  @ApiProperty() version: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the exact text' }) contentHash: string;
}

export class RequiredDocumentsResponse {
  @ApiProperty({ type: DocumentRefResponse }) riskDisclosure: DocumentRefResponse;
  @ApiProperty({ type: DocumentRefResponse, nullable: true }) specialRiskWarning: DocumentRefResponse | null;
}

export class RatingResponse {
  @ApiProperty({ enum: RISK_LEVELS }) riskLevel: string;
  @ApiProperty() ratingVersion: number;
}

export class MoneyResponse {
  @ApiProperty({ description: 'integer minor units' }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
}

export class ContractResponse {
  @ApiProperty({ example: 'ADV-2026-000001' }) serial: string;
  @ApiProperty({ type: [AdvisorSummary] }) advisors: AdvisorSummary[];
  @ApiProperty({ ...ANY_OBJECT, description: 'the fee and how it is computed' }) feeBasis: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) rescissionDeadline: string;
}

export class SubscriptionPaymentResponse {
  @ApiProperty() paymentIntentId: string;
  @ApiProperty({ type: MoneyResponse }) price: MoneyResponse;
  @ApiProperty({ enum: ['requested', 'captured', 'failed'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) periodEndBefore: string | null;
}

export class EngagementSubscriptionResponse {
  @ApiProperty() subscriptionId: string;
  @ApiProperty({ format: 'date-time' }) periodEnd: string;
  @ApiProperty({ type: [SubscriptionPaymentResponse] }) payments: SubscriptionPaymentResponse[];
}

export class ReturnVisitResponse {
  @ApiProperty({ enum: ['queued', 'completed'] }) status: string;
  @ApiProperty({ format: 'date-time' }) workableFrom: string;
}

/** An engagement (one investor, one advisory product) and every step taken on it. */
export class EngagementResponse {
  @ApiProperty() engagementId: string;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty() planId: string;
  @ApiProperty({ enum: ['matched', 'contracted', 'payment_pending', 'payment_failed', 'active', 'rescinded'] }) status: string;
  @ApiProperty({ enum: INITIATORS }) initiatedBy: string;
  @ApiProperty({ type: OpinionResponse }) opinion: OpinionResponse;
  @ApiProperty({ type: [StepResponse] }) steps: StepResponse[];
  @ApiProperty({ type: RequiredDocumentsResponse }) requiredDocuments: RequiredDocumentsResponse;
  @ApiProperty({ type: RatingResponse }) rating: RatingResponse;
  @ApiProperty() disclosureConfirmed: boolean;
  @ApiProperty({ type: ContractResponse, nullable: true }) contract: ContractResponse | null;
  @ApiProperty({ type: EngagementSubscriptionResponse, nullable: true }) subscription: EngagementSubscriptionResponse | null;
  @ApiProperty({ description: 'a re-rating blocks renewal until matched again (L4)' }) renewalBlocked: boolean;
  @ApiProperty({ type: ReturnVisitResponse, nullable: true }) returnVisit: ReturnVisitResponse | null;
}

export class PurchaseResponse extends EngagementResponse {
  @ApiProperty({ description: 'the payment requested for this purchase or renewal' }) paymentIntentId: string;
}

export class RescissionResponse extends EngagementResponse {
  @ApiProperty({ ...ANY_OBJECT, nullable: true, description: 'the refund of every captured payment (completes asynchronously)' })
  refund: Record<string, unknown> | null;
}

export class EngagementSummaryResponse {
  @ApiProperty() engagementId: string;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty() planId: string;
  @ApiProperty() status: string;
  @ApiProperty({ enum: DECISIONS }) decision: string;
  @ApiProperty() ruleSetVersion: string;
  @ApiProperty({ enum: RISK_LEVELS }) riskLevel: string;
  @ApiProperty({ type: String, nullable: true }) contractSerial: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) rescissionDeadline: string | null;
  @ApiProperty({ type: String, nullable: true }) subscriptionId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) periodEnd: string | null;
  @ApiProperty({ type: Number, nullable: true }) paidMinor: number | null;
  @ApiProperty({ type: String, nullable: true }) currency: string | null;
  @ApiProperty() renewalBlocked: boolean;
}

export class ContractPreviewResponse {
  @ApiProperty({ description: 'the serial the register gives next (not reserved)' }) serial: string;
  @ApiProperty({ description: 'always false: signing records the next serial at the time' }) serialReserved: boolean;
  @ApiProperty({ description: 'the contract text exactly as it will be signed' }) text: string;
  @ApiProperty({ description: 'SHA-256 (hex) of `text`; sign with it' }) contentHash: string;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ example: 'product_rerated' }) kind: string;
  @ApiProperty(ANY_OBJECT) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AdviceResponse {
  @ApiProperty() adviceId: string;
  @ApiProperty() advisorId: string;
  @ApiProperty() advisorName: string;
  @ApiProperty() sacRegistrationCode: string;
  @ApiProperty() content: string;
  @ApiProperty() contentHash: string;
  @ApiProperty({ ...ANY_OBJECT, description: 'model version, or research report issuer and date (A9)' }) basis: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
}

export class AdvicePublishedResponse {
  @ApiProperty() adviceId: string;
  @ApiProperty() contentHash: string;
}

export class StepOfResponse {
  @ApiProperty() actorId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() channel: string;
}

export class ContactRecordedResponse {
  @ApiProperty() contactId: string;
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty() source: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ type: StepOfResponse }) step: StepOfResponse;
}

export class ClassificationResponse {
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ enum: ['ordinary', 'professional'] }) classification: string;
}

export class ProfessionalEvidenceDocumentResponse {
  @ApiProperty({ example: 'brokerage_statement' }) kind: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the document the investor submitted' }) contentHash: string;
}

export class ProfessionalEvidenceResponse {
  @ApiPropertyOptional({ description: 'financial assets in fen' }) financialAssetsMinor?: number;
  @ApiPropertyOptional({ description: 'average annual income over 3 years in fen' }) averageAnnualIncome3yMinor?: number;
  @ApiProperty() experienceYears: number;
  @ApiProperty({ type: [ProfessionalEvidenceDocumentResponse] }) documents: ProfessionalEvidenceDocumentResponse[];
}

export class ProfessionalApplicationItem {
  @ApiProperty() applicationId: string;
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ type: String, nullable: true, description: "the investor's legal name, masked" }) legalNameMasked: string | null;
  @ApiProperty({ enum: ['ordinary', 'professional'] }) classification: string;
  @ApiProperty({ type: String, nullable: true, description: 'risk category of the assessment in force (C1–C5)' }) category: string | null;
  @ApiProperty({ type: ProfessionalEvidenceResponse, description: 'what the investor submitted (A2)' })
  evidence: ProfessionalEvidenceResponse;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status: string;
  @ApiProperty({ format: 'date-time' }) appliedAt: string;
  @ApiProperty({ description: 'maker: who applied (the investor)' }) appliedBy: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reviewedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'checker: the compliance officer who decided (never the applicant, A2)' })
  reviewedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the reason given with a rejection' }) reviewReason: string | null;
}

export class ReturnVisitQueueItem {
  @ApiProperty() engagementId: string;
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ type: [String], description: 'why a return visit is due' }) reasons: string[];
  @ApiProperty({ format: 'date-time', description: 'after the cooling-off period (A8)' }) workableFrom: string;
  @ApiProperty({ enum: ['queued', 'completed'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) completedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty({ ...ANY_OBJECT, nullable: true }) checklist: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
}

export class ShreddedResponse {
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty() shredded: boolean;
}

export class DocumentVersionResponse {
  @ApiProperty() documentId: string;
  @ApiProperty({ example: 'risk_disclosure' }) kind: string;
  @ApiProperty() version: string;
  @ApiProperty({ description: 'new confirmations are made against current versions' }) current: boolean;
  @ApiProperty({ description: 'SHA-256 (hex) of `text`' }) contentHash: string;
  @ApiProperty({ description: 'where the text alone is served' }) url: string;
  @ApiProperty() text: string;
}
