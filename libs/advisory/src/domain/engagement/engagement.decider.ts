/**
 * One investor's engagement with one advisory product, from the matching opinion to the end of the contract: A4–A8
 * and L4. The handler passes in fresh snapshots of the investor and the product; the decider compares them with what
 * was recorded at matching, which is how the purchase gate notices anything that changed in between (A7).
 */
import { Decider, DomainError, Money, conflict, forbidden, invalid, ruleViolation } from '@app/common';
import {
  Advisor,
  DocumentRef,
  FeeBasis,
  RESCISSION_WORKING_DAYS,
  documentRef,
  isSacRegistrationCode,
  engagementContract,
} from '../documents';
import { Attribution, attributeInitiation } from '../attribution/attribution';
import { InvestorSnapshot, suitabilityInvestor } from '../investor/investor.decider';
import { Horizon, RiskLevel, Step, addHours, addMonths, isBefore, rank } from '../shared';
import { AccessRequirements, Initiator, SuitabilityResult, blockingRules, checkSuitability } from '../suitability/rule-set';
import { WorkingDayCalendar, workingDaysDeadline } from '../working-days';
import {
  EngagementEvent,
  EngagementEventType,
  MatchedInvestor,
  MatchingOpinion,
  ProductRating,
  RETURN_VISIT_CHECKLIST,
  ReturnVisitChecklist,
  ReturnVisitReason,
} from './engagement.events';

export const RETURN_VISIT_COOLING_OFF_HOURS = 24;
export const SALES_ROLES = ['advisor', 'sales'] as const;

/** The advisory product as the catalog publishes it (L3), at one instant. */
export interface AdvisoryProductSnapshot {
  readonly productId: string;
  /** The plan (price and period) the investor is buying. */
  readonly planId: string;
  readonly name: string;
  readonly published: boolean;
  readonly riskLevel: RiskLevel;
  readonly ratingVersion: number;
  readonly horizon: Horizon;
  readonly varieties: readonly string[];
  readonly access?: AccessRequirements;
  readonly advisors: readonly Advisor[];
  readonly feeBasis: FeeBasis;
  readonly riskDisclosure: DocumentRef;
  readonly specialRiskWarning: DocumentRef;
  readonly contractTemplateVersion: string;
}

// ---- commands ----

interface Base {
  readonly engagementId: string;
  readonly step: Step;
}

export interface MatchSuitability extends Base {
  readonly type: 'MatchSuitability';
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
  /** What the client says; the recorded contacts decide (A5). */
  readonly initiatedBy: Initiator;
  readonly recommendationId?: string;
  readonly attributionWindowDays: number;
}

export interface ConfirmRiskDisclosure extends Base {
  readonly type: 'ConfirmRiskDisclosure';
  readonly document: DocumentRef;
}

export interface SignSpecialRiskWarning extends Base {
  readonly type: 'SignSpecialRiskWarning';
  readonly document: DocumentRef;
}

export interface RecordInsistence extends Base {
  readonly type: 'RecordInsistence';
  readonly statement: string;
}

export interface SignContract extends Base {
  readonly type: 'SignContract';
  /** Assigned by the server from the year's gap-free register (see contract-serials). */
  readonly serial: string;
  /** The content hash of the preview the investor saw, when the client names it: signing anything else is refused. */
  readonly shownHash?: string;
  readonly product: AdvisoryProductSnapshot;
  readonly calendar: WorkingDayCalendar;
}

export interface PurchaseSubscription extends Base {
  readonly type: 'PurchaseSubscription';
  readonly subscriptionId: string;
  readonly paymentIntentId: string;
  readonly price: Money;
  /** Coupon codes, points or cash-back the client tried to apply; advisory takes none (V2). */
  readonly incentives: readonly string[];
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
  readonly attributionWindowDays: number;
}

export interface RenewSubscription extends Base {
  readonly type: 'RenewSubscription';
  readonly paymentIntentId: string;
  readonly price: Money;
  readonly incentives: readonly string[];
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
  readonly attributionWindowDays: number;
}

export interface ApplyProductRerating extends Base {
  readonly type: 'ApplyProductRerating';
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
}

export interface RescindContract extends Base {
  readonly type: 'RescindContract';
  readonly notice: string;
  /** Fresh refund ids, at least one per payment under the subscription; the i-th captured payment takes the i-th. */
  readonly refundIds: readonly string[];
}

/** The payments context settled a purchase or renewal payment (reported in the transaction recording it). */
export interface SettleSubscriptionPayment extends Base {
  readonly type: 'SettleSubscriptionPayment';
  readonly paymentIntentId: string;
  readonly outcome: 'captured' | 'failed';
  readonly reason?: string;
}

