import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { AssessmentRecord, InvestorState, investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ConfirmAssessmentCommand } from './confirm-risk-assessment.command';

const latestAssessment = (state: InvestorState): AssessmentRecord | undefined => (state.status === 'open' ? state.assessments[state.assessments.length - 1] : undefined);

@CommandHandler(ConfirmAssessmentCommand)
export class ConfirmAssessmentHandler implements ICommandHandler<ConfirmAssessmentCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ConfirmAssessmentCommand) {
    const { state } = await this.store.execute(investorDecider, investorStreamId(c.context.actor.id), { type: 'ConfirmRiskAssessment', assessmentId: c.assessmentId, step: stepOf(c.context) }, c.context);
    const result = latestAssessment(state)!;
    return { assessmentId: result.assessmentId, category: result.category, lowestCategory: result.lowestCategory, validUntil: result.validUntil, confirmed: true };
  }
}
