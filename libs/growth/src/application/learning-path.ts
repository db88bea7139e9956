/**
 * A newcomer's learning path (seed 000; G8): the lessons that on-sale listings require, the ones that unlock the most
 * products first, each with whether the investor completed it and what it unlocks.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface LearningPathLesson {
  readonly lessonId: string;
  readonly title: string;
  readonly completed: boolean;
  readonly completedAt: string | null;
  readonly unlocks: readonly { readonly listingId: string; readonly title: string; readonly kind: string }[];
}

export interface LearningPath {
  readonly investorId: string;
  readonly lessons: readonly LearningPathLesson[];
  readonly completed: number;
  /** The first lesson not completed yet, in the path's order (null when none is left). */
  readonly nextLessonId: string | null;
}

@Injectable()
export class LearningPathQuery {
  constructor(private readonly dataSource: DataSource) {}

  async of(investorId: string): Promise<LearningPath> {
    const rows: {
      lesson_id: string;
      title: string | null;
      completed_at: Date | null;
      unlocks: { listingId: string; title: string; kind: string }[];
    }[] = await this.dataSource.query(
      `SELECT r.lesson_id, lesson.title, c.completed_at,
              json_agg(json_build_object('listingId', l.listing_id, 'title', l.title, 'kind', l.kind) ORDER BY l.listing_id) AS unlocks
         FROM growth_listings l
         CROSS JOIN LATERAL unnest(l.required_lessons) AS r (lesson_id)
         LEFT JOIN growth_listings lesson ON lesson.listing_id = r.lesson_id
         LEFT JOIN growth_lessons_completed c ON c.investor_id = $1 AND c.lesson_id = r.lesson_id
        WHERE l.published
        GROUP BY r.lesson_id, lesson.title, c.completed_at
        ORDER BY count(*) DESC, r.lesson_id
        LIMIT 200`,
      [investorId],
    );
    const lessons = rows.map((row) => ({
      lessonId: row.lesson_id,
      title: row.title ?? '',
      completed: row.completed_at !== null,
      completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
      unlocks: row.unlocks,
    }));
    return {
      investorId,
      lessons,
      completed: lessons.filter((lesson) => lesson.completed).length,
      nextLessonId: lessons.find((lesson) => !lesson.completed)?.lessonId ?? null,
    };
  }
}
