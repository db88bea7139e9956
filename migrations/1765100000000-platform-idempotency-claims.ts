import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency records are written with the events they answer for, always as 'completed'. Rows still 'in_progress' can
 * only be claims of requests that crashed under the version that claimed keys before working: they recorded no
 * effect, so they are dropped, and the recording statement no longer needs to take them over.
 */
export class PlatformIdempotencyClaims1765100000000 implements MigrationInterface {
  name = 'PlatformIdempotencyClaims1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_keys WHERE status = 'in_progress'`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the dropped claims recorded no effect.
  }
}
