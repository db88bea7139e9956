/**
 * Events of an advisory investor's stream (`advisory.investor-<investorId>`): account opening, classification and risk
 * assessments. No plain personal data: identity fields appear masked, the rest sits in the vault behind `piiRef` (E3).
 */
import type { DomainEvent } from '@app/common';
import type { ContactSource } from '../attribution/attribution';
import type { Answers, LowestCategoryReason } from '../questionnaire';
import type { AssetsBand, IncomeBand, InvestmentObjectives, RiskCategory, Step } from '../shared';

export interface SuitabilityProfile {
  readonly occupation: string;
  readonly incomeBand: IncomeBand;
  readonly assetsBand: AssetsBand;
  readonly experienceYears: number;
  readonly objectives: InvestmentObjectives;
}

export interface EvidenceDocument {
  readonly kind: string; // e.g. 'bank_statement', 'tax_record', 'brokerage_statement'
  readonly contentHash: string;
}

export interface ProfessionalEvidence {
  readonly financialAssetsMinor?: number;
  readonly averageAnnualIncome3yMinor?: number;
  readonly experienceYears: number;
  readonly documents: readonly EvidenceDocument[];
}

export const InvestorEventType = {
  AccountOpened: 'advisory.AccountOpened',
  ProfessionalStatusApplied: 'advisory.ProfessionalStatusApplied',
  ProfessionalStatusApproved: 'advisory.ProfessionalStatusApproved',
  ProfessionalStatusRejected: 'advisory.ProfessionalStatusRejected',
  RiskAssessed: 'advisory.RiskAssessed',
  RiskAssessmentConfirmed: 'advisory.RiskAssessmentConfirmed',
  MaterialChangeReported: 'advisory.MaterialChangeReported',
  PersonalDataShredded: 'advisory.PersonalDataShredded',
  InvestorContacted: 'advisory.InvestorContacted',
} as const;

/** The firm's assessment validity policy (A3): configuration, versioned, never the investor's choice. */
export interface AssessmentValidityPolicy {
  readonly version: string;
  readonly months: number;
}

export type AccountOpened = DomainEvent<
  typeof InvestorEventType.AccountOpened,
  {
    readonly investorId: string;
    readonly piiRef: string;
    readonly nationalIdMasked: string;
    readonly mobileMasked: string;
    readonly legalNameMasked: string;
    readonly profile: SuitabilityProfile;
    /** documentId and version are recorded since PIPL-2025.1 was served; earlier events carry the hash only. */
    readonly sensitiveDataConsent: { readonly consentTextHash: string; readonly documentId?: string; readonly version?: string };
    readonly classification: 'ordinary';
    readonly step: Step;
  }
>;

export type ProfessionalStatusApplied = DomainEvent<
  typeof InvestorEventType.ProfessionalStatusApplied,
  { readonly investorId: string; readonly applicationId: string; readonly evidence: ProfessionalEvidence; readonly step: Step }
>;

export type ProfessionalStatusApproved = DomainEvent<
  typeof InvestorEventType.ProfessionalStatusApproved,
  { readonly investorId: string; readonly applicationId: string; readonly step: Step }
>;

export type ProfessionalStatusRejected = DomainEvent<
  typeof InvestorEventType.ProfessionalStatusRejected,
  { readonly investorId: string; readonly applicationId: string; readonly reason: string; readonly step: Step }
>;

export type RiskAssessed = DomainEvent<
  typeof InvestorEventType.RiskAssessed,
  {
    readonly investorId: string;
    readonly assessmentId: string;
    readonly questionnaireVersion: string;
    readonly questionnaireHash: string;
    readonly answers: Answers;
    readonly score: number;
    readonly category: RiskCategory;
    readonly lowestCategory: boolean;
    readonly lowestCategoryReasons: readonly LowestCategoryReason[];
    readonly validUntil: string;
    /** The policy that set `validUntil`; absent on assessments recorded before validity became the firm's policy. */
    readonly validityPolicy?: AssessmentValidityPolicy;
    readonly step: Step;
  }
>;

export type RiskAssessmentConfirmed = DomainEvent<
  typeof InvestorEventType.RiskAssessmentConfirmed,
  { readonly investorId: string; readonly assessmentId: string; readonly category: RiskCategory; readonly step: Step }
>;

export type MaterialChangeReported = DomainEvent<
  typeof InvestorEventType.MaterialChangeReported,
  {
    readonly investorId: string;
    readonly description: string;
    readonly profile: SuitabilityProfile;
    readonly withdrawnAssessmentId: string | null;
    readonly step: Step;
  }
>;

export type PersonalDataShredded = DomainEvent<
  typeof InvestorEventType.PersonalDataShredded,
  { readonly investorId: string; readonly piiRef: string; readonly reason: string; readonly step: Step }
>;

/** Someone contacted the investor about an advisory product (A5, G4): purchases of it inside the window are not investor-initiated. */
export type InvestorContacted = DomainEvent<
  typeof InvestorEventType.InvestorContacted,
  {
    readonly investorId: string;
    readonly contactId: string;
    readonly productId: string;
    readonly source: ContactSource;
    readonly reference: string | null;
    readonly step: Step;
  }
>;

export type InvestorEvent =
  | AccountOpened
  | ProfessionalStatusApplied
  | ProfessionalStatusApproved
  | ProfessionalStatusRejected
  | RiskAssessed
  | RiskAssessmentConfirmed
  | MaterialChangeReported
  | PersonalDataShredded
  | InvestorContacted;
