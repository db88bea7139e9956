import { deciderSpec } from '@app/common/testing';
import { checkLessonsCompleted, lessonProgressDecider } from './lessons';

const spec = deciderSpec(lessonProgressDecider);
const step = { actorId: 'inv-1', at: '2026-12-01T01:00:00.000Z', channel: 'app' as const };
const completed = (lessonId: string) => ({ type: 'growth.LessonCompleted' as const, data: { investorId: 'inv-1', lessonId, step } });

describe('education before products (G8)', () => {
  it('G8: the investor completes a lesson', () =>
    spec
      .given([])
      .when({ type: 'CompleteLesson', investorId: 'inv-1', lessonId: 'l1', lessonKind: 'course', step })
      .then([completed('l1')]));

  it('G8: completing it again records nothing', () =>
    spec
      .given([completed('l1')])
      .when({ type: 'CompleteLesson', investorId: 'inv-1', lessonId: 'l1', lessonKind: 'course', step })
      .then([]));

  it('G8: nobody completes lessons for the investor', () => {
    spec
      .given([])
      .when({ type: 'CompleteLesson', investorId: 'inv-1', lessonId: 'l1', lessonKind: 'course', step: { ...step, actorId: 'other' } })
      .thenFails('GROWTH.LESSON_NOT_YOURS', 'G8');
  });

  it('G8: only a course of the catalog is a lesson: another listing, or no listing at all, is not found', () => {
    spec
      .given([])
      .when({ type: 'CompleteLesson', investorId: 'inv-1', lessonId: 'l9', lessonKind: 'level2_data', step })
      .thenFails('GROWTH.LESSON_NOT_FOUND');
    spec
      .given([])
      .when({ type: 'CompleteLesson', investorId: 'inv-1', lessonId: 'l9', lessonKind: null, step })
      .thenFails('GROWTH.LESSON_NOT_FOUND');
  });

  it('G8: a purchase is refused while a required lesson is missing, naming it', () => {
    const progress = [completed('l1')].reduce(lessonProgressDecider.evolve, lessonProgressDecider.initialState);
    const refusal = checkLessonsCompleted(['l1', 'l2'], progress);
    expect(refusal).toMatchObject({
      kind: 'rule_violation',
      code: 'EDUCATION.LESSONS_REQUIRED',
      rule: 'G8',
      details: { missingLessons: ['l2'] },
    });
  });

  it('G8: with every required lesson completed, or none required, the purchase may go on', () => {
    const progress = [completed('l1'), completed('l2')].reduce(lessonProgressDecider.evolve, lessonProgressDecider.initialState);
    expect(checkLessonsCompleted(['l1', 'l2'], progress)).toBeUndefined();
    expect(checkLessonsCompleted(undefined, lessonProgressDecider.initialState)).toBeUndefined();
  });
});
