import { MigrationInterface, QueryRunner } from 'typeorm';

/** Value-added read models: subscriptions (the renewal job's work list), tips and coupons. */
export class ValueAdded1764000320000 implements MigrationInterface {
  name = 'ValueAdded1764000320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE va_subscriptions (
        subscription_id        uuid PRIMARY KEY,
        investor_id            text NOT NULL,
        listing_id             text NOT NULL,
        kind                   text NOT NULL,
        plan                   jsonb NOT NULL,
        status                 text NOT NULL,
        period_start           timestamptz,
        period_end             timestamptz,
        cancel_at_period_end   boolean NOT NULL DEFAULT false,
        grace_ends_at          timestamptz,
        pending_payment_id     text,
        last_payment_id        text,
        created_at             timestamptz NOT NULL,
        updated_at             timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX va_subscriptions_investor_idx ON va_subscriptions (investor_id, listing_id)`);
    await q.query(`CREATE INDEX va_subscriptions_due_idx ON va_subscriptions (status, period_end)`);
    await q.query(`
      CREATE TABLE va_tips (
        tip_id             uuid PRIMARY KEY,
        investor_id        text NOT NULL,
        target_listing_id  text NOT NULL,
        amount_minor       bigint NOT NULL,
        currency           text NOT NULL,
        message            text,
        status             text NOT NULL,
        payment_id         text NOT NULL,
        business_date      date NOT NULL,
        created_at         timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX va_tips_investor_idx ON va_tips (investor_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE va_coupons (
        code          text PRIMARY KEY,
        terms         jsonb NOT NULL,
        redemptions   integer NOT NULL DEFAULT 0,
        issued_by     text NOT NULL,
        issued_at     timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE va_coupons');
    await q.query('DROP TABLE va_tips');
    await q.query('DROP TABLE va_subscriptions');
  }
}