export interface CompleteReturnVisit extends Base {
  readonly type: 'CompleteReturnVisit';
  readonly staffRoles: readonly string[];
  readonly checklist: Partial<ReturnVisitChecklist>;
  readonly notes: string;
}

export type EngagementCommand =
  | MatchSuitability
  | ConfirmRiskDisclosure
  | SignSpecialRiskWarning
  | RecordInsistence
  | SignContract
  | PurchaseSubscription
  | RenewSubscription
  | SettleSubscriptionPayment
  | ApplyProductRerating
  | RescindContract
  | CompleteReturnVisit;

// ---- state ----

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

export interface Engagement {
  /** `payment_pending` from the purchase until its payment settles: `active` once captured, `payment_failed` if not. */
  readonly status: 'matched' | 'contracted' | 'payment_pending' | 'payment_failed' | 'active' | 'rescinded';
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
  readonly contract: {
    readonly serial: string;
    readonly advisors: readonly Advisor[];
    readonly feeBasis: FeeBasis;
    readonly rescissionDeadline: string;
  } | null;
  readonly subscription: {
    readonly subscriptionId: string;
    readonly periodEnd: string;
    readonly payments: readonly SubscriptionPayment[];
  } | null;
  readonly renewalBlocked: ProductRating | null;
  readonly returnVisit: { readonly status: 'queued' | 'completed'; readonly workableFrom: string } | null;
  /** Every step taken, oldest first (a new matching opinion adds to it; signatures for an older one stay listed). */
  readonly steps: readonly CompletedStep[];
}

export interface SubscriptionPayment {
  readonly paymentIntentId: string;
  readonly price: Money;
  readonly status: 'requested' | 'captured' | 'failed';
  /** For a renewal, the period end before it, which a failed renewal payment restores; null for the purchase. */
  readonly periodEndBefore: string | null;
}

export type EngagementState = { readonly status: 'none' } | Engagement;

// ---- the purchase gate ----

export interface Violation {
  readonly rule: string;
  readonly code: string;
  readonly message: string;
}

const v = (rule: string, code: string, message: string): Violation => ({ rule, code, message });

/**
 * Which refusal leads when several rules are broken: the most fundamental first. Suitability prohibitions (the lowest
 * category, above-level without the investor's own initiative, access thresholds) come before the other gates (no
 * incentives, an open account, a published product), then the assessment in force, then anything that changed since
 * matching, and last the documents and signatures still missing. Codes not listed rank last, in the order found.
 */
export const REFUSAL_PRECEDENCE: readonly (readonly string[])[] = [
  ['SUITABILITY.LOWEST_CATEGORY_ABOVE_R1'],
  ['SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', 'SUITABILITY.ACCESS_THRESHOLD_NOT_MET'],
  ['PURCHASE.INCENTIVE_NOT_ALLOWED', 'PURCHASE.ACCOUNT_NOT_OPEN', 'PURCHASE.PRODUCT_NOT_PUBLISHED'],
  ['PURCHASE.ASSESSMENT_EXPIRED', 'PURCHASE.ASSESSMENT_NOT_IN_FORCE'],
  ['PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING', 'PURCHASE.CLASSIFICATION_CHANGED_SINCE_MATCHING', 'PURCHASE.PRODUCT_RERATED_SINCE_MATCHING'],
];
const precedence = (code: string): number => {
  const tier = REFUSAL_PRECEDENCE.findIndex((codes) => codes.includes(code));
  return tier === -1 ? REFUSAL_PRECEDENCE.length : tier;
};

/** One refusal naming the most fundamental rule broken at top level, and every violation in `details`. */
const refuse = (found: readonly Violation[], extra: Record<string, unknown> = {}): DomainError => {
  const violations = [...found].sort((a, b) => precedence(a.code) - precedence(b.code));
  return ruleViolation(violations[0].code, violations[0].rule, violations[0].message, { violations, ...extra });
};

const opinionOf = (result: SuitabilityResult): MatchingOpinion => ({
  ruleSetVersion: result.ruleSetVersion,
  decision: result.decision,
  fired: result.fired,
  levelFit: result.levelFit,
  objectiveFit: result.objectiveFit,
  outstanding: result.outstanding,
});

/**
 * A7: everything that made the sale acceptable must still hold now. Returns every failure, not just the first, so the
 * refusal names all rule IDs involved.
 */
