/**
 * PostgreSQL persistence of the audit tree: leaves in tiles (runs of up to TILE_SIZE consecutive leaves per row), the
 * perfect-subtree nodes above them, and signed checkpoints. Everything here is append-only; proofs and verification only
 * read.
 */
import { GlobalPosition, Queryable, START } from '@app/event-store';
import { CompactRange } from '../domain/compact-range';
import { HASH_SIZE, hashChildren, TreeNode } from '../domain/merkle';
import { NodeReader } from '../domain/proof-builder';

/**
 * The lowest level of interior node the store keeps: subtrees of 256 leaves, a full tile, and up. Nodes below it are not
 * stored: a proof that needs one recomputes it from the stored leaf hashes (at most 128 leaves, read from one or two
 * tiles, and at most 255 hashes for all the levels of a proof together), which spares the sealer nearly every node
 * write: one node row per 128 leaves instead of one per 8. Nodes of levels 4 to 7 stored by earlier versions are not
 * read.
 */
export const STORED_NODE_MIN_LEVEL = 8;

/**
 * Leaves per tile row. A tile never spans a multiple of this, so a full tile is an aligned perfect subtree; a batch that
 * ends mid-tile leaves a shorter tile, and the next batch starts a new one (rows are never updated).
 */
export const TILE_SIZE = 256;

export interface SealedLeaf {
  readonly leafIndex: number;
  readonly eventId: string;
  readonly position: GlobalPosition;
  readonly eventHash: Buffer;
  readonly leafHash: Buffer;
}

/** One stored tile: leaves [start, start + size), sealing the events from `first` to `last` in commit order. */
export type TileRow = {
  readonly start: string;
  readonly size: number;
  readonly first_tx_id: string;
  readonly first_position: string;
  readonly last_tx_id: string;
  readonly last_position: string;
  readonly event_hashes: Buffer;
  readonly leaf_hashes: Buffer;
  /** The sealed events' ids, 16 bytes each; null for tiles sealed before ids were recorded. */
  readonly event_ids: Buffer | null;
};

/** The `index`th 32-byte hash of a tile's concatenated hashes. */
export const hashAt = (hashes: Buffer, index: number): Buffer => hashes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);

/** The id of the `index`th event a tile sealed, when the tile records ids. */
export const eventIdAt = (ids: Buffer | null, index: number): string | undefined => {
  if (!ids || ids.length < (index + 1) * 16) return undefined;
  const hex = ids.subarray(index * 16, (index + 1) * 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * The leaf index of the event row aliased `e`, or NULL while it is unsealed: the start of the tile whose commit-order
 * range holds it, plus the number of events in that range before it (the events (tx_id, position) index counts them).
 */
export const leafIndexSql = (e: string): string => `(
  SELECT t.start + (SELECT count(*) FROM events c
                     WHERE (c.tx_id, c.position) >= (t.first_tx_id, t.first_position) AND (c.tx_id, c.position) < (${e}.tx_id, ${e}.position))
    FROM (SELECT start, first_tx_id, first_position FROM audit_tiles
           WHERE (last_tx_id, last_position) >= (${e}.tx_id, ${e}.position) ORDER BY last_tx_id, last_position LIMIT 1) t
   WHERE (t.first_tx_id, t.first_position) <= (${e}.tx_id, ${e}.position))`;

export interface CheckpointRecord {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly origin: string;
  readonly keyName: string;
  readonly keyId: string;
  readonly note: string;
  readonly lastPosition: GlobalPosition | null;
  readonly signedAt: Date;
}

type CheckpointRow = {
  tree_size: string;
  root_hash: Buffer;
  origin: string;
  key_name: string;
  key_id: string;
  note: string;
  last_tx_id: string | null;
  last_position: string | null;
  signed_at: Date;
};

const CHECKPOINT_COLUMNS = 'tree_size, root_hash, origin, key_name, key_id, note, last_tx_id::text AS last_tx_id, last_position, signed_at';

const toCheckpoint = (row: CheckpointRow): CheckpointRecord => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash,
  origin: row.origin,
  keyName: row.key_name,
  keyId: row.key_id,
  note: row.note,
  lastPosition: row.last_tx_id === null ? null : { major: BigInt(row.last_tx_id), minor: BigInt(row.last_position as string) },
  signedAt: row.signed_at,
});

