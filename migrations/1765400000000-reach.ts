import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reach context's read models: consent per investor and channel (G1), every message sent with its delivery and
 * opening (the inbox, the campaign reports and the compliance listing per product, G4), campaigns with their counts,
 * and each campaign's held-out control group. All rebuilt from the log.
 */
export class Reach1765400000000 implements MigrationInterface {
  name = 'Reach1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reach_consents (
        investor_id  text NOT NULL,
        channel      text NOT NULL,
        granted      boolean NOT NULL,
        via          text NOT NULL,
        updated_at   timestamptz NOT NULL,
        PRIMARY KEY (investor_id, channel)
      )`);
    await q.query(`
      CREATE TABLE reach_messages (
        message_id    text PRIMARY KEY,
        investor_id   text NOT NULL,
        channel       text NOT NULL,
        campaign_id   text,
        product_id    text,
        title         text NOT NULL,
        body          text NOT NULL,
        sent_by       text NOT NULL,
        sent_at       timestamptz NOT NULL,
        status        text NOT NULL,
        error         text,
        delivered_at  timestamptz,
        opened_at     timestamptz
      )`);
    await q.query(`CREATE INDEX reach_messages_inbox ON reach_messages (investor_id, sent_at DESC, message_id) WHERE channel = 'in_app'`);
    await q.query(`CREATE INDEX reach_messages_product ON reach_messages (product_id, message_id) WHERE product_id IS NOT NULL`);
    await q.query(`CREATE INDEX reach_messages_campaign ON reach_messages (campaign_id, investor_id) WHERE campaign_id IS NOT NULL`);
    await q.query(`CREATE INDEX reach_messages_undelivered ON reach_messages (sent_at) WHERE status = 'sent'`);
    await q.query(`
      CREATE TABLE reach_campaigns (
        campaign_id   text PRIMARY KEY,
        name          text NOT NULL,
        spec          jsonb NOT NULL,
        schedule_kind text NOT NULL,
        due_at        timestamptz,
        status        text NOT NULL,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL,
        started_at    timestamptz,
        fanned_out_at timestamptz,
        start_reason  text,
        trigger       jsonb,
        completed_at  timestamptz,
        batches       integer NOT NULL DEFAULT 0,
        cursor        text,
        attempted     integer NOT NULL DEFAULT 0,
        sent          integer NOT NULL DEFAULT 0,
        withheld      integer NOT NULL DEFAULT 0,
        refused       jsonb NOT NULL DEFAULT '{}',
        control       integer NOT NULL DEFAULT 0,
        opened        integer NOT NULL DEFAULT 0,
        delivered     integer NOT NULL DEFAULT 0,
        failed        integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX reach_campaigns_open ON reach_campaigns (status) WHERE status IN ('scheduled', 'running')`);
    await q.query(`
      CREATE TABLE reach_campaign_control (
        campaign_id  text NOT NULL,
        investor_id  text NOT NULL,
        PRIMARY KEY (campaign_id, investor_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reach_campaign_control, reach_campaigns, reach_messages, reach_consents`);
  }
}
