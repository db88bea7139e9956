import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit leaves are stored in tiles: one row per run of up to 256 consecutive leaves, holding their event hashes and leaf
 * hashes concatenated, and the commit-order positions of the first and last event it seals. The sealer then writes one
 * row per 256 events instead of one row (and two index entries, one of them a random UUID) per event. An event's leaf
 * index is not stored: it is the tile's start plus the number of events between the tile's first event and it in commit
 * order, which the events table's (tx_id, position) index answers; `audit verify` checks that each tile's range holds
 * exactly the events it sealed, in order.
 *
 * Existing leaves move into tiles here, after checking that they map onto the events table exactly as tiles assume
 * (contiguous indexes, strictly increasing commit order, each leaf's event at its recorded position, no unsealed event
 * inside a tile's range). A log that fails this refuses the migration, so nothing is rewritten over a damaged log.
 */
const TILE_SIZE = 256;

export class AuditTiles1764000700000 implements MigrationInterface {
  name = 'AuditTiles1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_tiles (
        start           bigint PRIMARY KEY CHECK (start >= 0),
        size            integer NOT NULL CHECK (size BETWEEN 1 AND ${TILE_SIZE}),
        first_tx_id     xid8 NOT NULL,
        first_position  bigint NOT NULL,
        last_tx_id      xid8 NOT NULL,
        last_position   bigint NOT NULL,
        event_hashes    bytea NOT NULL,
        leaf_hashes     bytea NOT NULL,
        sealed_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (length(event_hashes) = 32 * size AND length(leaf_hashes) = 32 * size),
        CHECK (start / ${TILE_SIZE} = (start + size - 1) / ${TILE_SIZE}),
        CHECK ((first_tx_id, first_position) <= (last_tx_id, last_position))
      )`);
    // Finding the tile that sealed an event (proofs, search results) walks this index from the event's position.
    await q.query(`CREATE UNIQUE INDEX audit_tiles_last_event_idx ON audit_tiles (last_tx_id, last_position)`);
    // Hashes are incompressible: skip the compression attempt, and let proofs read a slice without the whole value.
    await q.query(`ALTER TABLE audit_tiles ALTER COLUMN event_hashes SET STORAGE EXTERNAL, ALTER COLUMN leaf_hashes SET STORAGE EXTERNAL`);
    await q.query(
      `CREATE TRIGGER audit_tiles_no_update_delete BEFORE UPDATE OR DELETE ON audit_tiles FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER audit_tiles_no_truncate BEFORE TRUNCATE ON audit_tiles FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    );

    const problems = await q.query(`
      SELECT 'leaf indexes are not contiguous from 0' AS problem
       WHERE (SELECT count(*) FROM audit_leaves) <> coalesce((SELECT max(leaf_index) + 1 FROM audit_leaves), 0)
      UNION ALL
      (SELECT 'leaf ' || leaf_index || ' is not after the previous leaf in commit order'
         FROM (SELECT leaf_index, (tx_id, position) <= lag((tx_id, position)) OVER (ORDER BY leaf_index) AS backwards FROM audit_leaves) l
        WHERE backwards LIMIT 1)
      UNION ALL
      (SELECT 'leaf ' || l.leaf_index || ' names an event that is not at its recorded position'
         FROM audit_leaves l LEFT JOIN events e ON e.position = l.position
        WHERE e.event_id IS DISTINCT FROM l.event_id OR e.tx_id IS DISTINCT FROM l.tx_id LIMIT 1)`);
    if (problems.length > 0) throw new Error(`audit_leaves cannot move into tiles: ${problems[0].problem}; run audit:verify`);

    await q.query(`
      INSERT INTO audit_tiles (start, size, first_tx_id, first_position, last_tx_id, last_position, event_hashes, leaf_hashes, sealed_at)
      SELECT start, size, txs[1], positions[1], txs[size], positions[size], event_hashes, leaf_hashes, sealed_at
        FROM (SELECT min(leaf_index) AS start, count(*)::integer AS size, array_agg(tx_id ORDER BY leaf_index) AS txs,
                     array_agg(position ORDER BY leaf_index) AS positions, string_agg(event_hash, ''::bytea ORDER BY leaf_index) AS event_hashes,
                     string_agg(leaf_hash, ''::bytea ORDER BY leaf_index) AS leaf_hashes, min(sealed_at) AS sealed_at
                FROM audit_leaves GROUP BY leaf_index / ${TILE_SIZE}) AS tiles`);
    const unsealedInside = await q.query(`
      SELECT t.start FROM audit_tiles t
       WHERE (SELECT count(*) FROM events e
               WHERE (e.tx_id, e.position) >= (t.first_tx_id, t.first_position) AND (e.tx_id, e.position) <= (t.last_tx_id, t.last_position)) <> t.size
       LIMIT 1`);
    if (unsealedInside.length > 0) {
      throw new Error(
        `audit_leaves cannot move into tiles: an unsealed event lies among the leaves from ${unsealedInside[0].start}; run audit:verify`,
      );
    }
    await q.query(`DROP TABLE audit_leaves`);
  }

  async down(q: QueryRunner): Promise<void> {
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
      INSERT INTO audit_leaves (leaf_index, event_id, tx_id, position, event_hash, leaf_hash, sealed_at)
      SELECT t.start + e.k, e.event_id, e.tx_id, e.position, substring(t.event_hashes FROM (e.k * 32 + 1)::integer FOR 32),
             substring(t.leaf_hashes FROM (e.k * 32 + 1)::integer FOR 32), t.sealed_at
        FROM audit_tiles t
        CROSS JOIN LATERAL (SELECT event_id, tx_id, position, row_number() OVER (ORDER BY tx_id, position) - 1 AS k FROM events
                             WHERE (tx_id, position) >= (t.first_tx_id, t.first_position) AND (tx_id, position) <= (t.last_tx_id, t.last_position)) e`);
    await q.query(
      `CREATE TRIGGER audit_leaves_no_update_delete BEFORE UPDATE OR DELETE ON audit_leaves FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER audit_leaves_no_truncate BEFORE TRUNCATE ON audit_leaves FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    );
    await q.query(`DROP TABLE audit_tiles`);
  }
}
