/**
 * An engagement's state, one shape per status, and how its events build it. Fields every status shares sit in
 * `EngagementFacts`; the contract, the subscription, a renewal block and the return visit are typed per status
 * (`null` where the status cannot have one yet), so a decision that needs the contract has it by narrowing.
 */
import { DomainError, Money, forbidden, unreachable } from '@app/common';
import { Advisor, DocumentRef, FeeBasis } from '../documents';
import { Step } from '../shared';
import { Initiator } from '../suitability/rule-set';
import { EngagementEvent, EngagementEventType, MatchedInvestor, MatchingOpinion, ProductRating } from './engagement.events';

/** A step of the regulated flow the investor completed, as the evidence file shows it (E4). */
export interface CompletedStep {
  readonly kind: 'suitability_matching' | 'risk_disclosure' | 'special_risk_warning' | 'insistence' | 'contract';
  readonly at: string;
  readonly actorId: string;
  readonly channel: string;
  /** The content hash of the document confirmed or signed; null for steps without one. */
  readonly documentHash: string | null;
  /** The product rating the step was taken against, for the steps a re-rating voids. */
  readonly ratingVersion: number | null;
}

export interface SignedContract {
  readonly serial: string;
  readonly advisors: readonly Advisor[];
  readonly feeBasis: FeeBasis;
  readonly rescissionDeadline: string;
}

export interface SubscriptionPayment {
  readonly paymentIntentId: string;
  readonly price: Money;
  readonly status: 'requested' | 'captured' | 'failed';
  /** For a renewal, the period end before it, which a failed renewal payment restores; null for the purchase. */
  readonly periodEndBefore: string | null;
}

export interface EngagementSubscription {
  readonly subscriptionId: string;
  readonly periodEnd: string;
  readonly payments: readonly SubscriptionPayment[];
}

export interface ReturnVisit {
  readonly status: 'queued' | 'completed';
  readonly workableFrom: string;
}

interface EngagementFacts {
  readonly engagementId: string;
  readonly investorId: string;
  readonly productId: string;
  readonly planId: string;
  readonly initiatedBy: Initiator;
  readonly matching: {
    readonly at: string;
    readonly opinion: MatchingOpinion;
    readonly investor: MatchedInvestor;
    readonly requiredDocuments: { readonly riskDisclosure: DocumentRef; readonly specialRiskWarning: DocumentRef | null };
  };
  /** The latest product rating this engagement has been matched against or notified of. */
  readonly rating: ProductRating;
  readonly disclosure: DocumentRef | null;
  readonly warningRatingVersion: number | null;
  readonly insistenceRatingVersion: number | null;
  /** Every step taken, oldest first (a new matching opinion adds to it; signatures for an older one stay listed). */
  readonly steps: readonly CompletedStep[];
}

/** Nothing bought yet: no subscription, so nothing to renew and no return visit. */
interface BeforeSale {
  readonly subscription: null;
  readonly renewalBlocked: null;
  readonly returnVisit: null;
}

/** Bought at least once under a signed contract. */
interface AfterSale {
  readonly contract: SignedContract;
  readonly subscription: EngagementSubscription;
  /** The rating a re-rating blocked renewal at, until the investor is matched again (L4). */
  readonly renewalBlocked: ProductRating | null;
  readonly returnVisit: ReturnVisit | null;
}

export interface MatchedEngagement extends EngagementFacts, BeforeSale {
  readonly status: 'matched';
  readonly contract: null;
}

export interface ContractedEngagement extends EngagementFacts, BeforeSale {
  readonly status: 'contracted';
  readonly contract: SignedContract;
}

/** From the purchase until its payment settles. */
export interface PaymentPendingEngagement extends EngagementFacts, AfterSale {
  readonly status: 'payment_pending';
}

/** The purchase payment was not collected: bought again with a new payment. */
export interface PaymentFailedEngagement extends EngagementFacts, AfterSale {
  readonly status: 'payment_failed';
}

export interface ActiveEngagement extends EngagementFacts, AfterSale {
  readonly status: 'active';
}

/** Rescinded under a signed contract, before or after a purchase (A8). */
export interface RescindedEngagement extends EngagementFacts, Omit<AfterSale, 'subscription'> {
  readonly status: 'rescinded';
  readonly subscription: EngagementSubscription | null;
}

export type Engagement =
  MatchedEngagement | ContractedEngagement | PaymentPendingEngagement | PaymentFailedEngagement | ActiveEngagement | RescindedEngagement;

export type EngagementState = { readonly status: 'none' } | Engagement;

export const notByInvestor = (state: Engagement, step: Step, code: string, rule: string): DomainError | null =>
  step.actorId === state.investorId ? null : forbidden(code, 'only the investor can do this', rule);

const stepOf = (
  event: EngagementEvent,
  kind: CompletedStep['kind'],
  documentHash: string | null,
  ratingVersion: number | null,
): CompletedStep => ({
  kind,
  at: event.data.step.at,
  actorId: event.data.step.actorId,
  channel: event.data.step.channel,
  documentHash,
  ratingVersion,
});

const withStep = (state: Engagement, step: CompletedStep): readonly CompletedStep[] => [...state.steps, step];

const settled = (
  subscription: EngagementSubscription,
  paymentIntentId: string,
  status: 'captured' | 'failed',
): readonly SubscriptionPayment[] => subscription.payments.map((p) => (p.paymentIntentId === paymentIntentId ? { ...p, status } : p));

