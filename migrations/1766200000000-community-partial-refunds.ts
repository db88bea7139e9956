import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial refunds of community tips: what has been given back of each tip so far (a tip is `reversed` only once
 * wholly given back), and each reversal kept (the last one alone was kept before). Rebuilt from the log.
 */
export class CommunityPartialRefunds1766200000000 implements MigrationInterface {
  name = 'CommunityPartialRefunds1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE community_tips ADD COLUMN reversed_minor bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE community_tips ADD COLUMN reversals jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE community_tips DROP COLUMN reversals`);
    await q.query(`ALTER TABLE community_tips DROP COLUMN reversed_minor`);
  }
}
