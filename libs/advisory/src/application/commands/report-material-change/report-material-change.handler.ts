import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { InvestorEventType, investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ReportMaterialChangeCommand } from './report-material-change.command';

@CommandHandler(ReportMaterialChangeCommand)
export class ReportMaterialChangeHandler implements ICommandHandler<ReportMaterialChangeCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute(c: ReportMaterialChangeCommand) {
    return this.aggregates.handle(
      investorDecider,
      investorStreamId(c.context.actor.id),
      { type: 'ReportMaterialChange', description: c.description, profile: c.profile, step: stepOf(c.context) },
      c.context,
      ({ events }) => {
        const reported = events.find((event) => event.type === InvestorEventType.MaterialChangeReported);
        return {
          withdrawnAssessmentId: reported?.type === InvestorEventType.MaterialChangeReported ? reported.data.withdrawnAssessmentId : null,
          reassessmentRequired: true,
        };
      },
    );
  }
}
