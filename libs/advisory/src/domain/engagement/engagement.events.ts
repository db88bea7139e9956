/**
 * Events of one investor's engagement with one advisory product (`advisory.engagement-<engagementId>`): the matching
 * opinion, the documents confirmed by hash, the contract, the purchase and renewals, re-rating effects, rescission and
 * the return visit. Together they are the evidence file for that sale (E4).
 */
import type { DomainEvent, Money } from '@app/common';
import type { Attribution } from '../attribution/attribution';
import type { Advisor, DocumentRef, FeeBasis } from '../documents';
import type { Classification, Horizon, RiskCategory, RiskLevel, Step } from '../shared';
import type { FiredRule, Initiator, Outstanding, SuitabilityDecision } from '../suitability/rule-set';

export interface MatchingOpinion {
  readonly ruleSetVersion: string;
  readonly decision: SuitabilityDecision;
  readonly fired: readonly FiredRule[];
  readonly levelFit: 'within' | 'above';
  readonly objectiveFit: boolean;
  readonly outstanding: readonly Outstanding[];
}

export interface MatchedInvestor {
  readonly classification: Classification;
  readonly assessmentId: string;
  readonly category: RiskCategory;
  readonly lowestCategory: boolean;
  readonly assessmentValidUntil: string;
}

export interface ProductRating {
  readonly riskLevel: RiskLevel;
  readonly ratingVersion: number;
}

export const RETURN_VISIT_CHECKLIST = [
  'identity',
  'understood_contract_and_risks',
  'suitability',
  'fees',
  'loss_awareness',
  'rescission_rights',
  'dispute_route',
] as const;
export type ReturnVisitItem = (typeof RETURN_VISIT_CHECKLIST)[number];
export type ReturnVisitChecklist = Readonly<Record<ReturnVisitItem, boolean>>;
export type ReturnVisitReason = 'above_level' | 'r4_or_above';

export const EngagementEventType = {
  SuitabilityMatched: 'advisory.SuitabilityMatched',
  RiskDisclosureConfirmed: 'advisory.RiskDisclosureConfirmed',
  SpecialRiskWarningSigned: 'advisory.SpecialRiskWarningSigned',
  InsistenceRecorded: 'advisory.InsistenceRecorded',
  ContractSigned: 'advisory.ContractSigned',
  SubscriptionPurchased: 'advisory.SubscriptionPurchased',
  SubscriptionRenewed: 'advisory.SubscriptionRenewed',
  SubscriptionPaymentCaptured: 'advisory.SubscriptionPaymentCaptured',
  SubscriptionPaymentFailed: 'advisory.SubscriptionPaymentFailed',
  SubscriberNotifiedOfRerating: 'advisory.SubscriberNotifiedOfRerating',
  SubscriberRematched: 'advisory.SubscriberRematched',
  RenewalBlocked: 'advisory.RenewalBlocked',
  ContractRescinded: 'advisory.ContractRescinded',
  ReturnVisitQueued: 'advisory.ReturnVisitQueued',
  ReturnVisitCompleted: 'advisory.ReturnVisitCompleted',
} as const;

type E<T extends string, D> = DomainEvent<T, D & { readonly engagementId: string; readonly step: Step }>;

export type SuitabilityMatched = E<
  typeof EngagementEventType.SuitabilityMatched,
  {
    readonly investorId: string;
    readonly productId: string;
    readonly planId: string;
    /** As established from the recorded contacts (A5); `initiation` says why. Absent on older opinions, which took the client's word. */
    readonly initiatedBy: Initiator;
    readonly initiation?: Attribution;
    readonly recommendationId: string | null;
    readonly opinion: MatchingOpinion;
    readonly investor: MatchedInvestor;
    readonly product: ProductRating & { readonly horizon: Horizon; readonly varieties: readonly string[] };
    /** The documents this opinion obliges the investor to see, by hash. */
    readonly requiredDocuments: { readonly riskDisclosure: DocumentRef; readonly specialRiskWarning: DocumentRef | null };
  }
>;

export type RiskDisclosureConfirmed = E<typeof EngagementEventType.RiskDisclosureConfirmed, { readonly document: DocumentRef }>;

export type SpecialRiskWarningSigned = E<
  typeof EngagementEventType.SpecialRiskWarningSigned,
  { readonly document: DocumentRef; readonly productId: string; readonly riskLevel: RiskLevel; readonly ratingVersion: number }
>;

export type InsistenceRecorded = E<
  typeof EngagementEventType.InsistenceRecorded,
  { readonly statement: string; readonly ratingVersion: number }
>;