export const purchaseGate = (
  state: Engagement,
  command: Pick<PurchaseSubscription, 'investor' | 'product' | 'price' | 'incentives' | 'attributionWindowDays' | 'step'>,
  renewal: boolean,
): { violations: Violation[]; suitability: SuitabilityResult | null; attribution: Attribution } => {
  const { investor, product, price, incentives } = command;
  const violations: Violation[] = [];
  // A5: whatever was claimed at matching, a contact recorded since about this product makes it not investor-initiated.
  const attribution = attributeInitiation(investor.contacts, state.productId, command.step.at, command.attributionWindowDays, state.initiatedBy);
  if (incentives.length > 0) violations.push(v('V2', 'PURCHASE.INCENTIVE_NOT_ALLOWED', 'coupons, points and cash-back never apply to advisory products'));
  if (!investor.accountOpen) violations.push(v('A1', 'PURCHASE.ACCOUNT_NOT_OPEN', 'no advisory account is open'));
  const standing = investor.standing;
  if (!standing.inForce) {
    violations.push(
      standing.reason === 'expired'
        ? v('A7', 'PURCHASE.ASSESSMENT_EXPIRED', 'the risk assessment has expired; take a new one and match again')
        : v('A7', 'PURCHASE.ASSESSMENT_NOT_IN_FORCE', `no risk assessment is in force (${standing.reason})`),
    );
  } else {
    const matched = state.matching.investor;
    const current = standing.assessment;
    if (current.assessmentId !== matched.assessmentId || current.category !== matched.category || current.lowestCategory !== matched.lowestCategory) {
      violations.push(v('A7', 'PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING', 'the risk assessment changed since matching; match again'));
    }
  }
  if (investor.classification !== state.matching.investor.classification) {
    violations.push(v('A7', 'PURCHASE.CLASSIFICATION_CHANGED_SINCE_MATCHING', 'the investor classification changed since matching; match again'));
  }
  if (!product.published) violations.push(v('L1', 'PURCHASE.PRODUCT_NOT_PUBLISHED', 'only published listings can be bought'));
  if (product.ratingVersion !== state.rating.ratingVersion || product.riskLevel !== state.rating.riskLevel) {
    violations.push(v('A7', 'PURCHASE.PRODUCT_RERATED_SINCE_MATCHING', 'the product risk level changed since matching; match again'));
  }
  if (!renewal) {
    if (!state.disclosure) violations.push(v('A6', 'PURCHASE.RISK_DISCLOSURE_NOT_CONFIRMED', 'the risk disclosure has not been confirmed'));
    else if (state.disclosure.contentHash !== product.riskDisclosure.contentHash) {
      violations.push(v('A6', 'PURCHASE.RISK_DISCLOSURE_OUTDATED', 'the risk disclosure changed since it was confirmed'));
    }
    if (!state.contract) violations.push(v('A6', 'PURCHASE.CONTRACT_NOT_SIGNED', 'the advisory contract has not been signed'));
  }
  if (state.contract && (price.amountMinor !== state.contract.feeBasis.amountMinor || price.currency !== state.contract.feeBasis.currency)) {
    violations.push(v('A6', 'PURCHASE.PRICE_NOT_CONTRACT_FEE', 'the price differs from the fee in the signed contract'));
  }
  const engineInvestor = suitabilityInvestor(investor);
  const suitability = engineInvestor
    ? checkSuitability(engineInvestor, product, {
        initiatedBy: attribution.initiatedBy,
        specialRiskWarningSigned: state.warningRatingVersion === product.ratingVersion,
        insistenceRecorded: state.insistenceRatingVersion === product.ratingVersion,
        stage: 'purchase',
      })
    : null;
  for (const rule of suitability ? blockingRules(suitability) : []) {
    violations.push(v(rule.rule, rule.code, suitabilityMessage(rule.code, rule.ref, attribution)));
  }
  return { violations, suitability, attribution };
};

const suitabilityMessage = (code: string, ref: string, attribution: Attribution): string => {
  const contact = attribution.contact;
  if (code === 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED' && contact) {
    return `suitability refused (${ref}): the investor was contacted about this product (${contact.source}, ${contact.step.at}) within ${attribution.windowDays} days, so the purchase is not investor-initiated`;
  }
  return `suitability refused (${ref})`;
};

// ---- decide ----

const notByInvestor = (state: Engagement, step: Step, code: string, rule: string): DomainError | null =>
  step.actorId === state.investorId ? null : forbidden(code, 'only the investor can do this', rule);