/**
 * Each event arrives in the statuses `decide` emits it from. One outside them (no stream holds such an event) leaves
 * the state as it is rather than inventing a contract or subscription it never had.
 */
export const evolve = (state: EngagementState, event: EngagementEvent): EngagementState => {
  if (event.type === EngagementEventType.SuitabilityMatched) {
    const d = event.data;
    const matchingStep = stepOf(event, 'suitability_matching', null, d.product.ratingVersion);
    const matching = { at: d.step.at, opinion: d.opinion, investor: d.investor, requiredDocuments: d.requiredDocuments };
    const rating = { riskLevel: d.product.riskLevel, ratingVersion: d.product.ratingVersion };
    if (state.status === 'none') {
      return {
        status: 'matched',
        engagementId: d.engagementId,
        investorId: d.investorId,
        productId: d.productId,
        planId: d.planId,
        initiatedBy: d.initiatedBy,
        matching,
        rating,
        disclosure: null,
        warningRatingVersion: null,
        insistenceRatingVersion: null,
        contract: null,
        subscription: null,
        renewalBlocked: null,
        returnVisit: null,
        steps: [matchingStep],
      };
    }
    // A new opinion replaces the old one; signatures given for an earlier opinion do not carry over.
    return {
      ...state,
      planId: d.planId,
      initiatedBy: d.initiatedBy,
      matching,
      rating,
      warningRatingVersion: null,
      insistenceRatingVersion: null,
      renewalBlocked: null,
      steps: withStep(state, matchingStep),
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case EngagementEventType.RiskDisclosureConfirmed:
      return {
        ...state,
        disclosure: event.data.document,
        steps: withStep(state, stepOf(event, 'risk_disclosure', event.data.document.contentHash, null)),
      };
    case EngagementEventType.SpecialRiskWarningSigned:
      return {
        ...state,
        warningRatingVersion: event.data.ratingVersion,
        steps: withStep(state, stepOf(event, 'special_risk_warning', event.data.document.contentHash, event.data.ratingVersion)),
      };
    case EngagementEventType.InsistenceRecorded:
      return {
        ...state,
        insistenceRatingVersion: event.data.ratingVersion,
        steps: withStep(state, stepOf(event, 'insistence', null, event.data.ratingVersion)),
      };
    case EngagementEventType.ContractSigned: {
      if (state.status !== 'matched') return state;
      const d = event.data;
      return {
        ...state,
        status: 'contracted',
        contract: { serial: d.serial, advisors: d.advisors, feeBasis: d.feeBasis, rescissionDeadline: d.rescissionDeadline },
        steps: withStep(state, stepOf(event, 'contract', d.document.contentHash, null)),
      };
    }
    case EngagementEventType.SubscriptionPurchased: {
      if (state.status !== 'contracted' && state.status !== 'payment_failed') return state;
      const d = event.data;
      return {
        ...state,
        status: 'payment_pending',
        subscription: {
          subscriptionId: d.subscriptionId,
          periodEnd: d.periodEnd,
          payments: [{ paymentIntentId: d.paymentIntentId, price: d.price, status: 'requested', periodEndBefore: null }],
        },
      };
    }
    case EngagementEventType.SubscriptionRenewed: {
      if (state.subscription === null) return state;
      const sub = state.subscription;
      const payment: SubscriptionPayment = {
        paymentIntentId: event.data.paymentIntentId,
        price: event.data.price,
        status: 'requested',
        periodEndBefore: sub.periodEnd,
      };
      return { ...state, subscription: { ...sub, periodEnd: event.data.periodEnd, payments: [...sub.payments, payment] } };
    }
    case EngagementEventType.SubscriptionPaymentCaptured: {
      if (state.subscription === null) return state;
      const sub = state.subscription;
      const subscription = { ...sub, payments: settled(sub, event.data.paymentIntentId, 'captured') };
      return state.status === 'payment_pending' ? { ...state, status: 'active', subscription } : { ...state, subscription };
    }
    case EngagementEventType.SubscriptionPaymentFailed: {
      if (state.subscription === null) return state;
      const sub = state.subscription;
      const payments = settled(sub, event.data.paymentIntentId, 'failed');
      if (event.data.renewal) return { ...state, subscription: { ...sub, periodEnd: event.data.periodEnd ?? sub.periodEnd, payments } };
      // An unpaid purchase is no sale: the return visit it queued is withdrawn (a new purchase queues its own).
      const returnVisit = state.returnVisit?.status === 'queued' ? null : state.returnVisit;
      const subscription = { ...sub, payments };
      return state.status === 'payment_pending'
        ? { ...state, status: 'payment_failed', subscription, returnVisit }
        : { ...state, subscription, returnVisit };
    }
    case EngagementEventType.SubscriberNotifiedOfRerating:
      return { ...state, rating: event.data.current };
    case EngagementEventType.SubscriberRematched:
      return state;
    case EngagementEventType.RenewalBlocked:
      return state.status === 'matched' || state.status === 'contracted' ? state : { ...state, renewalBlocked: event.data.rating };
    case EngagementEventType.ContractRescinded:
      return state.status === 'matched' ? state : { ...state, status: 'rescinded' };
    case EngagementEventType.ReturnVisitQueued:
      return state.status === 'matched' || state.status === 'contracted'
        ? state
        : { ...state, returnVisit: { status: 'queued', workableFrom: event.data.workableFrom } };
    case EngagementEventType.ReturnVisitCompleted:
      return state.returnVisit === null ? state : { ...state, returnVisit: { ...state.returnVisit, status: 'completed' } };
    default:
      return unreachable(event);
  }
};
