import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { RecordInsistenceCommand } from './record-insistence.command';

@CommandHandler(RecordInsistenceCommand)
export class RecordInsistenceHandler implements ICommandHandler<RecordInsistenceCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute(c: RecordInsistenceCommand) {
    const stream = engagementStreamId(c.engagementId);
    return this.aggregates.handle(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        owned((await reads.load(engagementDecider, stream)).state, c.engagementId, c.context);
        return { type: 'RecordInsistence', engagementId: c.engagementId, statement: c.statement, step: stepOf(c.context) };
      },
      c.context,
      ({ state }) => engagementView(state),
    );
  }
}