const match = (command: MatchSuitability, state: EngagementState): EngagementEvent[] | DomainError => {
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded; start a new one', 'A8');
  if (state.status !== 'none' && state.productId !== command.product.productId) return conflict('ENGAGEMENT.OTHER_PRODUCT', 'this engagement is for another product', 'A4');
  const { investor, product } = command;
  if (command.step.actorId !== investor.investorId) return forbidden('MATCHING.NOT_BY_INVESTOR', 'the investor requests their own matching opinion', 'A4');
  if (!investor.accountOpen) return ruleViolation('ACCOUNT.NOT_OPENED', 'A1', 'open an advisory account first');
  if (!product.published) return ruleViolation('PRODUCT.NOT_PUBLISHED', 'L1', 'only published listings can be bought');
  const standing = investor.standing;
  if (!standing.inForce) {
    return standing.reason === 'expired'
      ? ruleViolation('ASSESSMENT.EXPIRED', 'A3', 'the risk assessment has expired; take a new one')
      : ruleViolation('ASSESSMENT.NOT_IN_FORCE', 'A3', `no risk assessment is in force (${standing.reason})`);
  }
  const engineInvestor = suitabilityInvestor(investor);
  if (!engineInvestor) return ruleViolation('ASSESSMENT.NOT_IN_FORCE', 'A3', 'no risk assessment is in force');
  const initiation = attributeInitiation(investor.contacts, product.productId, command.step.at, command.attributionWindowDays, command.initiatedBy);
  const result = checkSuitability(engineInvestor, product, {
    initiatedBy: initiation.initiatedBy,
    specialRiskWarningSigned: false,
    insistenceRecorded: false,
    stage: 'opinion',
  });
  const opinion = opinionOf(result);
  if (result.decision === 'refused') {
    const violations = blockingRules(result).map((r) => v(r.rule, r.code, suitabilityMessage(r.code, r.ref, initiation)));
    return refuse(violations, { opinion, initiation });
  }
  return [
    {
      type: EngagementEventType.SuitabilityMatched,
      data: {
        engagementId: command.engagementId,
        investorId: investor.investorId,
        productId: product.productId,
        planId: product.planId,
        initiatedBy: initiation.initiatedBy,
        initiation,
        recommendationId: command.recommendationId ?? null,
        opinion,
        investor: {
          classification: investor.classification,
          assessmentId: standing.assessment.assessmentId,
          category: standing.assessment.category,
          lowestCategory: standing.assessment.lowestCategory,
          assessmentValidUntil: standing.assessment.validUntil,
        },
        product: { riskLevel: product.riskLevel, ratingVersion: product.ratingVersion, horizon: product.horizon, varieties: product.varieties },
        requiredDocuments: {
          riskDisclosure: product.riskDisclosure,
          specialRiskWarning: result.decision === 'mismatch_allowed_with_warning' ? product.specialRiskWarning : null,
        },
        step: command.step,
      },
    },
  ];
};

const confirmDisclosure = (command: ConfirmRiskDisclosure, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'DISCLOSURE.NOT_BY_INVESTOR', 'A6');
  if (who) return who;
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
  const required = state.matching.requiredDocuments.riskDisclosure;
  if (command.document.contentHash !== required.contentHash) {
    return ruleViolation('DISCLOSURE.WRONG_VERSION', 'A6', 'the confirmed risk disclosure is not the version this product requires', { required });
  }
  return [{ type: EngagementEventType.RiskDisclosureConfirmed, data: { engagementId: state.engagementId, document: command.document, step: command.step } }];
};

const signWarning = (command: SignSpecialRiskWarning, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'WARNING.NOT_BY_INVESTOR', 'A5');
  if (who) return who;
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
  const required = state.matching.requiredDocuments.specialRiskWarning;
  if (!required) return conflict('WARNING.NOT_REQUIRED', 'the matching opinion is a match; no special risk warning applies', 'A5');
  if (command.document.contentHash !== required.contentHash) {
    return ruleViolation('WARNING.WRONG_VERSION', 'A5', 'the signed special risk warning is not the version for this product', { required });
  }
  return [
    {
      type: EngagementEventType.SpecialRiskWarningSigned,
      data: {
        engagementId: state.engagementId,
        document: command.document,
        productId: state.productId,
        riskLevel: state.rating.riskLevel,
        ratingVersion: state.rating.ratingVersion,
        step: command.step,
      },
    },
  ];
};

const recordInsistence = (command: RecordInsistence, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'INSISTENCE.NOT_BY_INVESTOR', 'A5');
  if (who) return who;
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
  if (!state.matching.requiredDocuments.specialRiskWarning) return conflict('INSISTENCE.NOT_REQUIRED', 'the matching opinion is a match', 'A5');
  if (state.warningRatingVersion !== state.rating.ratingVersion) {
    return ruleViolation('INSISTENCE.WARNING_NOT_SIGNED', 'A5', 'sign the special risk warning before insisting');
  }
  if (!command.statement?.trim()) return invalid('INSISTENCE.STATEMENT_REQUIRED', 'the investor states their insistence in their own words', 'A5');
  return [
    {
      type: EngagementEventType.InsistenceRecorded,
      data: { engagementId: state.engagementId, statement: command.statement, ratingVersion: state.rating.ratingVersion, step: command.step },
    },
  ];
};

