import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, loadEngagement } from '../engagement-access';
import { CompleteReturnVisitCommand } from './complete-return-visit.command';

/** A8: staff outside sales record the return visit; the decider checks role, cooling-off and the checklist. */
@CommandHandler(CompleteReturnVisitCommand)
export class CompleteReturnVisitHandler implements ICommandHandler<CompleteReturnVisitCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: CompleteReturnVisitCommand) {
    await loadEngagement(this.store, c.engagementId);
    const { state } = await this.store.execute(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'CompleteReturnVisit', engagementId: c.engagementId, staffRoles: c.context.actor.roles, checklist: c.checklist, notes: c.notes, step: stepOf(c.context) },
      c.context,
    );
    return engagementView(state);
  }
}
