import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ReportMaterialChangeCommand } from './report-material-change.command';

@CommandHandler(ReportMaterialChangeCommand)
export class ReportMaterialChangeHandler implements ICommandHandler<ReportMaterialChangeCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ReportMaterialChangeCommand) {
    const { events } = await this.store.execute(
      investorDecider,
      investorStreamId(c.context.actor.id),
      { type: 'ReportMaterialChange', description: c.description, profile: c.profile, step: stepOf(c.context) },
      c.context,
    );
    const reported = events[0];
    return { withdrawnAssessmentId: reported.type === 'advisory.MaterialChangeReported' ? reported.data.withdrawnAssessmentId : null, reassessmentRequired: true };
  }
}
