import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every API instance (login and registration per address and per account, money-moving
 * routes per user): one row per key and window, changed by one atomic upsert. And a partial index over the users'
 * streams, through which each instance finds, about once a second, the users whose sessions another instance may have
 * ended (a few rows, whatever the rest of the log does); an append elsewhere only evaluates its predicate.
 */
export class IdentitySessions1765000400000 implements MigrationInterface {
  name = 'IdentitySessions1765000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE throttle_counters (
        key            text PRIMARY KEY,
        hits           integer NOT NULL,
        expires_at     timestamptz NOT NULL,
        blocked_until  timestamptz
      )`);
    await q.query(`CREATE INDEX throttle_counters_expiry_idx ON throttle_counters (expires_at)`);
    await q.query(`CREATE INDEX events_user_streams_idx ON events (tx_id) WHERE stream_id LIKE 'user-%'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX events_user_streams_idx');
    await q.query('DROP TABLE throttle_counters');
  }
}
