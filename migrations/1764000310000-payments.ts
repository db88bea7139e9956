import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments read model, and idempotency records. An idempotency record is claimed before the work starts (so a
 * concurrent duplicate sees it in progress) and completed with the response in the same transaction as the events the
 * request produced.
 */
export class Payments1764000310000 implements MigrationInterface {
  name = 'Payments1764000310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payments_view (
        payment_id        uuid PRIMARY KEY,
        payer_id          text NOT NULL,
        payee             text NOT NULL,
        amount_minor      bigint NOT NULL,
        currency          text NOT NULL,
        purpose           text NOT NULL,
        reference_id      text NOT NULL,
        method            text,
        status            text NOT NULL,
        captured_minor    bigint NOT NULL DEFAULT 0,
        refunded_minor    bigint NOT NULL DEFAULT 0,
        refunds           jsonb NOT NULL DEFAULT '[]',
        created_at        timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX payments_view_payer_idx ON payments_view (payer_id, created_at DESC)`);
    await q.query(`CREATE INDEX payments_view_reference_idx ON payments_view (reference_id)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id           text NOT NULL,
        idempotency_key   text NOT NULL,
        request_hash      text NOT NULL,
        claim_token       uuid NOT NULL,
        status            text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        response_status   integer,
        response_body     jsonb,
        claimed_at        timestamptz NOT NULL,
        completed_at      timestamptz,
        expires_at        timestamptz NOT NULL,
        PRIMARY KEY (user_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP TABLE payments_view');
  }
}