const signContract = (command: SignContract, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'CONTRACT.NOT_BY_INVESTOR', 'A6');
  if (who) return who;
  if (state.status !== 'matched') return conflict('CONTRACT.ALREADY_SIGNED', 'a contract is already signed for this engagement', 'A6');
  const violations: Violation[] = [];
  if (!state.disclosure) violations.push(v('A6', 'CONTRACT.RISK_DISCLOSURE_NOT_CONFIRMED', 'confirm the risk disclosure before signing'));
  if (state.matching.requiredDocuments.specialRiskWarning) {
    if (state.warningRatingVersion !== state.rating.ratingVersion) violations.push(v('A5', 'CONTRACT.SPECIAL_RISK_WARNING_NOT_SIGNED', 'sign the special risk warning first'));
    if (state.insistenceRatingVersion !== state.rating.ratingVersion) violations.push(v('A5', 'CONTRACT.INSISTENCE_NOT_RECORDED', 'record the insistence first'));
  }
  const product = command.product;
  if (product.productId !== state.productId) violations.push(v('A6', 'CONTRACT.OTHER_PRODUCT', 'the contract is for another product'));
  if (product.advisors.length === 0 || product.advisors.some((a) => !a.name.trim() || !isSacRegistrationCode(a.sacRegistrationCode))) {
    violations.push(v('L3', 'CONTRACT.ADVISOR_NOT_REGISTERED', 'every advisor on the contract needs a name and an SAC registration code'));
  }
  if (!Number.isSafeInteger(product.feeBasis.amountMinor) || product.feeBasis.amountMinor <= 0 || product.feeBasis.periodMonths < 1) {
    violations.push(v('L3', 'CONTRACT.FEE_BASIS_INVALID', 'the fee basis must be a positive amount per period'));
  }
  if (violations.length > 0) return refuse(violations);
  const document = documentRef(engagementContract(command.serial, state.investorId, product));
  if (command.shownHash && command.shownHash !== document.contentHash) {
    return ruleViolation('CONTRACT.PREVIEW_OUTDATED', 'A6', `the contract to sign (serial ${command.serial}) is not the one previewed; preview it again`, {
      serial: command.serial,
      contentHash: document.contentHash,
    });
  }
  return [
    {
      type: EngagementEventType.ContractSigned,
      data: {
        engagementId: state.engagementId,
        serial: command.serial,
        document,
        advisors: product.advisors,
        feeBasis: product.feeBasis,
        rescissionDeadline: workingDaysDeadline(command.step.at, RESCISSION_WORKING_DAYS, command.calendar),
        step: command.step,
      },
    },
  ];
};

const suitabilityRecord = (result: SuitabilityResult | null, fallback: MatchingOpinion) => ({
  ruleSetVersion: (result ?? fallback).ruleSetVersion,
  decision: (result ?? fallback).decision,
  fired: (result ?? fallback).fired,
});

const purchase = (command: PurchaseSubscription, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'PURCHASE.NOT_BY_INVESTOR', 'A7');
  if (who) return who;
  if (state.status === 'active') return conflict('PURCHASE.ALREADY_ACTIVE', 'this subscription is already active; renew it instead', 'A7');
  if (state.status === 'payment_pending') return conflict('PURCHASE.PAYMENT_PENDING', 'the payment for this purchase is still being processed', 'A7');
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
  const gate = purchaseGate(state, command, false);
  if (gate.violations.length > 0) return refuse(gate.violations, { initiation: gate.attribution });
  const now = command.step.at;
  const contract = state.contract!;
  const events: EngagementEvent[] = [
    {
      type: EngagementEventType.SubscriptionPurchased,
      data: {
        engagementId: state.engagementId,
        subscriptionId: command.subscriptionId,
        investorId: state.investorId,
        productId: state.productId,
        paymentIntentId: command.paymentIntentId,
        price: command.price,
        periodStart: now,
        periodEnd: addMonths(now, contract.feeBasis.periodMonths),
        contractSerial: contract.serial,
        suitability: suitabilityRecord(gate.suitability, state.matching.opinion),
        initiation: gate.attribution,
        step: command.step,
      },
    },
  ];
  const reasons: ReturnVisitReason[] = [];
  if (command.investor.classification === 'ordinary') {
    if (gate.suitability?.levelFit === 'above') reasons.push('above_level');
    if (rank(command.product.riskLevel) >= 4) reasons.push('r4_or_above');
  }
  if (reasons.length > 0) {
    events.push({
      type: EngagementEventType.ReturnVisitQueued,
      data: {
        engagementId: state.engagementId,
        investorId: state.investorId,
        productId: state.productId,
        reasons,
        workableFrom: addHours(now, RETURN_VISIT_COOLING_OFF_HOURS),
        step: command.step,
      },
    });
  }
  return events;
};

