import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { assessmentOf, investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ConfirmAssessmentCommand } from './confirm-risk-assessment.command';

@CommandHandler(ConfirmAssessmentCommand)
export class ConfirmAssessmentHandler implements ICommandHandler<ConfirmAssessmentCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute(c: ConfirmAssessmentCommand) {
    return this.aggregates.handle(
      investorDecider,
      investorStreamId(c.context.actor.id),
      { type: 'ConfirmRiskAssessment', assessmentId: c.assessmentId, step: stepOf(c.context) },
      c.context,
      ({ state }) => {
        // The decider confirms only an open account's latest assessment, so the confirmed one is there.
        const result = assessmentOf(state, c.assessmentId);
        return {
          assessmentId: c.assessmentId,
          category: result?.category ?? null,
          lowestCategory: result?.lowestCategory ?? false,
          validUntil: result?.validUntil ?? null,
          confirmed: true,
        };
      },
    );
  }
}
