import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Community read models: groups, memberships, posts (the feed, and the evidence of refused posts), reports (the
 * moderation queue), moderation actions, hosts and their ledger, live sessions and attendance, tips and payouts.
 * Rebuilt from the log by the community projection.
 */
export class Community1765600000000 implements MigrationInterface {
  name = 'Community1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE community_groups (
        group_id      uuid PRIMARY KEY,
        name          text NOT NULL,
        topic         text NOT NULL,
        topic_ref     text,
        joining       jsonb NOT NULL,
        welcome       jsonb NOT NULL,
        owner_id      uuid NOT NULL,
        member_count  integer NOT NULL DEFAULT 0,
        post_count    integer NOT NULL DEFAULT 0,
        created_at    timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE community_members (
        group_id     uuid NOT NULL,
        user_id      uuid NOT NULL,
        status       text NOT NULL,
        role         text,
        offences     integer NOT NULL DEFAULT 0,
        muted_until  timestamptz,
        updated_at   timestamptz NOT NULL,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`CREATE INDEX community_members_user ON community_members (user_id)`);
    await q.query(`
      CREATE TABLE community_posts (
        post_id            uuid PRIMARY KEY,
        group_id           uuid NOT NULL,
        parent_id          uuid,
        author_id          uuid NOT NULL,
        body               text NOT NULL,
        kind               text NOT NULL,
        status             text NOT NULL,
        advice_id          uuid,
        advice_product_id  uuid,
        refusal            jsonb,
        reports            integer NOT NULL DEFAULT 0,
        reply_count        integer NOT NULL DEFAULT 0,
        hidden_reason      text,
        created_at         timestamptz NOT NULL
      )`);
    // The feed: a group's visible top-level posts, newest first (post ids are UUIDv7, so id order is time order).
    await q.query(
      `CREATE INDEX community_posts_feed ON community_posts (group_id, post_id DESC) WHERE status = 'visible' AND parent_id IS NULL`,
    );
    await q.query(`CREATE INDEX community_posts_replies ON community_posts (parent_id, post_id) WHERE parent_id IS NOT NULL`);
    await q.query(`CREATE INDEX community_posts_evidence ON community_posts (created_at DESC) WHERE status <> 'visible' OR reports > 0`);
    await q.query(`
      CREATE TABLE community_reports (
        report_id    uuid PRIMARY KEY,
        post_id      uuid NOT NULL,
        group_id     uuid NOT NULL,
        author_id    uuid NOT NULL,
        reporter_id  uuid NOT NULL,
        reason       text NOT NULL,
        status       text NOT NULL DEFAULT 'open',
        created_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX community_reports_open ON community_reports (group_id, created_at) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE community_moderation_actions (
        event_id      uuid PRIMARY KEY,
        group_id      uuid NOT NULL,
        user_id       uuid NOT NULL,
        action        text NOT NULL,
        reason        text NOT NULL,
        post_id       uuid,
        moderator_id  text NOT NULL,
        at            timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX community_moderation_actions_group ON community_moderation_actions (group_id, at DESC)`);
    await q.query(`
      CREATE TABLE community_hosts (
        host_id           uuid PRIMARY KEY,
        kind              text NOT NULL,
        display_name      text NOT NULL,
        bio               text NOT NULL,
        sac_code          text,
        currency          text NOT NULL DEFAULT 'CNY',
        balance_minor     bigint NOT NULL DEFAULT 0,
        earned_minor      bigint NOT NULL DEFAULT 0,
        reversed_minor    bigint NOT NULL DEFAULT 0,
        paid_out_minor    bigint NOT NULL DEFAULT 0,
        in_flight_minor   bigint NOT NULL DEFAULT 0,
        registered_at     timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE community_host_ledger (
        event_id      uuid PRIMARY KEY,
        host_id       uuid NOT NULL,
        kind          text NOT NULL,
        ref_id        uuid NOT NULL,
        amount_minor  bigint NOT NULL,
        gross_minor   bigint,
        host_bps      integer,
        currency      text NOT NULL,
        at            timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX community_host_ledger_host ON community_host_ledger (host_id, at DESC)`);
    await q.query(`
      CREATE TABLE community_payouts (
        payout_id     uuid PRIMARY KEY,
        host_id       uuid NOT NULL,
        amount_minor  bigint NOT NULL,
        currency      text NOT NULL,
        period_from   timestamptz,
        period_to     timestamptz NOT NULL,
        lines         jsonb NOT NULL,
        status        text NOT NULL,
        reference     text,
        reason        text,
        requested_at  timestamptz NOT NULL,
        settled_at    timestamptz
      )`);
    await q.query(`CREATE INDEX community_payouts_in_flight ON community_payouts (requested_at) WHERE status = 'requested'`);
    await q.query(`
      CREATE TABLE community_live_sessions (
        session_id         uuid PRIMARY KEY,
        group_id           uuid NOT NULL,
        host_id            uuid NOT NULL,
        title              text NOT NULL,
        starts_at          timestamptz NOT NULL,
        ends_at            timestamptz NOT NULL,
        replay_listing_id  uuid,
        status             text NOT NULL,
        attendance         integer NOT NULL DEFAULT 0,
        tips_minor         bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX community_live_sessions_group ON community_live_sessions (group_id, starts_at DESC)`);
    await q.query(`
      CREATE TABLE community_tips (
        tip_id         uuid PRIMARY KEY,
        investor_id    uuid NOT NULL,
        host_id        uuid NOT NULL,
        target_kind    text NOT NULL,
        target_id      uuid NOT NULL,
        amount_minor   bigint NOT NULL,
        currency       text NOT NULL,
        message        text,
        payment_id     uuid NOT NULL,
        status         text NOT NULL,
        reversal       jsonb,
        sent_at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX community_tips_host ON community_tips (host_id, sent_at DESC)`);
    await q.query(`CREATE INDEX community_tips_investor ON community_tips (investor_id, sent_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'community_tips',
      'community_live_sessions',
      'community_payouts',
      'community_host_ledger',
      'community_hosts',
      'community_moderation_actions',
      'community_reports',
      'community_posts',
      'community_members',
      'community_groups',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