const renew = (command: RenewSubscription, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'RENEWAL.NOT_BY_INVESTOR', 'A7');
  if (who) return who;
  if (state.status !== 'active' || !state.subscription) return conflict('RENEWAL.NOT_ACTIVE', 'only an active subscription can be renewed', 'A7');
  if (state.subscription.payments.some((p) => p.status === 'requested')) {
    return conflict('RENEWAL.PAYMENT_PENDING', 'the previous renewal payment is still being processed', 'A7');
  }
  if (state.renewalBlocked) {
    return ruleViolation('RENEWAL.BLOCKED_UNTIL_REMATCHED', 'L4', 'the product was re-rated above your match; go through matching again before renewing', {
      rating: state.renewalBlocked,
    });
  }
  const gate = purchaseGate(state, command, true);
  if (gate.violations.length > 0) return refuse(gate.violations, { initiation: gate.attribution });
  const start = isBefore(command.step.at, state.subscription.periodEnd) ? state.subscription.periodEnd : command.step.at;
  return [
    {
      type: EngagementEventType.SubscriptionRenewed,
      data: {
        engagementId: state.engagementId,
        subscriptionId: state.subscription.subscriptionId,
        paymentIntentId: command.paymentIntentId,
        price: command.price,
        periodStart: start,
        periodEnd: addMonths(start, state.contract!.feeBasis.periodMonths),
        suitability: suitabilityRecord(gate.suitability, state.matching.opinion),
        initiation: gate.attribution,
        step: command.step,
      },
    },
  ];
};

const settlePayment = (command: SettleSubscriptionPayment, state: Engagement): EngagementEvent[] | DomainError => {
  const subscription = state.subscription;
  const payment = subscription?.payments.find((p) => p.paymentIntentId === command.paymentIntentId);
  // Settlements arrive at least once: a repeated or unknown one changes nothing.
  if (!subscription || !payment || payment.status !== 'requested') return [];
  const base = { engagementId: state.engagementId, subscriptionId: subscription.subscriptionId, paymentIntentId: payment.paymentIntentId, step: command.step };
  if (command.outcome === 'captured') {
    const paidMinor = subscription.payments.filter((p) => p.status === 'captured').reduce((sum, p) => sum + p.price.amountMinor, payment.price.amountMinor);
    return [{ type: EngagementEventType.SubscriptionPaymentCaptured, data: { ...base, amount: payment.price, paidMinor } }];
  }
  const renewal = payment.periodEndBefore !== null;
  return [
    {
      type: EngagementEventType.SubscriptionPaymentFailed,
      data: { ...base, reason: command.reason?.trim() || 'payment failed', renewal, periodEnd: renewal ? payment.periodEndBefore : null },
    },
  ];
};

const applyRerating = (command: ApplyProductRerating, state: Engagement): EngagementEvent[] | DomainError => {
  // Replays and subscribers who have left are no-ops: the re-rating handler may visit an engagement more than once.
  // A purchase still being paid counts as a subscriber: the capture must not activate it at a rating nobody checked.
  if ((state.status !== 'active' && state.status !== 'payment_pending') || command.product.ratingVersion <= state.rating.ratingVersion) return [];
  const previous = state.rating;
  const current: ProductRating = { riskLevel: command.product.riskLevel, ratingVersion: command.product.ratingVersion };
  const base = { engagementId: state.engagementId, investorId: state.investorId, productId: state.productId, step: command.step };
  const events: EngagementEvent[] = [{ type: EngagementEventType.SubscriberNotifiedOfRerating, data: { ...base, previous, current } }];
  if (rank(current.riskLevel) <= rank(previous.riskLevel)) return events;
  const engineInvestor = suitabilityInvestor(command.investor);
  if (!engineInvestor) {
    events.push({ type: EngagementEventType.RenewalBlocked, data: { ...base, rating: current, opinion: null, reason: 'no risk assessment in force' } });
    return events;
  }
  const result = checkSuitability(engineInvestor, command.product, {
    initiatedBy: state.initiatedBy,
    specialRiskWarningSigned: false,
    insistenceRecorded: false,
    stage: 'purchase',
  });
  if (result.decision === 'match') {
    events.push({ type: EngagementEventType.SubscriberRematched, data: { ...base, rating: current, opinion: opinionOf(result) } });
  } else {
    events.push({
      type: EngagementEventType.RenewalBlocked,
      data: { ...base, rating: current, opinion: opinionOf(result), reason: `the product is now ${current.riskLevel}, which no longer matches` },
    });
  }
  return events;
};

