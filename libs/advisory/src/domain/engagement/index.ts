/** The engagement aggregate's public face: its commands, events, state and decider (the decisions stay inside). */
export * from './engagement.commands';
export * from './engagement.events';
export type {
  ActiveEngagement,
  CompletedStep,
  ContractedEngagement,
  Engagement,
  EngagementState,
  EngagementSubscription,
  MatchedEngagement,
  PaymentFailedEngagement,
  PaymentPendingEngagement,
  RescindedEngagement,
  ReturnVisit,
  SignedContract,
  SubscriptionPayment,
} from './engagement.state';
export { REFUSAL_PRECEDENCE, purchaseGate } from './purchase-gate';
export type { Violation } from './purchase-gate';
export { RETURN_VISIT_COOLING_OFF_HOURS } from './purchase.decisions';
export { SALES_ROLES } from './after-sale.decisions';
export { specialRiskWarningSigned } from './matching.decisions';
export { engagementDecider, engagementStreamId } from './engagement.decider';