export type ContractSigned = E<
  typeof EngagementEventType.ContractSigned,
  {
    readonly serial: string;
    readonly document: DocumentRef;
    readonly advisors: readonly Advisor[];
    readonly feeBasis: FeeBasis;
    readonly rescissionDeadline: string;
  }
>;

export type SubscriptionPurchased = E<
  typeof EngagementEventType.SubscriptionPurchased,
  {
    readonly subscriptionId: string;
    readonly investorId: string;
    readonly productId: string;
    readonly paymentIntentId: string;
    readonly price: Money;
    readonly periodStart: string;
    readonly periodEnd: string;
    readonly contractSerial: string;
    readonly suitability: { readonly ruleSetVersion: string; readonly decision: SuitabilityDecision; readonly fired: readonly FiredRule[] };
    /** Who initiated it, as the server established it at the purchase, and the contact that decided (A5). */
    readonly initiation?: Attribution;
  }
>;

export type SubscriptionRenewed = E<
  typeof EngagementEventType.SubscriptionRenewed,
  {
    readonly subscriptionId: string;
    readonly paymentIntentId: string;
    readonly price: Money;
    readonly periodStart: string;
    readonly periodEnd: string;
    readonly suitability: { readonly ruleSetVersion: string; readonly decision: SuitabilityDecision; readonly fired: readonly FiredRule[] };
    readonly initiation?: Attribution;
  }
>;

/** The payments context captured the fee of a purchase or renewal: a purchased subscription becomes active. */
export type SubscriptionPaymentCaptured = E<
  typeof EngagementEventType.SubscriptionPaymentCaptured,
  {
    readonly subscriptionId: string;
    readonly paymentIntentId: string;
    readonly amount: Money;
    /** Everything captured under this subscription so far, this payment included. */
    readonly paidMinor: number;
  }
>;

/**
 * The fee of a purchase or renewal could not be collected. A purchase stays inactive (`payment_failed`, bought again
 * with a new payment); a renewal gives back the period it would have paid for.
 */
export type SubscriptionPaymentFailed = E<
  typeof EngagementEventType.SubscriptionPaymentFailed,
  {
    readonly subscriptionId: string;
    readonly paymentIntentId: string;
    readonly reason: string;
    readonly renewal: boolean;
    /** The end of the paid period once this payment is taken out; null when nothing was ever paid. */
    readonly periodEnd: string | null;
  }
>;

export type SubscriberNotifiedOfRerating = E<
  typeof EngagementEventType.SubscriberNotifiedOfRerating,
  { readonly investorId: string; readonly productId: string; readonly previous: ProductRating; readonly current: ProductRating }
>;

export type SubscriberRematched = E<
  typeof EngagementEventType.SubscriberRematched,
  { readonly investorId: string; readonly productId: string; readonly rating: ProductRating; readonly opinion: MatchingOpinion }
>;

export type RenewalBlocked = E<
  typeof EngagementEventType.RenewalBlocked,
  {
    readonly investorId: string;
    readonly productId: string;
    readonly rating: ProductRating;
    readonly opinion: MatchingOpinion | null;
    readonly reason: string;
  }
>;

export type ContractRescinded = E<
  typeof EngagementEventType.ContractRescinded,
  {
    readonly serial: string;
    readonly notice: string;
    /** Full refund of every captured payment under the contract, one refund per payment; null when nothing was captured. */
    readonly refund: {
      readonly amount: Money;
      readonly refunds: readonly { readonly refundId: string; readonly paymentIntentId: string; readonly amount: Money }[];
    } | null;
  }
>;

export type ReturnVisitQueued = E<
  typeof EngagementEventType.ReturnVisitQueued,
  { readonly investorId: string; readonly productId: string; readonly reasons: readonly ReturnVisitReason[]; readonly workableFrom: string }
>;

export type ReturnVisitCompleted = E<
  typeof EngagementEventType.ReturnVisitCompleted,
  { readonly checklist: ReturnVisitChecklist; readonly outcome: 'confirmed' | 'follow_up_required'; readonly notes: string }
>;

export type EngagementEvent =
  | SuitabilityMatched
  | RiskDisclosureConfirmed
  | SpecialRiskWarningSigned
  | InsistenceRecorded
  | ContractSigned
  | SubscriptionPurchased
  | SubscriptionRenewed
  | SubscriptionPaymentCaptured
  | SubscriptionPaymentFailed
  | SubscriberNotifiedOfRerating
  | SubscriberRematched
  | RenewalBlocked
  | ContractRescinded
  | ReturnVisitQueued
  | ReturnVisitCompleted;