export class MissingTreeNodeError extends Error {
  constructor(level: number, index: number) {
    super(`audit tree node ${level}/${index} is not stored`);
    this.name = 'MissingTreeNodeError';
  }
}

export class PgAuditStore {
  constructor(private readonly db: Queryable) {}

  /** The sealed size, the position of the last sealed event, and the tree frontier to resume appending from. */
  async loadTail(db: Queryable = this.db): Promise<{ range: CompactRange; lastPosition: GlobalPosition }> {
    const last = await this.lastTile(db);
    if (!last) return { range: CompactRange.empty(), lastPosition: START };
    const size = Number(last.start) + last.size;
    const read = this.reader(db);
    // One at a time: `db` may be a single client inside the sealer's transaction.
    const hashes: Buffer[] = [];
    for (const ref of CompactRange.frontier(size)) hashes.push(await read(ref.level, ref.index));
    return {
      range: CompactRange.restore(size, hashes),
      lastPosition: { major: BigInt(last.last_tx_id), minor: BigInt(last.last_position) },
    };
  }

  async sealedSize(db: Queryable = this.db): Promise<number> {
    const last = await this.lastTile(db);
    return last ? Number(last.start) + last.size : 0;
  }

  private async lastTile(db: Queryable) {
    const { rows } = await db.query<Pick<TileRow, 'start' | 'size' | 'last_tx_id' | 'last_position'>>(
      'SELECT start, size, last_tx_id::text AS last_tx_id, last_position FROM audit_tiles ORDER BY start DESC LIMIT 1',
    );
    return rows[0];
  }

  /**
   * Seals the next `limit` committed events after `after` as leaves `size`, `size + 1`, … in commit order, in one
   * statement: the events go from the events table into tile rows without a round trip through the sealer, PostgreSQL
   * hashes each leaf (SHA-256 of 0x00 ‖ the stored event hash, RFC 6962), and only the tiles come back. Returns the new
   * leaves' hashes in leaf order and the last sealed position, for the sealer to extend the tree with.
   */
  async sealNextLeaves(
    db: Queryable,
    after: GlobalPosition,
    size: number,
    limit: number,
  ): Promise<{ readonly leafHashes: Buffer[]; readonly lastPosition: GlobalPosition } | null> {
    // Every aggregate orders by the leaf index, so one sort on (tile, leaf) feeds them all.
    const { rows } = await db.query<Pick<TileRow, 'start' | 'size' | 'leaf_hashes' | 'last_tx_id' | 'last_position'>>(
      `WITH batch AS (
         SELECT tx_id, position, event_id, hash, $3::bigint + row_number() OVER (ORDER BY tx_id, position) - 1 AS k
           FROM (SELECT tx_id, position, event_id, hash FROM events
                  WHERE (tx_id, position) > ($1::text::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
                  ORDER BY events.tx_id, events.position
                  LIMIT $4) AS e),
       tiles AS (
         SELECT min(k) AS start, count(*)::integer AS size, array_agg(tx_id ORDER BY k) AS txs, array_agg(position ORDER BY k) AS positions,
                string_agg(hash, ''::bytea ORDER BY k) AS event_hashes, string_agg(sha256('\\x00'::bytea || hash), ''::bytea ORDER BY k) AS leaf_hashes,
                string_agg(uuid_send(event_id), ''::bytea ORDER BY k) AS event_ids
           FROM batch GROUP BY k / ${TILE_SIZE})
       INSERT INTO audit_tiles (start, size, first_tx_id, first_position, last_tx_id, last_position, event_hashes, leaf_hashes, event_ids)
       SELECT start, size, txs[1], positions[1], txs[size], positions[size], event_hashes, leaf_hashes, event_ids FROM tiles
       RETURNING start, size, leaf_hashes, last_tx_id::text AS last_tx_id, last_position`,
      [after.major.toString(), after.minor.toString(), size, limit],
    );
    if (rows.length === 0) return null;
    rows.sort((a, b) => Number(a.start) - Number(b.start));
    const leafHashes: Buffer[] = [];
    for (const tile of rows) for (let i = 0; i < tile.size; i += 1) leafHashes.push(hashAt(tile.leaf_hashes, i));
    const last = rows[rows.length - 1];
    return { leafHashes, lastPosition: { major: BigInt(last.last_tx_id), minor: BigInt(last.last_position) } };
  }

