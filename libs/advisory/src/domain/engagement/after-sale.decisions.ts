/** Decisions after the sale (A8): rescission within its working-day window, and the return visit by compliance staff. */
import { DomainError, conflict, forbidden, invalid, ruleViolation } from '@app/common';
import { RESCISSION_WORKING_DAYS } from '../documents';
import { isBefore } from '../shared';
import { CompleteReturnVisit, RescindContract } from './engagement.commands';
import { EngagementEvent, EngagementEventType, RETURN_VISIT_CHECKLIST, ReturnVisitChecklist } from './engagement.events';
import { Engagement, notByInvestor } from './engagement.state';
import { RETURN_VISIT_COOLING_OFF_HOURS } from './purchase.decisions';

export const SALES_ROLES = ['advisor', 'sales'] as const;

export const rescind = (command: RescindContract, state: Engagement): EngagementEvent[] | DomainError => {
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
    return conflict(
      'RESCISSION.PAYMENT_PENDING',
      'a payment under this contract is still being processed; rescind once it has settled',
      'A8',
    );
  }
  const captured = payments.filter((p) => p.status === 'captured');
  if (command.refundIds.length < captured.length)
    return invalid('RESCISSION.REFUND_IDS_MISSING', 'one refund id per captured payment is needed', 'A8');
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

export const completeReturnVisit = (command: CompleteReturnVisit, state: Engagement): EngagementEvent[] | DomainError => {
  if (!state.returnVisit) return conflict('RETURN_VISIT.NOT_QUEUED', 'no return visit is due for this sale', 'A8');
  if (state.returnVisit.status === 'completed')
    return conflict('RETURN_VISIT.ALREADY_COMPLETED', 'the return visit is already recorded', 'A8');
  if (state.status === 'rescinded') return conflict('RETURN_VISIT.CONTRACT_RESCINDED', 'the contract was rescinded', 'A8');
  const inSales =
    command.staffRoles.some((r) => (SALES_ROLES as readonly string[]).includes(r)) ||
    state.contract?.advisors.some((a) => a.advisorId === command.step.actorId);
  if (inSales) return forbidden('RETURN_VISIT.STAFF_IN_SALES', 'return visits are made by staff outside sales', 'A8');
  if (!command.staffRoles.includes('compliance_officer'))
    return forbidden('RETURN_VISIT.NOT_COMPLIANCE_STAFF', 'return visits are made by compliance staff', 'A8');
  if (isBefore(command.step.at, state.returnVisit.workableFrom)) {
    return ruleViolation('RETURN_VISIT.COOLING_OFF', 'A8', `the ${RETURN_VISIT_COOLING_OFF_HOURS}-hour cooling-off period has not ended`, {
      workableFrom: state.returnVisit.workableFrom,
    });
  }
  const missing = RETURN_VISIT_CHECKLIST.filter((item) => typeof command.checklist[item] !== 'boolean');
  if (missing.length > 0)
    return ruleViolation('RETURN_VISIT.CHECKLIST_INCOMPLETE', 'A8', `checklist items not recorded: ${missing.join(', ')}`, { missing });
  const checklist = Object.fromEntries(
    RETURN_VISIT_CHECKLIST.map((item) => [item, command.checklist[item] as boolean]),
  ) as unknown as ReturnVisitChecklist;
  const outcome = RETURN_VISIT_CHECKLIST.every((item) => checklist[item]) ? 'confirmed' : 'follow_up_required';
  return [
    {
      type: EngagementEventType.ReturnVisitCompleted,
      data: { engagementId: state.engagementId, checklist, outcome, notes: command.notes ?? '', step: command.step },
    },
  ];
};