const rescind = (command: RescindContract, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'RESCISSION.NOT_BY_INVESTOR', 'A8');
  if (who) return who;
  if (state.status === 'rescinded') return conflict('RESCISSION.ALREADY_RESCINDED', 'this contract was already rescinded', 'A8');
  if (!state.contract) return conflict('RESCISSION.NO_CONTRACT', 'no contract has been signed', 'A8');
  if (!command.notice?.trim()) return invalid('RESCISSION.NOTICE_REQUIRED', 'rescission is by written notice', 'A8');
  if (isBefore(state.contract.rescissionDeadline, command.step.at)) {
    return ruleViolation('RESCISSION.WINDOW_CLOSED', 'A8', `the ${RESCISSION_WORKING_DAYS}-working-day rescission period ended`, {
      deadline: state.contract.rescissionDeadline,
    });
  }
  const payments = state.subscription?.payments ?? [];
  // Refunding needs the outcome of every payment: money still in flight could be captured after the refund was worked out.
  if (payments.some((p) => p.status === 'requested')) {
    return conflict('RESCISSION.PAYMENT_PENDING', 'a payment under this contract is still being processed; rescind once it has settled', 'A8');
  }
  const captured = payments.filter((p) => p.status === 'captured');
  if (command.refundIds.length < captured.length) return invalid('RESCISSION.REFUND_IDS_MISSING', 'one refund id per captured payment is needed', 'A8');
  const refund =
    captured.length === 0
      ? null
      : {
          amount: { amountMinor: captured.reduce((sum, p) => sum + p.price.amountMinor, 0), currency: captured[0].price.currency },
          refunds: captured.map((p, i) => ({ refundId: command.refundIds[i], paymentIntentId: p.paymentIntentId, amount: p.price })),
        };
  return [
    {
      type: EngagementEventType.ContractRescinded,
      data: { engagementId: state.engagementId, serial: state.contract.serial, notice: command.notice, refund, step: command.step },
    },
  ];
};

const completeReturnVisit = (command: CompleteReturnVisit, state: Engagement): EngagementEvent[] | DomainError => {
  if (!state.returnVisit) return conflict('RETURN_VISIT.NOT_QUEUED', 'no return visit is due for this sale', 'A8');
  if (state.returnVisit.status === 'completed') return conflict('RETURN_VISIT.ALREADY_COMPLETED', 'the return visit is already recorded', 'A8');
  if (state.status === 'rescinded') return conflict('RETURN_VISIT.CONTRACT_RESCINDED', 'the contract was rescinded', 'A8');
  const inSales = command.staffRoles.some((r) => (SALES_ROLES as readonly string[]).includes(r)) || state.contract?.advisors.some((a) => a.advisorId === command.step.actorId);
  if (inSales) return forbidden('RETURN_VISIT.STAFF_IN_SALES', 'return visits are made by staff outside sales', 'A8');
  if (!command.staffRoles.includes('compliance_officer')) return forbidden('RETURN_VISIT.NOT_COMPLIANCE_STAFF', 'return visits are made by compliance staff', 'A8');
  if (isBefore(command.step.at, state.returnVisit.workableFrom)) {
    return ruleViolation('RETURN_VISIT.COOLING_OFF', 'A8', `the ${RETURN_VISIT_COOLING_OFF_HOURS}-hour cooling-off period has not ended`, {
      workableFrom: state.returnVisit.workableFrom,
    });
  }
  const missing = RETURN_VISIT_CHECKLIST.filter((item) => typeof command.checklist[item] !== 'boolean');
  if (missing.length > 0) return ruleViolation('RETURN_VISIT.CHECKLIST_INCOMPLETE', 'A8', `checklist items not recorded: ${missing.join(', ')}`, { missing });
  const checklist = Object.fromEntries(RETURN_VISIT_CHECKLIST.map((item) => [item, command.checklist[item] as boolean])) as unknown as ReturnVisitChecklist;
  const outcome = RETURN_VISIT_CHECKLIST.every((item) => checklist[item]) ? 'confirmed' : 'follow_up_required';
  return [
    { type: EngagementEventType.ReturnVisitCompleted, data: { engagementId: state.engagementId, checklist, outcome, notes: command.notes ?? '', step: command.step } },
  ];
};

