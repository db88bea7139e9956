import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Advisory context: the personal-data vault (mutable on purpose: shredding deletes a key, E3), contract serial
 * reservations, and the read models the advisory queries use. Read models are rebuildable from the event log.
 */
export class Advisory1764000400000 implements MigrationInterface {
  name = 'Advisory1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE advisory_pii_keys (
        subject_id   text PRIMARY KEY,
        iv           bytea NOT NULL,
        tag          bytea NOT NULL,
        wrapped_key  bytea NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE advisory_pii_records (
        ref          text PRIMARY KEY,
        subject_id   text NOT NULL,
        iv           bytea NOT NULL,
        tag          bytea NOT NULL,
        ciphertext   bytea NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX advisory_pii_records_subject ON advisory_pii_records (subject_id)`);
    await q.query(`
      CREATE TABLE advisory_contract_serials (
        serial         text PRIMARY KEY,
        engagement_id  text NOT NULL,
        reserved_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE advisory_investors (
        investor_id             text PRIMARY KEY,
        national_id_masked      text NOT NULL,
        mobile_masked           text NOT NULL,
        legal_name_masked       text NOT NULL,
        profile                 jsonb NOT NULL,
        classification          text NOT NULL,
        pending_application_id  text,
        assessment_id           text,
        category                text,
        lowest_category         boolean,
        assessment_valid_until  timestamptz,
        assessment_confirmed    boolean NOT NULL DEFAULT false,
        assessment_withdrawn    boolean NOT NULL DEFAULT false,
        pii_shredded            boolean NOT NULL DEFAULT false,
        opened_at               timestamptz NOT NULL,
        updated_at              timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE advisory_assessments (
        assessment_id          text PRIMARY KEY,
        investor_id            text NOT NULL,
        questionnaire_version  text NOT NULL,
        questionnaire_hash     text NOT NULL,
        score                  integer NOT NULL,
        category               text NOT NULL,
        lowest_category        boolean NOT NULL,
        assessed_at            timestamptz NOT NULL,
        valid_until            timestamptz NOT NULL,
        confirmed_at           timestamptz,
        withdrawn_at           timestamptz
      )`);
    await q.query(`CREATE INDEX advisory_assessments_investor ON advisory_assessments (investor_id, assessed_at)`);
    await q.query(`
      CREATE TABLE advisory_engagements (
        engagement_id        text PRIMARY KEY,
        investor_id          text NOT NULL,
        product_id           text NOT NULL,
        plan_id              text NOT NULL,
        status               text NOT NULL,
        decision             text NOT NULL,
        rule_set_version     text NOT NULL,
        risk_level           text NOT NULL,
        rating_version       integer NOT NULL,
        contract_serial      text,
        rescission_deadline  timestamptz,
        subscription_id      text,
        period_end           timestamptz,
        paid_minor           bigint NOT NULL DEFAULT 0,
        currency             text,
        renewal_blocked      boolean NOT NULL DEFAULT false,
        refund_id            text,
        updated_at           timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX advisory_engagements_product ON advisory_engagements (product_id, status)`);
    await q.query(`CREATE INDEX advisory_engagements_investor ON advisory_engagements (investor_id)`);
    await q.query(`
      CREATE TABLE advisory_return_visits (
        engagement_id  text PRIMARY KEY,
        investor_id    text NOT NULL,
        product_id     text NOT NULL,
        reasons        text[] NOT NULL,
        workable_from  timestamptz NOT NULL,
        status         text NOT NULL,
        completed_by   text,
        outcome        text,
        checklist      jsonb,
        completed_at   timestamptz
      )`);
    await q.query(`CREATE INDEX advisory_return_visits_queue ON advisory_return_visits (status, workable_from)`);
    await q.query(`
      CREATE TABLE advisory_advice (
        advice_id     text PRIMARY KEY,
        product_id    text NOT NULL,
        advisor_id    text NOT NULL,
        advisor_name  text NOT NULL,
        sac_code      text NOT NULL,
        content       text NOT NULL,
        content_hash  text NOT NULL,
        basis         jsonb NOT NULL,
        published_at  timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX advisory_advice_product ON advisory_advice (product_id, published_at)`);
    await q.query(`
      CREATE TABLE advisory_notifications (
        event_id     text PRIMARY KEY,
        investor_id  text NOT NULL,
        product_id   text NOT NULL,
        kind         text NOT NULL,
        data         jsonb NOT NULL,
        created_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX advisory_notifications_investor ON advisory_notifications (investor_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'advisory_notifications',
      'advisory_advice',
      'advisory_return_visits',
      'advisory_engagements',
      'advisory_assessments',
      'advisory_investors',
      'advisory_contract_serials',
      'advisory_pii_records',
      'advisory_pii_keys',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
