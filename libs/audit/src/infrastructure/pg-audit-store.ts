/**
 * PostgreSQL persistence of the audit tree: leaves (one per sealed event), the perfect-subtree nodes above them, and
 * signed checkpoints. Everything here is append-only; proofs and verification only read.
 */
import { GlobalPosition, Queryable, START } from '@app/event-store';
import { CompactRange } from '../domain/compact-range';
import { hashChildren, TreeNode } from '../domain/merkle';
import { NodeReader } from '../domain/proof-builder';

/**
 * The lowest level of interior node the store keeps. Nodes below it (subtrees of up to 8 leaves) are not stored: they
 * are recomputed from the stored leaf hashes when a proof needs one, which spares the sealer most of its node writes
 * (one node row per 8 leaves instead of one per leaf) for 8 extra 32-byte leaf reads per proof level below it.
 */
export const STORED_NODE_MIN_LEVEL = 4;

export interface SealedLeaf {
  readonly leafIndex: number;
  readonly eventId: string;
  readonly position: GlobalPosition;
  readonly eventHash: Buffer;
  readonly leafHash: Buffer;
}

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
    const { rows } = await db.query<{ leaf_index: string; tx_id: string; position: string }>(
      'SELECT leaf_index, tx_id::text AS tx_id, position FROM audit_leaves ORDER BY leaf_index DESC LIMIT 1',
    );
    if (rows.length === 0) return { range: CompactRange.empty(), lastPosition: START };
    const size = Number(rows[0].leaf_index) + 1;
    const read = this.reader(db);
    // One at a time: `db` may be a single client inside the sealer's transaction.
    const hashes: Buffer[] = [];
    for (const ref of CompactRange.frontier(size)) hashes.push(await read(ref.level, ref.index));
    return { range: CompactRange.restore(size, hashes), lastPosition: { major: BigInt(rows[0].tx_id), minor: BigInt(rows[0].position) } };
  }

  async sealedSize(db: Queryable = this.db): Promise<number> {
    const { rows } = await db.query<{ n: string | null }>('SELECT max(leaf_index) + 1 AS n FROM audit_leaves');
    return rows[0]?.n == null ? 0 : Number(rows[0].n);
  }

  /**
   * Seals the next `limit` committed events after `after` as leaves `size`, `size + 1`, … in commit order, in one
   * statement: the rows go from the events table into the leaf table without a round trip through the sealer, and
   * PostgreSQL hashes each leaf (SHA-256 of 0x00 ‖ the stored event hash, RFC 6962). Returns the new leaves' hashes in
   * leaf order and the last sealed position, for the sealer to extend the tree with.
   */
  async sealNextLeaves(
    db: Queryable,
    after: GlobalPosition,
    size: number,
    limit: number,
  ): Promise<{ readonly leafHashes: Buffer[]; readonly lastPosition: GlobalPosition } | null> {
    const { rows } = await db.query<{ leaf_index: string; leaf_hash: Buffer; tx_id: string; position: string }>(
      `INSERT INTO audit_leaves (leaf_index, event_id, tx_id, position, event_hash, leaf_hash)
       SELECT $3::bigint + row_number() OVER (ORDER BY e.tx_id, e.position) - 1, e.event_id, e.tx_id, e.position, e.hash,
              sha256('\\x00'::bytea || e.hash)
         FROM (SELECT event_id, tx_id, position, hash FROM events
                WHERE (tx_id, position) > ($1::text::xid8, $2::bigint)
                  AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY events.tx_id, events.position
                LIMIT $4) AS e
       RETURNING leaf_index, leaf_hash, tx_id::text AS tx_id, position`,
      [after.major.toString(), after.minor.toString(), size, limit],
    );
    if (rows.length === 0) return null;
    const leafHashes = new Array<Buffer>(rows.length);
    let last = rows[0];
    for (const row of rows) {
      const k = Number(row.leaf_index) - size;
      leafHashes[k] = row.leaf_hash;
      if (k === rows.length - 1) last = row;
    }
    return { leafHashes, lastPosition: { major: BigInt(last.tx_id), minor: BigInt(last.position) } };
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

  /**
   * Reads perfect-subtree nodes: level 0 from the leaves, levels from STORED_NODE_MIN_LEVEL up from the node table, and
   * the levels between recomputed from their (at most 2^(STORED_NODE_MIN_LEVEL - 1)) stored leaf hashes.
   */
  reader(db: Queryable = this.db): NodeReader {
    return async (level, index) => {
      if (level === 0 || level >= STORED_NODE_MIN_LEVEL) {
        const { rows } =
          level === 0
            ? await db.query<{ hash: Buffer }>('SELECT leaf_hash AS hash FROM audit_leaves WHERE leaf_index = $1', [index])
            : await db.query<{ hash: Buffer }>('SELECT hash FROM audit_nodes WHERE level = $1 AND idx = $2', [level, index]);
        if (rows.length === 0) throw new MissingTreeNodeError(level, index);
        return rows[0].hash;
      }
      const width = 2 ** level;
      const { rows } = await db.query<{ hash: Buffer }>(
        'SELECT leaf_hash AS hash FROM audit_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index',
        [index * width, (index + 1) * width],
      );
      if (rows.length !== width) throw new MissingTreeNodeError(level, index);
      let hashes = rows.map((row) => row.hash);
      while (hashes.length > 1) hashes = hashes.filter((_, i) => i % 2 === 0).map((left, i) => hashChildren(left, hashes[2 * i + 1]));
      return hashes[0];
    };
  }

  async leafByEventId(eventId: string): Promise<SealedLeaf | null> {
    const { rows } = await this.db.query<{ leaf_index: string; event_id: string; tx_id: string; position: string; event_hash: Buffer; leaf_hash: Buffer }>(
      'SELECT leaf_index, event_id, tx_id::text AS tx_id, position, event_hash, leaf_hash FROM audit_leaves WHERE event_id = $1',
      [eventId],
    );
    const row = rows[0];
    return row
      ? {
          leafIndex: Number(row.leaf_index),
          eventId: row.event_id,
          position: { major: BigInt(row.tx_id), minor: BigInt(row.position) },
          eventHash: row.event_hash,
          leafHash: row.leaf_hash,
        }
      : null;
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
    const { rows } = await this.db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE tree_size = $1`, [treeSize]);
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