  /** Stores the interior nodes a batch completed, from STORED_NODE_MIN_LEVEL up (lower ones are ignored). */
  async appendNodes(db: Queryable, completed: readonly TreeNode[]): Promise<void> {
    const nodes = completed.filter((node) => node.level >= STORED_NODE_MIN_LEVEL);
    if (nodes.length === 0) return;
    await db.query(`INSERT INTO audit_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
      nodes.map((n) => n.level),
      nodes.map((n) => n.index),
      nodes.map((n) => n.hash),
    ]);
  }

  /** The stored leaf hashes of leaves [from, to), from the tiles that hold them; fewer when some are not sealed. */
  async leafHashes(from: number, to: number, db: Queryable = this.db): Promise<Buffer[]> {
    const { rows } = await db.query<{ start: string; size: number; slice: Buffer }>(
      `SELECT start, size, substring(leaf_hashes FROM ((greatest($1, start) - start) * 32 + 1)::integer FOR ((least($2, start + size) - greatest($1, start)) * 32)::integer) AS slice
         FROM audit_tiles
        WHERE start < $2 AND start >= coalesce((SELECT max(start) FROM audit_tiles WHERE start <= $1), 0)
        ORDER BY start`,
      [from, to],
    );
    const hashes: Buffer[] = [];
    for (const row of rows) {
      if (Number(row.start) + row.size <= from || Math.max(from, Number(row.start)) !== from + hashes.length) break;
      for (let i = 0; i < row.slice.length / HASH_SIZE; i += 1) hashes.push(hashAt(row.slice, i));
    }
    return hashes;
  }

  /**
   * Reads perfect-subtree nodes: level 0 from the leaf tiles, levels from STORED_NODE_MIN_LEVEL up from the node table,
   * and the levels between recomputed from their (at most 2^(STORED_NODE_MIN_LEVEL - 1)) stored leaf hashes.
   */
  reader(db: Queryable = this.db): NodeReader {
    return async (level, index) => {
      if (level >= STORED_NODE_MIN_LEVEL) {
        const { rows } = await db.query<{ hash: Buffer }>('SELECT hash FROM audit_nodes WHERE level = $1 AND idx = $2', [level, index]);
        if (rows.length === 0) throw new MissingTreeNodeError(level, index);
        return rows[0].hash;
      }
      const width = 2 ** level;
      let hashes = await this.leafHashes(index * width, (index + 1) * width, db);
      if (hashes.length !== width) throw new MissingTreeNodeError(level, index);
      while (hashes.length > 1) hashes = hashes.filter((_, i) => i % 2 === 0).map((left, i) => hashChildren(left, hashes[2 * i + 1]));
      return hashes[0];
    };
  }

  /** The sealed leaf of an event, found through its position in commit order; null while it is unsealed. */
  async leafByEventId(eventId: string): Promise<SealedLeaf | null> {
    const { rows } = await this.db.query<{ leaf_index: string | null; tx_id: string; position: string }>(
      `SELECT ${leafIndexSql('e')} AS leaf_index, e.tx_id::text AS tx_id, e.position FROM events e WHERE e.event_id = $1`,
      [eventId],
    );
    const row = rows[0];
    if (!row || row.leaf_index === null) return null;
    const leafIndex = Number(row.leaf_index);
    const { rows: hashes } = await this.db.query<{ event_hash: Buffer; leaf_hash: Buffer }>(
      `SELECT substring(event_hashes FROM (($1 - start) * 32 + 1)::integer FOR 32) AS event_hash,
              substring(leaf_hashes FROM (($1 - start) * 32 + 1)::integer FOR 32) AS leaf_hash
         FROM audit_tiles WHERE start <= $1 ORDER BY start DESC LIMIT 1`,
      [leafIndex],
    );
    return {
      leafIndex,
      eventId,
      position: { major: BigInt(row.tx_id), minor: BigInt(row.position) },
      eventHash: hashes[0].event_hash,
      leafHash: hashes[0].leaf_hash,
    };
  }

  /** The first leaf that sealed this event hash, by a scan of every tile: for naming what a damaged log moved where. */
  async leafOfEventHash(eventHash: Buffer, db: Queryable = this.db): Promise<number | null> {
    const { rows } = await db.query<{ leaf_index: string }>(
      `SELECT t.start + g.i AS leaf_index
         FROM audit_tiles t CROSS JOIN LATERAL generate_series(0, t.size - 1) AS g(i)
        WHERE position($1::bytea IN t.event_hashes) > 0 AND substring(t.event_hashes FROM g.i * 32 + 1 FOR 32) = $1
        ORDER BY 1 LIMIT 1`,
      [eventHash],
    );
    return rows[0] ? Number(rows[0].leaf_index) : null;
  }

  /** Where an event with this stored hash sits in the events table now, if anywhere: for telling a move from a deletion. */
  async eventByHash(eventHash: Buffer, db: Queryable = this.db): Promise<{ eventId: string; position: string } | null> {
    const { rows } = await db.query<{ event_id: string; position: string }>(
      `SELECT event_id, tx_id::text || ':' || position AS position FROM events WHERE hash = $1 ORDER BY tx_id, position LIMIT 1`,
      [eventHash],
    );
    return rows[0] ? { eventId: rows[0].event_id, position: rows[0].position } : null;
  }

  /**
   * Tiles in leaf order after the one starting at `afterStart`, as many as hold fewer than `leaves` leaves before the
   * last one returned (at least one): keyset pages of bounded size whether tiles are full or a few leaves each.
   */
  async tilesAfter(afterStart: number, leaves: number, db: Queryable = this.db): Promise<TileRow[]> {
    const { rows } = await db.query<TileRow>(
      `SELECT t.start, t.size, t.first_tx_id::text AS first_tx_id, t.first_position, t.last_tx_id::text AS last_tx_id, t.last_position,
              t.event_hashes, t.leaf_hashes, t.event_ids
         FROM (SELECT start, sum(size) OVER (ORDER BY start) - size AS before FROM audit_tiles WHERE start > $1 ORDER BY start LIMIT $2) AS page
         JOIN audit_tiles t ON t.start = page.start
        WHERE page.before < $2
        ORDER BY t.start`,
      [afterStart, leaves],
    );
    return rows;
  }

  async insertCheckpoint(db: Queryable, checkpoint: CheckpointRecord): Promise<void> {
    await db.query(
      `INSERT INTO audit_checkpoints (tree_size, root_hash, origin, key_name, key_id, note, last_tx_id, last_position, signed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text::xid8, $8, $9) ON CONFLICT (tree_size) DO NOTHING`,
      [
        checkpoint.treeSize,
        checkpoint.rootHash,
        checkpoint.origin,
        checkpoint.keyName,
        checkpoint.keyId,
        checkpoint.note,
        checkpoint.lastPosition?.major.toString() ?? null,
        checkpoint.lastPosition?.minor.toString() ?? null,
        checkpoint.signedAt,
      ],
    );
  }

  async latestCheckpoint(db: Queryable = this.db): Promise<CheckpointRecord | null> {
    const { rows } = await db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1`);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  async checkpointAt(treeSize: number): Promise<CheckpointRecord | null> {
    const { rows } = await this.db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE tree_size = $1`, [
      treeSize,
    ]);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** Checkpoints in ascending size, strictly after `afterSize`: keyset pagination for listing and verification. */
  async listCheckpoints(afterSize: number, limit: number): Promise<CheckpointRecord[]> {
    const { rows } = await this.db.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE tree_size > $1 ORDER BY tree_size LIMIT $2`,
      [afterSize, limit],
    );
    return rows.map(toCheckpoint);
  }
}
