import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rewards context's read models (rebuildable from the log): points balances with their open lots and recent
 * history, campaign budgets, and up/down game rounds.
 */
export class Rewards1765500000000 implements MigrationInterface {
  name = 'Rewards1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rewards_ledgers (
        investor_id  text PRIMARY KEY,
        balance      integer NOT NULL CHECK (balance >= 0),
        lots         jsonb NOT NULL DEFAULT '[]',
        next_expiry  timestamptz,
        history      jsonb NOT NULL DEFAULT '[]',
        updated_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rewards_ledgers_next_expiry ON rewards_ledgers (next_expiry) WHERE next_expiry IS NOT NULL`);
    await q.query(`
      CREATE TABLE rewards_budgets (
        campaign_id        text PRIMARY KEY,
        points_limit       bigint NOT NULL,
        points_spent       bigint NOT NULL,
        money_limit_minor  bigint NOT NULL,
        money_spent_minor  bigint NOT NULL,
        currency           text NOT NULL,
        charges            integer NOT NULL,
        updated_at         timestamptz NOT NULL,
        CHECK (points_spent <= points_limit AND money_spent_minor <= money_limit_minor)
      )`);
    await q.query(`
      CREATE TABLE rewards_up_down_rounds (
        round_id        text PRIMARY KEY,
        index_code      text NOT NULL,
        trading_day     text NOT NULL,
        cutoff_at       timestamptz NOT NULL,
        reward_points   integer NOT NULL,
        status          text NOT NULL,
        predicted_up    integer NOT NULL,
        predicted_down  integer NOT NULL,
        outcome         text,
        winners         integer NOT NULL,
        settled_at      timestamptz
      )`);
    await q.query(`CREATE INDEX rewards_up_down_rounds_open ON rewards_up_down_rounds (cutoff_at) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rewards_up_down_rounds`);
    await q.query(`DROP TABLE rewards_budgets`);
    await q.query(`DROP TABLE rewards_ledgers`);
  }
}
