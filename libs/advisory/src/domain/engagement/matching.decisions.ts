/**
 * Decisions before the sale (A4–A6): the matching opinion, the risk disclosure, the special risk warning and the
 * investor's insistence for a mismatch, and the contract.
 */
import { DomainError, conflict, forbidden, invalid, ruleViolation } from '@app/common';
import { RESCISSION_WORKING_DAYS, documentRef, engagementContract, isSacRegistrationCode } from '../documents';
import { attributeInitiation } from '../attribution/attribution';
import { suitabilityInvestor } from '../investor/investor.decider';
import { blockingRules, checkSuitability } from '../suitability/rule-set';
import { workingDaysDeadline } from '../working-days';
import { CURRENT_SPECIAL_RISK_WARNING_VERSION } from '../document-texts';
import { ConfirmRiskDisclosure, MatchSuitability, RecordInsistence, SignContract, SignSpecialRiskWarning } from './engagement.commands';
import { EngagementEvent, EngagementEventType } from './engagement.events';
import { Engagement, EngagementState, notByInvestor } from './engagement.state';
import { Violation, opinionOf, refuse, suitabilityMessage, v } from './purchase-gate';

export const match = (command: MatchSuitability, state: EngagementState): EngagementEvent[] | DomainError => {
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded; start a new one', 'A8');
  if (state.status !== 'none' && state.productId !== command.product.productId)
    return conflict('ENGAGEMENT.OTHER_PRODUCT', 'this engagement is for another product', 'A4');
  const { investor, product } = command;
  if (command.step.actorId !== investor.investorId)
    return forbidden('MATCHING.NOT_BY_INVESTOR', 'the investor requests their own matching opinion', 'A4');
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
  const initiation = attributeInitiation(
    investor.contacts,
    product.productId,
    command.step.at,
    command.attributionWindowDays,
    command.initiatedBy,
  );
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
        product: {
          riskLevel: product.riskLevel,
          ratingVersion: product.ratingVersion,
          horizon: product.horizon,
          varieties: product.varieties,
        },
        requiredDocuments: {
          riskDisclosure: product.riskDisclosure,
          specialRiskWarning: result.decision === 'mismatch_allowed_with_warning' ? product.specialRiskWarning : null,
        },
        step: command.step,
      },
    },
  ];
};

export const confirmDisclosure = (command: ConfirmRiskDisclosure, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'DISCLOSURE.NOT_BY_INVESTOR', 'A6');
  if (who) return who;
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
  const required = state.matching.requiredDocuments.riskDisclosure;
  if (command.document.contentHash !== required.contentHash) {
    return ruleViolation('DISCLOSURE.WRONG_VERSION', 'A6', 'the confirmed risk disclosure is not the version this product requires', {
      required,
    });
  }
  return [
    {
      type: EngagementEventType.RiskDisclosureConfirmed,
      data: { engagementId: state.engagementId, document: command.document, step: command.step },
    },
  ];
};

export const signWarning = (command: SignSpecialRiskWarning, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'WARNING.NOT_BY_INVESTOR', 'A5');
  if (who) return who;
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
  const required = state.matching.requiredDocuments.specialRiskWarning;
  if (!required) return conflict('WARNING.NOT_REQUIRED', 'the matching opinion is a match; no special risk warning applies', 'A5');
  if (command.document.contentHash !== required.contentHash) {
    return ruleViolation('WARNING.WRONG_VERSION', 'A5', 'the signed special risk warning is not the version for this product', {
      required,
    });
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

export const recordInsistence = (command: RecordInsistence, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'INSISTENCE.NOT_BY_INVESTOR', 'A5');
  if (who) return who;
  if (state.status === 'rescinded') return conflict('ENGAGEMENT.RESCINDED', 'this engagement was rescinded', 'A8');
  if (!state.matching.requiredDocuments.specialRiskWarning)
    return conflict('INSISTENCE.NOT_REQUIRED', 'the matching opinion is a match', 'A5');
  if (state.warningRatingVersion !== state.rating.ratingVersion) {
    return ruleViolation('INSISTENCE.WARNING_NOT_SIGNED', 'A5', 'sign the special risk warning before insisting');
  }
  if (!command.statement?.trim())
    return invalid('INSISTENCE.STATEMENT_REQUIRED', 'the investor states their insistence in their own words', 'A5');
  return [
    {
      type: EngagementEventType.InsistenceRecorded,
      data: {
        engagementId: state.engagementId,
        statement: command.statement,
        ratingVersion: state.rating.ratingVersion,
        step: command.step,
      },
    },
  ];
};

export const signContract = (command: SignContract, state: Engagement): EngagementEvent[] | DomainError => {
  const who = notByInvestor(state, command.step, 'CONTRACT.NOT_BY_INVESTOR', 'A6');
  if (who) return who;
  if (state.status !== 'matched') return conflict('CONTRACT.ALREADY_SIGNED', 'a contract is already signed for this engagement', 'A6');
  const violations: Violation[] = [];
  if (!state.disclosure) violations.push(v('A6', 'CONTRACT.RISK_DISCLOSURE_NOT_CONFIRMED', 'confirm the risk disclosure before signing'));
  if (state.matching.requiredDocuments.specialRiskWarning) {
    if (state.warningRatingVersion !== state.rating.ratingVersion)
      violations.push(v('A5', 'CONTRACT.SPECIAL_RISK_WARNING_NOT_SIGNED', 'sign the special risk warning first'));
    if (state.insistenceRatingVersion !== state.rating.ratingVersion)
      violations.push(v('A5', 'CONTRACT.INSISTENCE_NOT_RECORDED', 'record the insistence first'));
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
    return ruleViolation(
      'CONTRACT.PREVIEW_OUTDATED',
      'A6',
      `the contract to sign (serial ${command.serial}) is not the one previewed; preview it again`,
      {
        serial: command.serial,
        contentHash: document.contentHash,
      },
    );
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

/**
 * The special risk warning the investor signs by the hash of what they were shown (A5): the version the opinion
 * requires, or the current one when the opinion required none (the decider then refuses the signature).
 */
export const specialRiskWarningSigned = (state: Engagement, contentHash: string): SignSpecialRiskWarning['document'] => {
  const required = state.matching.requiredDocuments.specialRiskWarning;
  return required
    ? { ...required, contentHash }
    : {
        documentId: 'special-risk-warning',
        kind: 'special_risk_warning' as const,
        version: CURRENT_SPECIAL_RISK_WARNING_VERSION,
        contentHash,
      };
};
