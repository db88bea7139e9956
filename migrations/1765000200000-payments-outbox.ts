import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payments outbox: one row per charge or refund recorded in the log and not yet settled, kept by a projection of
 * the log (so it is as durable as the events and rebuilt from them). The re-driver works through it; its size and
 * oldest row are the backlog that readiness and metrics report.
 */
export class PaymentsOutbox1765000200000 implements MigrationInterface {
  name = 'PaymentsOutbox1765000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payments_outbox (
        outbox_id     text PRIMARY KEY,
        kind          text NOT NULL CHECK (kind IN ('charge', 'refund')),
        payment_id    uuid NOT NULL,
        refund_id     text,
        amount_minor  bigint NOT NULL,
        currency      text NOT NULL,
        method        text,
        requested_at  timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX payments_outbox_requested_idx ON payments_outbox (requested_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payments_outbox');
  }
}