const decide = (command: EngagementCommand, state: EngagementState): EngagementEvent[] | DomainError => {
  if (command.type === 'MatchSuitability') return match(command, state);
  if (state.status === 'none') return ruleViolation('MATCHING.REQUIRED', 'A4', 'obtain a suitability matching opinion first');
  switch (command.type) {
    case 'ConfirmRiskDisclosure':
      return confirmDisclosure(command, state);
    case 'SignSpecialRiskWarning':
      return signWarning(command, state);
    case 'RecordInsistence':
      return recordInsistence(command, state);
    case 'SignContract':
      return signContract(command, state);
    case 'PurchaseSubscription':
      return purchase(command, state);
    case 'RenewSubscription':
      return renew(command, state);
    case 'SettleSubscriptionPayment':
      return settlePayment(command, state);
    case 'ApplyProductRerating':
      return applyRerating(command, state);
    case 'RescindContract':
      return rescind(command, state);
    case 'CompleteReturnVisit':
      return completeReturnVisit(command, state);
  }
};

const stepOf = (event: EngagementEvent, kind: CompletedStep['kind'], documentHash: string | null, ratingVersion: number | null): CompletedStep => ({
  kind,
  at: event.data.step.at,
  actorId: event.data.step.actorId,
  channel: event.data.step.channel,
  documentHash,
  ratingVersion,
});

const withStep = (state: Engagement, step: CompletedStep): readonly CompletedStep[] => [...state.steps, step];

const evolve = (state: EngagementState, event: EngagementEvent): EngagementState => {
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
      return { ...state, disclosure: event.data.document, steps: withStep(state, stepOf(event, 'risk_disclosure', event.data.document.contentHash, null)) };
    case EngagementEventType.SpecialRiskWarningSigned:
      return {
        ...state,
        warningRatingVersion: event.data.ratingVersion,
        steps: withStep(state, stepOf(event, 'special_risk_warning', event.data.document.contentHash, event.data.ratingVersion)),
      };
    case EngagementEventType.InsistenceRecorded:
      return { ...state, insistenceRatingVersion: event.data.ratingVersion, steps: withStep(state, stepOf(event, 'insistence', null, event.data.ratingVersion)) };
    case EngagementEventType.ContractSigned: {
      const d = event.data;
      return {
        ...state,
        status: 'contracted',
        contract: { serial: d.serial, advisors: d.advisors, feeBasis: d.feeBasis, rescissionDeadline: d.rescissionDeadline },
        steps: withStep(state, stepOf(event, 'contract', d.document.contentHash, null)),
      };
    }
    case EngagementEventType.SubscriptionPurchased: {
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
      const sub = state.subscription!;
      const payment: SubscriptionPayment = { paymentIntentId: event.data.paymentIntentId, price: event.data.price, status: 'requested', periodEndBefore: sub.periodEnd };
      return { ...state, subscription: { ...sub, periodEnd: event.data.periodEnd, payments: [...sub.payments, payment] } };
    }
    case EngagementEventType.SubscriptionPaymentCaptured:
    case EngagementEventType.SubscriptionPaymentFailed: {
      const sub = state.subscription!;
      const captured = event.type === EngagementEventType.SubscriptionPaymentCaptured;
      const payments = sub.payments.map((p) => (p.paymentIntentId === event.data.paymentIntentId ? { ...p, status: captured ? ('captured' as const) : ('failed' as const) } : p));
      if (captured) return { ...state, status: state.status === 'payment_pending' ? 'active' : state.status, subscription: { ...sub, payments } };
      if (!event.data.renewal) {
        // An unpaid purchase is no sale: the return visit it queued is withdrawn (a new purchase queues its own).
        const returnVisit = state.returnVisit?.status === 'queued' ? null : state.returnVisit;
        return { ...state, status: state.status === 'payment_pending' ? 'payment_failed' : state.status, subscription: { ...sub, payments }, returnVisit };
      }
      return { ...state, subscription: { ...sub, periodEnd: event.data.periodEnd ?? sub.periodEnd, payments } };
    }
    case EngagementEventType.SubscriberNotifiedOfRerating:
      return { ...state, rating: event.data.current };
    case EngagementEventType.SubscriberRematched:
      return state;
    case EngagementEventType.RenewalBlocked:
      return { ...state, renewalBlocked: event.data.rating };
    case EngagementEventType.ContractRescinded:
      return { ...state, status: 'rescinded' };
    case EngagementEventType.ReturnVisitQueued:
      return { ...state, returnVisit: { status: 'queued', workableFrom: event.data.workableFrom } };
    case EngagementEventType.ReturnVisitCompleted:
      return { ...state, returnVisit: state.returnVisit && { ...state.returnVisit, status: 'completed' } };
  }
  return state;
};

export const engagementDecider: Decider<EngagementCommand, EngagementEvent, EngagementState> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};

export const engagementStreamId = (engagementId: string): string => `advisory.engagement-${engagementId}`;
