/**
 * Decisions about the sale (A7, L4): the purchase behind the purchase gate, renewals, the payments context's
 * settlement of their payments, and what a re-rating of the product means for a subscriber.
 */
import { DomainError, conflict, ruleViolation, unreachable } from '@app/common';
import { Attribution } from '../attribution/attribution';
import { suitabilityInvestor } from '../investor/investor.decider';
import { addHours, addMonths, isBefore, rank } from '../shared';
import { SuitabilityResult, checkSuitability } from '../suitability/rule-set';
import { ApplyProductRerating, PurchaseSubscription, RenewSubscription, SettleSubscriptionPayment } from './engagement.commands';
import { EngagementEvent, EngagementEventType, MatchingOpinion, ProductRating, ReturnVisitReason } from './engagement.events';
import { ContractedEngagement, Engagement, PaymentFailedEngagement, notByInvestor } from './engagement.state';
import { educationViolations, missingLessons, opinionOf, purchaseGate, refuse } from './purchase-gate';

/** A sale to an ordinary investor above their level or at R4 and above queues a return visit, workable after this (A8). */
export const RETURN_VISIT_COOLING_OFF_HOURS = 24;

const suitabilityRecord = (result: SuitabilityResult | null, fallback: MatchingOpinion) => ({
  ruleSetVersion: (result ?? fallback).ruleSetVersion,
  decision: (result ?? fallback).decision,
  fired: (result ?? fallback).fired,
});

/** The refusal's details: the initiation (A5) and, when lessons are missing, which ones (G8). */
const refusalDetails = (command: PurchaseSubscription, initiation: Attribution): Record<string, unknown> => {
  const missing = missingLessons(command.education);
  return missing.length ? { initiation, missingLessons: missing } : { initiation };
};

export const purchase = (command: PurchaseSubscription, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'PURCHASE.NOT_BY_INVESTOR', 'A7');
  if (who) return who;
  switch (state.status) {
    case 'active':
      return conflict('PURCHASE.ALREADY_ACTIVE', 'this subscription is already active; renew it instead', 'A7');
    case 'payment_pending':
      return conflict('PURCHASE.PAYMENT_PENDING', 'the payment for this purchase is still being processed', 'A7');
    case 'rescinded':
      return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
    case 'matched': {
      // No contract yet: the gate names it, with every other rule still broken.
      const gate = purchaseGate(state, command, false);
      return refuse([...gate.violations, ...educationViolations(command.education)], refusalDetails(command, gate.attribution));
    }
    case 'contracted':
    case 'payment_failed':
      return purchaseUnderContract(command, state);
    default:
      return unreachable(state);
  }
};

const purchaseUnderContract = (
  command: PurchaseSubscription,
  state: ContractedEngagement | PaymentFailedEngagement,
): EngagementEvent[] | DomainError => {
  const gate = purchaseGate(state, command, false);
  const violations = [...gate.violations, ...educationViolations(command.education)];
  if (violations.length > 0) return refuse(violations, refusalDetails(command, gate.attribution));
  const now = command.step.at;
  const contract = state.contract;
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

export const renew = (command: RenewSubscription, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'RENEWAL.NOT_BY_INVESTOR', 'A7');
  if (who) return who;
  if (state.status !== 'active') return conflict('RENEWAL.NOT_ACTIVE', 'only an active subscription can be renewed', 'A7');
  if (state.subscription.payments.some((p) => p.status === 'requested')) {
    return conflict('RENEWAL.PAYMENT_PENDING', 'the previous renewal payment is still being processed', 'A7');
  }
  if (state.renewalBlocked) {
    return ruleViolation(
      'RENEWAL.BLOCKED_UNTIL_REMATCHED',
      'L4',
      'the product was re-rated above your match; go through matching again before renewing',
      {
        rating: state.renewalBlocked,
      },
    );
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
        periodEnd: addMonths(start, state.contract.feeBasis.periodMonths),
        suitability: suitabilityRecord(gate.suitability, state.matching.opinion),
        initiation: gate.attribution,
        step: command.step,
      },
    },
  ];
};

export const settlePayment = (command: SettleSubscriptionPayment, state: Engagement): EngagementEvent[] | DomainError => {
  const subscription = state.subscription;
  const payment = subscription?.payments.find((p) => p.paymentIntentId === command.paymentIntentId);
  // Settlements arrive at least once: a repeated or unknown one changes nothing.
  if (!subscription || !payment || payment.status !== 'requested') return [];
  const base = {
    engagementId: state.engagementId,
    subscriptionId: subscription.subscriptionId,
    paymentIntentId: payment.paymentIntentId,
    step: command.step,
  };
  if (command.outcome === 'captured') {
    const paidMinor = subscription.payments
      .filter((p) => p.status === 'captured')
      .reduce((sum, p) => sum + p.price.amountMinor, payment.price.amountMinor);
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

export const applyRerating = (command: ApplyProductRerating, state: Engagement): EngagementEvent[] | DomainError => {
  // Replays and subscribers who have left are no-ops: the re-rating handler may visit an engagement more than once.
  // A purchase still being paid counts as a subscriber: the capture must not activate it at a rating nobody checked.
  if ((state.status !== 'active' && state.status !== 'payment_pending') || command.product.ratingVersion <= state.rating.ratingVersion)
    return [];
  const previous = state.rating;
  const current: ProductRating = { riskLevel: command.product.riskLevel, ratingVersion: command.product.ratingVersion };
  const base = { engagementId: state.engagementId, investorId: state.investorId, productId: state.productId, step: command.step };
  const events: EngagementEvent[] = [{ type: EngagementEventType.SubscriberNotifiedOfRerating, data: { ...base, previous, current } }];
  if (rank(current.riskLevel) <= rank(previous.riskLevel)) return events;
  const engineInvestor = suitabilityInvestor(command.investor);
  if (!engineInvestor) {
    events.push({
      type: EngagementEventType.RenewalBlocked,
      data: { ...base, rating: current, opinion: null, reason: 'no risk assessment in force' },
    });
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
      data: {
        ...base,
        rating: current,
        opinion: opinionOf(result),
        reason: `the product is now ${current.riskLevel}, which no longer matches`,
      },
    });
  }
  return events;
};
