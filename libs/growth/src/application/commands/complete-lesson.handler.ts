import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
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
      { type: 'CompleteLesson', investorId, lessonId, step: stepOf(context) },
      context,
      ({ state }) => ({ completedLessons: completedLessons(state) }),
    );
  }
}
