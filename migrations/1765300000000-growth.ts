import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The growth context's tables (G7). Activity is not regulated evidence: it lives here, outside the event log and so
 * outside the Merkle-sealed audit log, append-only, partitioned by day (Asia/Shanghai calendar days as UTC ranges) so
 * that the retention job drops whole partitions. Everything else here is a rollup kept incrementally by the ingest
 * statement or the server-activity feed, and can be rebuilt from the activity that is still retained.
 */
export class Growth1765300000000 implements MigrationInterface {
  name = 'Growth1765300000000';

  async up(q: QueryRunner): Promise<void> {
    // Who may be counted: registration (for "new" and cohorts) and the analytics consent (G7), from the log.
    await q.query(`
      CREATE TABLE growth_investors (
        investor_id        text PRIMARY KEY,
        registered_at      timestamptz,
        analytics_consent  boolean NOT NULL DEFAULT false,
        consent_changed_at timestamptz
      )`);
    await q.query(`CREATE INDEX growth_investors_registered_idx ON growth_investors (registered_at)`);

    // The raw activity, append-only, one partition per day. The key includes the partition key (PostgreSQL requires
    // it): a client resending an event resends it with the same instant, so (investor, client event id, at) is the
    // idempotency key.
    await q.query(`
      CREATE TABLE growth_activity (
        at               timestamptz NOT NULL,
        investor_id      text NOT NULL,
        client_event_id  text NOT NULL,
        type             text NOT NULL,
        source           text NOT NULL CHECK (source IN ('app', 'server')),
        product_kind     text,
        properties       jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (investor_id, client_event_id, at)
      ) PARTITION BY RANGE (at)`);
    await q.query(`CREATE INDEX growth_activity_investor_at_idx ON growth_activity (investor_id, at)`);

    // Versioned activity definitions (what "active" means from a date on).
    await q.query(`
      CREATE TABLE growth_activity_definitions (
        version        integer PRIMARY KEY,
        effective_from date NOT NULL UNIQUE,
        activity_types text[] NOT NULL CHECK (cardinality(activity_types) > 0),
        description    text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO growth_activity_definitions (version, effective_from, activity_types, description) VALUES
        (1, DATE '2000-01-01', ARRAY['app_opened', 'logged_in'], 'logged in (or opened the app) that day'),
        (2, DATE '2026-07-01', ARRAY['watchlist_viewed', 'positions_viewed'], 'viewed the watchlist or positions that day')`);

    // Rollups, kept by the ingest statement: who was active per day, ISO week and month (Asia/Shanghai calendar).
    await q.query(`
      CREATE TABLE growth_daily_active (
        day         date NOT NULL,
        investor_id text NOT NULL,
        version     integer NOT NULL,
        PRIMARY KEY (day, investor_id)
      )`);
    await q.query(`
      CREATE TABLE growth_weekly_active (
        week        date NOT NULL,
        investor_id text NOT NULL,
        PRIMARY KEY (week, investor_id)
      )`);
    // kind: how the investor is counted in the month's MAU identity (retained, new or returned).
    await q.query(`
      CREATE TABLE growth_monthly_active (
        month       date NOT NULL,
        investor_id text NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('retained', 'new', 'returned')),
        PRIMARY KEY (month, investor_id)
      )`);
    await q.query(`CREATE INDEX growth_monthly_active_kind_idx ON growth_monthly_active (month, kind)`);

    // The funnel: per investor and product kind, when each stage was first reached (earlier stages implied).
    await q.query(`
      CREATE TABLE growth_funnel (
        product_kind     text NOT NULL,
        investor_id      text NOT NULL,
        aware_at         timestamptz,
        interested_at    timestamptz,
        learned_rules_at timestamptz,
        tried_at         timestamptz,
        prepared_at      timestamptz,
        permitted_at     timestamptz,
        transacted_at    timestamptz,
        PRIMARY KEY (product_kind, investor_id)
      )`);
    await q.query(`CREATE INDEX growth_funnel_aware_idx ON growth_funnel (product_kind, aware_at)`);

    // Listings as the feed sees them (family and kind), and which listing a payment paid for.
    await q.query(`
      CREATE TABLE growth_listings (
        listing_id text PRIMARY KEY,
        family     text NOT NULL,
        kind       text NOT NULL,
        required_lessons text[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`
      CREATE TABLE growth_payments (
        payment_id    text PRIMARY KEY,
        payer_id      text,
        purpose       text,
        listing_id    text,
        amount_minor  bigint,
        currency      text,
        captured_at   timestamptz
      )`);
    // RFM inputs per payer, kept incrementally from captured payments (not activity: payments are the company's
    // records and are kept whatever the analytics consent).
    await q.query(`
      CREATE TABLE growth_rfm (
        investor_id     text PRIMARY KEY,
        last_payment_at timestamptz NOT NULL,
        payments        integer NOT NULL,
        monetary_minor  bigint NOT NULL
      )`);
    // The latest quintile scoring (a refresh recomputes the quintiles of the whole population).
    await q.query(`
      CREATE TABLE growth_rfm_scores (
        investor_id text PRIMARY KEY,
        r smallint NOT NULL, f smallint NOT NULL, m smallint NOT NULL,
        segment text NOT NULL,
        scored_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX growth_rfm_scores_segment_idx ON growth_rfm_scores (segment, investor_id)`);
    await q.query(`
      CREATE TABLE growth_rfm_summary (
        segment        text PRIMARY KEY,
        investors      integer NOT NULL,
        monetary_minor bigint NOT NULL,
        scored_at      timestamptz NOT NULL,
        thresholds     jsonb NOT NULL
      )`);
    await q.query(`
      CREATE TABLE growth_revenue_monthly (
        month          date NOT NULL,
        family         text NOT NULL,
        kind           text NOT NULL,
        currency       text NOT NULL,
        amount_minor   bigint NOT NULL,
        payments       integer NOT NULL,
        PRIMARY KEY (month, family, kind, currency)
      )`);
    // Lessons completed (education before products); lesson progress itself is an event stream per investor.
    await q.query(`
      CREATE TABLE growth_lessons_completed (
        investor_id  text NOT NULL,
        lesson_id    text NOT NULL,
        completed_at timestamptz NOT NULL,
        PRIMARY KEY (investor_id, lesson_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'growth_lessons_completed',
      'growth_revenue_monthly',
      'growth_rfm_summary',
      'growth_rfm_scores',
      'growth_rfm',
      'growth_payments',
      'growth_listings',
      'growth_funnel',
      'growth_monthly_active',
      'growth_weekly_active',
      'growth_daily_active',
      'growth_activity_definitions',
      'growth_activity',
      'growth_investors',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
