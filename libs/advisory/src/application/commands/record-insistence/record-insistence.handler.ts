import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, ownEngagement } from '../engagement-access';
import { RecordInsistenceCommand } from './record-insistence.command';

@CommandHandler(RecordInsistenceCommand)
export class RecordInsistenceHandler implements ICommandHandler<RecordInsistenceCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: RecordInsistenceCommand) {
    await ownEngagement(this.store, c.engagementId, c.context);
    const { state } = await this.store.execute(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'RecordInsistence', engagementId: c.engagementId, statement: c.statement, step: stepOf(c.context) },
      c.context,
    );
    return engagementView(state);
  }
}
