/**
 * `audit verify` (E2): walks the events table in commit order beside the sealed leaves, recomputing every event's hash
 * from its raw stored row and the Merkle tree from those hashes, and holds the tree to every signed checkpoint. Reads are
 * keyset-paged, so memory stays flat however long the log is. It stops at the first bad position and says what is wrong:
 * a changed row, a missing (deleted) event, an inserted event, or events out of their sealed order.
 */
import { eventHash, Queryable } from '@app/event-store';
import { CompactRange } from '../domain/compact-range';
import { openCheckpoint } from '../domain/checkpoint';
import { signedTimestamp } from '../domain/cosignature';
import { hashLeaf, TreeNode } from '../domain/merkle';
import { NoteVerifier } from '../domain/signed-note';
import { CheckpointRecord, PgAuditStore, STORED_NODE_MIN_LEVEL } from './pg-audit-store';

export type ProblemKind = 'changed' | 'missing' | 'inserted' | 'reordered' | 'checkpoint' | 'tree';

export interface LogProblem {
  readonly kind: ProblemKind;
  /** The first bad leaf index (the position in sealed order). */
  readonly leafIndex: number;
  readonly eventId?: string;
  /** The event's position in the events table, "<tx id>:<sequence>", when there is a row. */
  readonly position?: string;
  readonly detail: string;
}

export interface LogVerification {
  readonly ok: boolean;
  readonly treeSize: number;
  readonly eventsChecked: number;
  readonly unsealedEvents: number;
  readonly checkpointsVerified: number;
  readonly rootHash: string;
  readonly problem?: LogProblem;
}

export interface VerifyOptions {
  readonly verifier: NoteVerifier;
  readonly origin: string;
  readonly batchSize?: number;
  readonly onProgress?: (progress: { readonly checked: number; readonly sealed: number }) => void;
}

type EventRow = {
  position: string;
  tx_id: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  hash: Buffer;
};

type LeafRow = {
  leaf_index: string;
  event_id: string;
  tx_id: string;
  position: string;
  event_hash: Buffer;
  leaf_hash: Buffer;
};

/**
 * A keyset-paged cursor. It holds the page being checked and, once that page came back full, the read of the next one,
 * so the database reads ahead while the verifier hashes: memory stays at two pages.
 */
class Paged<T> {
  private page: T[] = [];
  private at = 0;
  private done = false;
  private ahead: Promise<T[]> | null = null;
  constructor(
    private readonly fetch: (last: T | undefined) => Promise<T[]>,
    private readonly pageSize: number,
  ) {}

  async peek(): Promise<T | undefined> {
    if (this.at < this.page.length) return this.page[this.at];
    if (this.done) return undefined;
    const last = this.page[this.page.length - 1];
    this.page = await (this.ahead ?? this.fetch(last));
    this.ahead = null;
    this.at = 0;
    if (this.page.length === 0) this.done = true;
    else if (this.page.length >= this.pageSize) {
      const ahead = this.fetch(this.page[this.page.length - 1]);
      // Verification may stop at a problem before it needs this page; its failure is reported when it is awaited.
      ahead.catch(() => undefined);
      this.ahead = ahead;
    }
    return this.page[0];
  }

  next(): void {
    this.at += 1;
  }
}

const positionOf = (row: { tx_id: string; position: string }) => `${row.tx_id}:${row.position}`;

