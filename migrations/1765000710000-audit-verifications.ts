import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Log verifications started from the API: one row per job, with its progress while it runs and its result after.
 * These rows are operational records, not evidence: the request itself is recorded in the log as an access event (E5),
 * and a job's row is updated as it advances.
 */
export class AuditVerifications1765000710000 implements MigrationInterface {
  name = 'AuditVerifications1765000710000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_verifications (
        id              uuid PRIMARY KEY,
        requested_by    text NOT NULL,
        reason          text NOT NULL,
        access_id       uuid NOT NULL,
        status          text NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'error', 'interrupted')),
        events_checked  bigint NOT NULL DEFAULT 0,
        events_total    bigint NOT NULL,
        result          jsonb,
        started_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        finished_at     timestamptz
      )`);
    await q.query(`CREATE INDEX audit_verifications_started_idx ON audit_verifications (started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_verifications`);
  }
}
