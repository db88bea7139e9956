import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log's Merkle tree and its signed checkpoints (E2). The sealer appends one leaf per event in commit order and
 * the perfect-subtree nodes each leaf completes; proofs are read from these. Leaves, nodes and checkpoints are
 * append-only like the events table, so the evidence cannot be quietly rewritten through the application's connection.
 */
export class Audit1764000500000 implements MigrationInterface {
  name = 'Audit1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_leaves (
        leaf_index  bigint PRIMARY KEY CHECK (leaf_index >= 0),
        event_id    uuid NOT NULL,
        tx_id       xid8 NOT NULL,
        position    bigint NOT NULL,
        event_hash  bytea NOT NULL CHECK (length(event_hash) = 32),
        leaf_hash   bytea NOT NULL CHECK (length(leaf_hash) = 32),
        sealed_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_leaves_event_id_key UNIQUE (event_id)
      )`);
    await q.query(`
      CREATE TABLE audit_nodes (
        level  smallint NOT NULL CHECK (level >= 1),
        idx    bigint NOT NULL CHECK (idx >= 0),
        hash   bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TABLE audit_checkpoints (
        tree_size      bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash      bytea NOT NULL CHECK (length(root_hash) = 32),
        origin         text NOT NULL,
        key_name       text NOT NULL,
        key_id         text NOT NULL,
        note           text NOT NULL,
        last_tx_id     xid8,
        last_position  bigint,
        signed_at      timestamptz NOT NULL DEFAULT now()
      )`);
    // Compliance search and investor timelines filter the log by these; expression indexes keep them off full scans.
    await q.query(`CREATE INDEX events_audit_investor_idx ON events ((data->>'investorId'))`);
    await q.query(`CREATE INDEX events_audit_product_idx ON events ((data->>'productId'))`);
    await q.query(`CREATE INDEX events_audit_listing_idx ON events ((data->>'listingId'))`);
    await q.query(`CREATE INDEX events_audit_engagement_idx ON events ((data->>'engagementId'))`);
    await q.query(`CREATE INDEX events_audit_actor_idx ON events ((metadata->>'actor'))`);
    await q.query(`CREATE INDEX events_audit_recorded_at_idx ON events (recorded_at)`);
    await q.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_leaves', 'audit_nodes', 'audit_checkpoints']) {
      await q.query(
        `CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
      );
      await q.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP TABLE audit_nodes`);
    await q.query(`DROP TABLE audit_leaves`);
    await q.query(`DROP FUNCTION audit_refuse_change`);
    for (const index of ['investor', 'product', 'listing', 'engagement', 'actor', 'recorded_at'])
      await q.query(`DROP INDEX events_audit_${index}_idx`);
  }
}