export const verifyAuditLog = async (db: Queryable, options: VerifyOptions): Promise<LogVerification> => {
  const batch = options.batchSize ?? 2000;
  const store = new PgAuditStore(db);
  const sealed = await store.sealedSize();
  const events = new Paged<EventRow>(async (last) => {
    const { rows } = await db.query<EventRow>(
      `SELECT position, tx_id::text AS tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, hash
         FROM events
        WHERE (tx_id, position) > ($1::text::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY events.tx_id, events.position LIMIT $3`,
      [last?.tx_id ?? '0', last?.position ?? '0', batch],
    );
    return rows;
  }, batch);
  const leaves = new Paged<LeafRow>(async (last) => {
    const { rows } = await db.query<LeafRow>(
      `SELECT leaf_index, event_id, tx_id::text AS tx_id, position, event_hash, leaf_hash FROM audit_leaves
        WHERE leaf_index > $1 ORDER BY leaf_index LIMIT $2`,
      [last ? Number(last.leaf_index) : -1, batch],
    );
    return rows;
  }, batch);
  const checkpoints = new Paged<CheckpointRecord>((last) => store.listCheckpoints(last ? last.treeSize : 0, 100), 100);

  const range = CompactRange.empty();
  let checked = 0;
  let unsealed = 0;
  let checkpointsVerified = 0;
  const result = (problem?: LogProblem): LogVerification => ({
    ok: !problem,
    treeSize: range.size,
    eventsChecked: checked,
    unsealedEvents: unsealed,
    checkpointsVerified,
    rootHash: range.root().toString('base64'),
    problem,
  });

  const checkCheckpointsAt = async (): Promise<LogProblem | undefined> => {
    for (let cp = await checkpoints.peek(); cp && cp.treeSize <= range.size; cp = await checkpoints.peek()) {
      checkpoints.next();
      const opened = openCheckpoint(cp.note, options.verifier, options.origin);
      const base = { kind: 'checkpoint' as const, leafIndex: cp.treeSize - 1 };
      if (!opened.ok) return { ...base, detail: `checkpoint at size ${cp.treeSize}: ${opened.reason}` };
      const time = signedTimestamp(cp.note, options.verifier);
      if (!time.ok) return { ...base, detail: `checkpoint at size ${cp.treeSize}: ${time.reason}` };
      if (time.value !== null && time.value * 1000 !== cp.signedAt.getTime()) {
        return { ...base, detail: `checkpoint at size ${cp.treeSize}: the stored signing time differs from the signed one` };
      }
      if (opened.value.size !== cp.treeSize || !opened.value.rootHash.equals(cp.rootHash)) {
        return { ...base, detail: `checkpoint at size ${cp.treeSize}: the signed note differs from the stored columns` };
      }
      if (cp.treeSize < range.size) continue;
      if (!range.root().equals(cp.rootHash)) {
        return {
          ...base,
          detail: `the first ${cp.treeSize} events do not produce the root signed at that size: sealed leaves and events were altered together`,
        };
      }
      checkpointsVerified += 1;
    }
    return undefined;
  };

  // Proofs are served from the stored leaves and interior nodes: each must equal the one recomputed from the events.
  let pendingNodes: TreeNode[] = [];
  const checkStoredNodes = async (): Promise<LogProblem | undefined> => {
    if (pendingNodes.length === 0) return undefined;
    const expected = pendingNodes;
    pendingNodes = [];
    const { rows } = await db.query<{ level: number; idx: string; hash: Buffer }>(
      `SELECT n.level, n.idx, n.hash FROM audit_nodes n JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
      [expected.map((node) => node.level), expected.map((node) => node.index)],
    );
    const stored = new Map(rows.map((row) => [`${row.level}/${row.idx}`, row.hash]));
    for (const node of expected) {
      const hash = stored.get(`${node.level}/${node.index}`);
      if (!hash || !hash.equals(node.hash)) {
        return {
          kind: 'tree',
          leafIndex: node.index * 2 ** node.level,
          detail: `stored tree node level ${node.level} index ${node.index} is ${hash ? 'altered' : 'missing'}: proofs over leaves ${node.index * 2 ** node.level}..${(node.index + 1) * 2 ** node.level - 1} would fail`,
        };
      }
    }
    return undefined;
  };

  const eventExists = async (eventId: string) =>
    (await db.query('SELECT 1 FROM events WHERE event_id = $1', [eventId])).rowCount !== 0;

  // Checkpoints of size 0 need no leaves.
  const early = await checkCheckpointsAt();
  if (early) return result(early);

  for (;;) {
    const event = await events.peek();
    const leaf = await leaves.peek();
    if (!event && !leaf) break;
    const leafIndex = range.size;

    if (!leaf) {
      // Past the sealed tail: not yet covered by the tree, but each row must still match its own hash.
      const recomputed = rowHash(event as EventRow);
      if (!recomputed.equals((event as EventRow).hash)) {
        return result({ kind: 'changed', leafIndex, eventId: event?.event_id, position: positionOf(event as EventRow), detail: 'unsealed event: its content does not match its stored hash' });
      }
      unsealed += 1;
      checked += 1;
      events.next();
      continue;
    }

    if (!event) {
      return result({ kind: 'missing', leafIndex, eventId: leaf.event_id, detail: 'the sealed event is no longer in the events table (deleted)' });
    }

    if (event.event_id !== leaf.event_id) {
      const sealedElsewhere = await store.leafByEventId(event.event_id);
      if (!sealedElsewhere) {
        return result({
          kind: 'inserted',
          leafIndex,
          eventId: event.event_id,
          position: positionOf(event),
          detail: `an event that was never sealed sits in the log before sealed event ${leaf.event_id}`,
        });
      }
      if (!(await eventExists(leaf.event_id))) {
        return result({ kind: 'missing', leafIndex, eventId: leaf.event_id, detail: 'the sealed event is no longer in the events table (deleted)' });
      }
      return result({
        kind: 'reordered',
        leafIndex,
        eventId: leaf.event_id,
        position: positionOf(event),
        detail: `sealed order has ${leaf.event_id} here, the log has ${event.event_id} (sealed at leaf ${sealedElsewhere.leafIndex})`,
      });
    }

    const recomputed = rowHash(event);
    if (!recomputed.equals(event.hash)) {
      return result({ kind: 'changed', leafIndex, eventId: event.event_id, position: positionOf(event), detail: 'the event content does not match its stored hash' });
    }
    if (!recomputed.equals(leaf.event_hash)) {
      return result({ kind: 'changed', leafIndex, eventId: event.event_id, position: positionOf(event), detail: 'the event and its stored hash were both changed after sealing' });
    }
    if (positionOf(event) !== positionOf(leaf)) {
      return result({
        kind: 'reordered',
        leafIndex,
        eventId: event.event_id,
        position: positionOf(event),
        detail: `the event moved from log position ${positionOf(leaf)}`,
      });
    }
    const leafHash = hashLeaf(recomputed);
    if (!leafHash.equals(leaf.leaf_hash)) {
      return result({ kind: 'tree', leafIndex, eventId: event.event_id, position: positionOf(event), detail: 'the stored leaf hash was altered' });
    }
    for (const node of range.append(leafHash)) if (node.level >= STORED_NODE_MIN_LEVEL) pendingNodes.push(node);
    checked += 1;
    events.next();
    leaves.next();
    const cpProblem = await checkCheckpointsAt();
    if (cpProblem) return result(cpProblem);
    if (checked % batch === 0) {
      const nodeProblem = await checkStoredNodes();
      if (nodeProblem) return result(nodeProblem);
      options.onProgress?.({ checked, sealed });
    }
  }
  const nodeProblem = await checkStoredNodes();
  if (nodeProblem) return result(nodeProblem);

  const beyond = await checkpoints.peek();
  if (beyond) {
    return result({
      kind: 'missing',
      leafIndex: range.size,
      detail: `a checkpoint signs ${beyond.treeSize} events but only ${range.size} sealed events remain`,
    });
  }
  options.onProgress?.({ checked, sealed });
  return result();
};

const rowHash = (row: EventRow): Buffer =>
  Buffer.from(
    eventHash({
      id: row.event_id,
      streamId: row.stream_id,
      revision: BigInt(row.revision),
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
    }),
    'hex',
  );
