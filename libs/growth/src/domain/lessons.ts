/**
 * Education before products (seed 000; G8): the lessons an investor has completed, one event-sourced stream per
 * investor (`growth.lessons-<investorId>`), so that a purchase decision can read it as a condition of its append, and
 * the pure check a purchase makes against the lessons its listing requires. Lessons are course listings of the
 * catalog; the requirement is a catalog feature of the listing (`requiredLessons`), the progress is the investor's.
 */
import { Decider, DomainError, DomainEvent, Step, forbidden, notFound, ruleViolation, unreachable } from '@app/common';

export const lessonProgressStreamId = (investorId: string) => `growth.lessons-${investorId}`;

export const LessonEventTypes = { Completed: 'growth.LessonCompleted' } as const;

export type LessonEvent = DomainEvent<
  typeof LessonEventTypes.Completed,
  { readonly investorId: string; readonly lessonId: string; readonly step: Step }
>;

export type LessonCommand = {
  readonly type: 'CompleteLesson';
  readonly investorId: string;
  readonly lessonId: string;
  /** What the catalog holds under the lesson's id: the kind of its listing, or null when there is no such listing. */
  readonly lessonKind: string | null;
  readonly step: Step;
};

export type LessonProgress = { readonly status: 'none' } | { readonly status: 'learning'; readonly completed: readonly string[] };

export const completedLessons = (progress: LessonProgress): readonly string[] => (progress.status === 'learning' ? progress.completed : []);

export const lessonProgressDecider: Decider<LessonCommand, LessonEvent, LessonProgress> = {
  initialState: { status: 'none' },
  decide(command, state) {
    if (command.step.actorId !== command.investorId)
      return forbidden('GROWTH.LESSON_NOT_YOURS', 'only the investor records their own lesson progress', 'G8');
    switch (command.type) {
      case 'CompleteLesson':
        // Only a course of the catalog is a lesson: progress on anything else could never satisfy a requirement.
        if (command.lessonKind !== 'course')
          return notFound('GROWTH.LESSON_NOT_FOUND', `no lesson ${command.lessonId}: it is not a course of the catalog`);
        // A lesson is completed once; completing it again records nothing.
        return completedLessons(state).includes(command.lessonId)
          ? []
          : [
              {
                type: LessonEventTypes.Completed,
                data: { investorId: command.investorId, lessonId: command.lessonId, step: command.step },
              },
            ];
      default:
        return unreachable(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case LessonEventTypes.Completed:
        return { status: 'learning', completed: [...completedLessons(state), event.data.lessonId] };
      default:
        return unreachable(event.type);
    }
  },
};

/**
 * G8: a listing that requires lessons is sold only to an investor who has completed every one of them. Returns the
 * refusal (naming the missing lessons) or undefined.
 */
export const checkLessonsCompleted = (required: readonly string[] | undefined, progress: LessonProgress): DomainError | undefined => {
  const done = new Set(completedLessons(progress));
  const missing = (required ?? []).filter((lessonId) => !done.has(lessonId));
  return missing.length === 0
    ? undefined
    : ruleViolation(
        'EDUCATION.LESSONS_REQUIRED',
        'G8',
        `complete the required lessons before buying this product (education before products): ${missing.length} missing`,
        { missingLessons: missing },
      );
};
