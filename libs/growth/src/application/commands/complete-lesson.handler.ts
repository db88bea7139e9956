import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { listingDecider, listingStreamId } from '@app/catalog';
import { CommandContext, stepOf } from '@app/common';
import { AggregateStore } from '@app/platform';
import { completedLessons, lessonProgressDecider, lessonProgressStreamId } from '../../domain/lessons';

export class CompleteLessonCommand implements ICommand {
  constructor(
    readonly lessonId: string,
    readonly context: CommandContext,
  ) {}
}

/** G8: the investor records a lesson (a course listing) as completed; the answer lists every lesson completed. */
@CommandHandler(CompleteLessonCommand)
export class CompleteLessonHandler implements ICommandHandler<CompleteLessonCommand, { completedLessons: readonly string[] }> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ lessonId, context }: CompleteLessonCommand): Promise<{ completedLessons: readonly string[] }> {
    const investorId = context.actor.id;
    return this.aggregates.handle(
      lessonProgressDecider,
      lessonProgressStreamId(investorId),
      // The lesson's listing is read with the decision (a condition of its append), not from a read model.
      async (reads) => {
        const { state } = await reads.load(listingDecider, listingStreamId(lessonId));
        const lessonKind = state.status === 'none' ? null : state.content.kind;
        return { type: 'CompleteLesson' as const, investorId, lessonId, lessonKind, step: stepOf(context) };
      },
      context,
      ({ state }) => ({ completedLessons: completedLessons(state) }),
    );
  }
}
