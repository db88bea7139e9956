import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The id of the master key that wrapped each personal-data key, so that master keys can rotate (new keys under the
 * current one, older ones still opened by theirs). Keys wrapped before carry none.
 */
export class PiiKeyIds1765000100000 implements MigrationInterface {
  name = 'PiiKeyIds1765000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE advisory_pii_keys ADD COLUMN key_id text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE advisory_pii_keys DROP COLUMN key_id');
  }
}
