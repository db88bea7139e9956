import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, existing } from '../engagement-access';
import { CompleteReturnVisitCommand } from './complete-return-visit.command';

/** A8: staff outside sales record the return visit; the decider checks role, cooling-off and the checklist. */
@CommandHandler(CompleteReturnVisitCommand)
export class CompleteReturnVisitHandler implements ICommandHandler<CompleteReturnVisitCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute(c: CompleteReturnVisitCommand) {
    const stream = engagementStreamId(c.engagementId);
    return this.aggregates.handle(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        existing((await reads.load(engagementDecider, stream)).state, c.engagementId);
        return {
          type: 'CompleteReturnVisit',
          engagementId: c.engagementId,
          staffRoles: c.context.actor.roles,
          checklist: c.checklist,
          notes: c.notes,
          step: stepOf(c.context),
        };
      },
      c.context,
      ({ state }) => engagementView(state),
    );
  }
}
