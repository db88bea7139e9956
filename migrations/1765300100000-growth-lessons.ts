import { MigrationInterface, QueryRunner } from 'typeorm';

/** Education before products (G8): the listings' titles and whether they are on sale, for the learning path. */
export class GrowthLessons1765300100000 implements MigrationInterface {
  name = 'GrowthLessons1765300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE growth_listings ADD COLUMN title text NOT NULL DEFAULT '', ADD COLUMN published boolean NOT NULL DEFAULT false`,
    );
    await q.query(`CREATE INDEX growth_listings_lessons_idx ON growth_listings USING gin (required_lessons)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX growth_listings_lessons_idx');
    await q.query('ALTER TABLE growth_listings DROP COLUMN title, DROP COLUMN published');
  }
}
