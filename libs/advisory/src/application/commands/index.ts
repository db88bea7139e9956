/** Every advisory use case: a folder each, holding its command and its handler. */
import { ApplyForProfessionalHandler } from './apply-for-professional-status/apply-for-professional-status.handler';
import { AssessRiskHandler } from './assess-risk-tolerance/assess-risk-tolerance.handler';
import { CompleteReturnVisitHandler } from './complete-return-visit/complete-return-visit.handler';
import { ConfirmAssessmentHandler } from './confirm-risk-assessment/confirm-risk-assessment.handler';
import { ConfirmRiskDisclosureHandler } from './confirm-risk-disclosure/confirm-risk-disclosure.handler';
import { MatchSuitabilityHandler } from './match-suitability/match-suitability.handler';
import { OpenAccountHandler } from './open-account/open-account.handler';
import { PublishAdviceHandler } from './publish-advice/publish-advice.handler';
import { PurchaseSubscriptionHandler } from './purchase-subscription/purchase-subscription.handler';
import { RecordInsistenceHandler } from './record-insistence/record-insistence.handler';
import { ReportMaterialChangeHandler } from './report-material-change/report-material-change.handler';
import { RescindContractHandler } from './rescind-contract/rescind-contract.handler';
import { ReviewProfessionalHandler } from './review-professional-application/review-professional-application.handler';
import { ShredPersonalDataHandler } from './shred-personal-data/shred-personal-data.handler';
import { SignContractHandler } from './sign-contract/sign-contract.handler';
import { SignSpecialRiskWarningHandler } from './sign-special-risk-warning/sign-special-risk-warning.handler';
export * from './apply-for-professional-status/apply-for-professional-status.command';
export * from './assess-risk-tolerance/assess-risk-tolerance.command';
export * from './complete-return-visit/complete-return-visit.command';
export * from './confirm-risk-assessment/confirm-risk-assessment.command';
export * from './confirm-risk-disclosure/confirm-risk-disclosure.command';
export * from './match-suitability/match-suitability.command';
export * from './open-account/open-account.command';
export * from './publish-advice/publish-advice.command';
export * from './purchase-subscription/purchase-subscription.command';
export * from './record-insistence/record-insistence.command';
export * from './report-material-change/report-material-change.command';
export * from './rescind-contract/rescind-contract.command';
export * from './review-professional-application/review-professional-application.command';
export * from './shred-personal-data/shred-personal-data.command';
export * from './sign-contract/sign-contract.command';
export * from './sign-special-risk-warning/sign-special-risk-warning.command';
export { engagementView, loadEngagement, ownEngagement } from './engagement-access';

export const ADVISORY_COMMAND_HANDLERS = [
  ApplyForProfessionalHandler,
  AssessRiskHandler,
  CompleteReturnVisitHandler,
  ConfirmAssessmentHandler,
  ConfirmRiskDisclosureHandler,
  MatchSuitabilityHandler,
  OpenAccountHandler,
  PublishAdviceHandler,
  PurchaseSubscriptionHandler,
  RecordInsistenceHandler,
  ReportMaterialChangeHandler,
  RescindContractHandler,
  ReviewProfessionalHandler,
  ShredPersonalDataHandler,
  SignContractHandler,
  SignSpecialRiskWarningHandler,
];
