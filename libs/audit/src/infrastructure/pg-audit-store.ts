/**
 * PostgreSQL persistence of the audit tree: leaves (one per sealed event), the perfect-subtree nodes above them, and
 * signed checkpoints. Everything here is append-only; proofs and verification only read.
 */
import { GlobalPosition, Queryable, START } from '@app/event-store';
import { CompactRange } from '../domain/compact-range';
import { TreeNode } from '../domain/merkle';
import { NodeReader } from '../domain/proof-builder';

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

  async appendLeaves(db: Queryable, leaves: readonly SealedLeaf[], nodes: readonly TreeNode[]): Promise<void> {
    if (leaves.length > 0) {
      await db.query(
        `INSERT INTO audit_leaves (leaf_index, event_id, tx_id, position, event_hash, leaf_hash)
         SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[]::xid8[], $4::bigint[], $5::bytea[], $6::bytea[])`,
        [
          leaves.map((l) => l.leafIndex),
          leaves.map((l) => l.eventId),
          leaves.map((l) => l.position.major.toString()),
          leaves.map((l) => l.position.minor.toString()),
          leaves.map((l) => l.eventHash),
          leaves.map((l) => l.leafHash),
        ],
      );
    }
    const interior = nodes.filter((node) => node.level > 0);
    if (interior.length > 0) {
      await db.query(`INSERT INTO audit_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
        interior.map((n) => n.level),
        interior.map((n) => n.index),
        interior.map((n) => n.hash),
      ]);
    }
  }

  /** Reads perfect-subtree nodes: level 0 from the leaves, higher levels from the node table. */
  reader(db: Queryable = this.db): NodeReader {
    return async (level, index) => {
      const { rows } =
        level === 0
          ? await db.query<{ hash: Buffer }>('SELECT leaf_hash AS hash FROM audit_leaves WHERE leaf_index = $1', [index])
          : await db.query<{ hash: Buffer }>('SELECT hash FROM audit_nodes WHERE level = $1 AND idx = $2', [level, index]);
      if (rows.length === 0) throw new MissingTreeNodeError(level, index);
      return rows[0].hash;
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
