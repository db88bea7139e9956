import { Row, RowTable } from '@app/platform';
import { EngagementEvent, EngagementEventType as T } from '../domain';

const engagementTypes = new Set<string>([
  T.SuitabilityMatched,
  T.ContractSigned,
  T.SubscriptionPurchased,
  T.SubscriptionRenewed,
  T.SubscriptionPaymentCaptured,
  T.SubscriptionPaymentFailed,
  T.SubscriberNotifiedOfRerating,
  T.RenewalBlocked,
  T.ContractRescinded,
]);

/**
 * advisory_engagements, one row per engagement, folded in memory per batch (pure). Each event sets what it says; a
 * payment outcome moves the status only from `payment_pending`, so replays converge to the same rows.
 */
export const engagementsTable: RowTable<EngagementEvent> = {
  name: 'advisory_engagements',
  key: 'engagement_id',
  keyOf: (event) => (engagementTypes.has(event.type) ? event.data.engagementId : undefined),
  reduce: (row, event): Row | undefined => {
    const at = event.data.step.at;
    if (event.type === T.SuitabilityMatched) {
      const d = event.data;
      const matched = {
        plan_id: d.planId,
        decision: d.opinion.decision,
        rule_set_version: d.opinion.ruleSetVersion,
        risk_level: d.product.riskLevel,
        rating_version: d.product.ratingVersion,
      };
      if (row) return { ...row, ...matched, renewal_blocked: false, updated_at: at };
      return {
        engagement_id: d.engagementId,
        investor_id: d.investorId,
        product_id: d.productId,
        status: 'matched',
        ...matched,
        contract_serial: null,
        rescission_deadline: null,
        subscription_id: null,
        period_end: null,
        paid_minor: 0,
        currency: null,
        renewal_blocked: false,
        refund_id: null,
        updated_at: at,
      };
    }
    if (!row) return undefined;
    const fromPending = (status: string) => (row.status === 'payment_pending' ? status : row.status);
    switch (event.type) {
      case T.ContractSigned:
        return {
          ...row,
          status: 'contracted',
          contract_serial: event.data.serial,
          rescission_deadline: event.data.rescissionDeadline,
          updated_at: at,
        };
      case T.SubscriptionPurchased:
        return {
          ...row,
          status: 'payment_pending',
          subscription_id: event.data.subscriptionId,
          period_end: event.data.periodEnd,
          paid_minor: 0,
          currency: event.data.price.currency,
          updated_at: at,
        };
      case T.SubscriptionRenewed:
        return { ...row, period_end: event.data.periodEnd, updated_at: at };
      case T.SubscriptionPaymentCaptured:
        // paid_minor is the running total the event carries, so replaying it changes nothing.
        return { ...row, status: fromPending('active'), paid_minor: event.data.paidMinor, updated_at: at };
      case T.SubscriptionPaymentFailed:
        return event.data.renewal
          ? { ...row, period_end: event.data.periodEnd ?? row.period_end, updated_at: at }
          : { ...row, status: fromPending('payment_failed'), updated_at: at };
      case T.SubscriberNotifiedOfRerating:
        return { ...row, risk_level: event.data.current.riskLevel, rating_version: event.data.current.ratingVersion, updated_at: at };
      case T.RenewalBlocked:
        return { ...row, renewal_blocked: true, updated_at: at };
      case T.ContractRescinded:
        return { ...row, status: 'rescinded', refund_id: event.data.refund?.refunds[0]?.refundId ?? null, updated_at: at };
    }
    return row;
  },
};
