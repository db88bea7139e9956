import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Professional-investor applications (A2) as compliance reviews them: the evidence the investor submitted, who applied
 * and, once reviewed, who decided and why. Filled from the log by the advisory projection (a rebuild replays the
 * applications made before this migration).
 */
export class AdvisoryProfessionalApplications1766400100000 implements MigrationInterface {
  name = 'AdvisoryProfessionalApplications1766400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE advisory_professional_applications (
        application_id  text PRIMARY KEY,
        investor_id     text NOT NULL,
        evidence        jsonb NOT NULL,
        status          text NOT NULL,
        applied_at      timestamptz NOT NULL,
        applied_by      text NOT NULL,
        reviewed_at     timestamptz,
        reviewed_by     text,
        review_reason   text
      )`);
    await q.query(`CREATE INDEX advisory_professional_applications_status_idx ON advisory_professional_applications (status, applied_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE advisory_professional_applications');
  }
}
