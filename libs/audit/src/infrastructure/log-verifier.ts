/**
 * `audit verify` (E2): walks the events table in commit order beside the sealed leaf tiles, recomputing every event's
 * hash from its raw stored row and the Merkle tree from those hashes, and holds the tree to every signed checkpoint. Each
 * tile's commit-order range must hold exactly the events it sealed, in its order, which is what lets proofs and searches
 * derive an event's leaf index from its position. Reads are keyset-paged, so memory stays flat however long the log is.
 * It stops at the first bad position and says what is wrong: a changed row, a missing (deleted) event, an inserted
 * event, events out of their sealed order, or damaged tree storage. An event that is absent from the range its tile
 * sealed, or present in another tile's range, is looked up by its hash before it is called deleted or inserted: a row
 * moved in commit order (its transaction id rewritten, say, across a sealing-batch boundary) is reported as reordered.
 */
import { eventHash } from '@app/common';
import { Queryable } from '@app/event-store';
import { CompactRange } from '../domain/compact-range';
import { openCheckpoint } from '../domain/checkpoint';
import { signedTimestamp } from '../domain/cosignature';
import { hashLeaf, TreeNode } from '../domain/merkle';
import { NoteVerifier } from '../domain/signed-note';
import { CheckpointRecord, eventIdAt, hashAt, PgAuditStore, STORED_NODE_MIN_LEVEL, TileRow } from './pg-audit-store';

export type ProblemKind = 'changed' | 'missing' | 'inserted' | 'reordered' | 'checkpoint' | 'tree';

export interface LogProblem {
  readonly kind: ProblemKind;
  /** The first bad leaf index (the position in sealed order). */
  readonly leafIndex: number;
  readonly eventId?: string;
  /** The event's position in the events table, "<tx id>:<sequence>", when there is a row. */
  readonly position?: string;
  /** For a missing or moved event: the event hash sealed at `leafIndex` (hex). */
  readonly sealedEventHash?: string;
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

/**
 * A keyset-paged cursor. It holds the page being checked and, unless that page was the last, the read of the next one,
 * so the database reads ahead while the verifier hashes: memory stays at two pages.
 */
class Paged<T> {
  private page: T[] = [];
  private at = 0;
  private done = false;
  private ahead: Promise<T[]> | null = null;
  constructor(
    private readonly fetch: (last: T | undefined) => Promise<T[]>,
    /** Whether more may follow a page (a short page of a LIMIT query is the last). */
    private readonly mayContinue: (page: readonly T[]) => boolean,
  ) {}

  async peek(): Promise<T | undefined> {
    if (this.at < this.page.length) return this.page[this.at];
    if (this.done) return undefined;
    const last = this.page[this.page.length - 1];
    this.page = await (this.ahead ?? this.fetch(last));
    this.ahead = null;
    this.at = 0;
    if (this.page.length === 0) this.done = true;
    else if (this.mayContinue(this.page)) {
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

const AMONG_SEALED = 'an event that was never sealed sits in the log among sealed events';

/** Commit order of an event row against a position given as text: negative before, 0 at, positive after. */
const compareTo = (row: EventRow, txId: string, position: string): number => {
  const tx = BigInt(row.tx_id) - BigInt(txId);
  const delta = tx !== 0n ? tx : BigInt(row.position) - BigInt(position);
  return delta < 0n ? -1 : delta > 0n ? 1 : 0;
};

export const verifyAuditLog = async (db: Queryable, options: VerifyOptions): Promise<LogVerification> => {
  const batch = options.batchSize ?? 2000;
  const store = new PgAuditStore(db);
  const sealed = await store.sealedSize();
  const events = new Paged<EventRow>(
    async (last) => {
      const { rows } = await db.query<EventRow>(
        `SELECT position, tx_id::text AS tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, hash
         FROM events
        WHERE (tx_id, position) > ($1::text::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY events.tx_id, events.position LIMIT $3`,
        [last?.tx_id ?? '0', last?.position ?? '0', batch],
      );
      return rows;
    },
    (page) => page.length >= batch,
  );
  // A page of tiles is bounded by the leaves it holds, not by a row count: only an empty page ends them.
  const tiles = new Paged<TileRow>(
    (last) => store.tilesAfter(last ? Number(last.start) : -1, batch),
    () => true,
  );
  const checkpoints = new Paged<CheckpointRecord>(
    (last) => store.listCheckpoints(last ? last.treeSize : 0, 100),
    (page) => page.length >= 100,
  );

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

  /**
   * The event sealed at `leafIndex` (the `j`th of `tile`) is not where it was sealed. If a row with its hash is still in
   * the log, it was moved in commit order; otherwise it was deleted. Either way it is named by id and hash.
   */
  const absentSealed = async (tile: TileRow, j: number): Promise<LogProblem> => {
    const leafIndex = Number(tile.start) + j;
    const sealedHash = hashAt(tile.event_hashes, j);
    const sealedId = eventIdAt(tile.event_ids, j);
    const named = `the event ${sealedId ?? '(id not recorded in its tile)'} with hash ${sealedHash.toString('hex')} sealed at leaf ${leafIndex}`;
    const base = { leafIndex, sealedEventHash: sealedHash.toString('hex') };
    const now = await store.eventByHash(sealedHash, db);
    if (now) {
      return {
        kind: 'reordered',
        ...base,
        eventId: now.eventId,
        position: now.position,
        detail: `${named} was moved out of its sealed place: it now sits at log position ${now.position}`,
      };
    }
    return { kind: 'missing', ...base, eventId: sealedId, detail: `${named} is no longer in the events table (deleted)` };
  };

  /** An event in a tile's range that the tile did not seal: moved from the leaf that sealed it, or never sealed. */
  const strayEvent = async (event: EventRow, leafIndex: number, where: string): Promise<LogProblem> => {
    const at = { leafIndex, eventId: event.event_id, position: positionOf(event) };
    const sealedAt = await store.leafOfEventHash(event.hash, db);
    if (sealedAt !== null && sealedAt !== leafIndex) {
      return { kind: 'reordered', ...at, detail: `the log has event ${event.event_id} ${where}, which was sealed at leaf ${sealedAt}` };
    }
    return { kind: 'inserted', ...at, detail: where === 'here' ? AMONG_SEALED : `an event that was never sealed sits in the log ${where}` };
  };

  /**
   * The first event of a tile's range that differs from what the tile sealed at leaf `leafIndex`. The tile's event count
   * tells a deletion or insertion from a change; an event sealed at another leaf is out of order, and so is a sealed
   * event that left the range but is still in the log.
   */
  const firstDifference = async (tile: TileRow, event: EventRow, j: number, inRange: number): Promise<LogProblem> => {
    const leafIndex = Number(tile.start) + j;
    const at = { leafIndex, eventId: event.event_id, position: positionOf(event) };
    if (inRange < tile.size) return absentSealed(tile, j);
    if (inRange > tile.size) return strayEvent(event, leafIndex, 'here');
    if (!rowHash(event).equals(event.hash)) return { kind: 'changed', ...at, detail: 'the event content does not match its stored hash' };
    const sealedAt = await store.leafOfEventHash(event.hash, db);
    if (sealedAt !== null && sealedAt !== leafIndex) {
      return { kind: 'reordered', ...at, detail: `the log has event ${event.event_id} here, which was sealed at leaf ${sealedAt}` };
    }
    return { kind: 'changed', ...at, detail: 'the event and its stored hash were both changed after sealing' };
  };

  const checkTile = async (tile: TileRow): Promise<LogProblem | undefined> => {
    const start = Number(tile.start);
    if (start !== range.size) {
      return {
        kind: 'tree',
        leafIndex: range.size,
        detail:
          start > range.size
            ? `sealed leaves ${range.size}..${start - 1} are missing from the leaf tiles`
            : `the leaf tile at ${start} overlaps earlier leaves`,
      };
    }
    // A tile whose recorded range is off would misplace every event of it when a leaf index is derived from position.
    const misplaced = (detail: string): LogProblem => ({ kind: 'tree', leafIndex: start, detail: `the leaf tile at ${start} ${detail}` });
    const before = await events.peek();
    if (before && compareTo(before, tile.first_tx_id, tile.first_position) < 0) {
      if (before.hash.equals(hashAt(tile.event_hashes, 0))) return misplaced('starts after the first event it sealed');
      return strayEvent(before, start, `before sealed leaf ${start}`);
    }
    // The tile's events, and one more if there is one, to tell an insertion from a change.
    const inRange: EventRow[] = [];
    for (
      let event = await events.peek();
      event && compareTo(event, tile.last_tx_id, tile.last_position) <= 0 && inRange.length <= tile.size;
      event = await events.peek()
    ) {
      inRange.push(event);
      events.next();
    }
    for (let j = 0; j < Math.min(inRange.length, tile.size); j += 1) {
      const event = inRange[j];
      const leafIndex = start + j;
      const recomputed = rowHash(event);
      if (!recomputed.equals(event.hash) || !recomputed.equals(hashAt(tile.event_hashes, j))) {
        return firstDifference(tile, event, j, inRange.length);
      }
      const leafHash = hashLeaf(recomputed);
      if (!leafHash.equals(hashAt(tile.leaf_hashes, j))) {
        return {
          kind: 'tree',
          leafIndex,
          eventId: event.event_id,
          position: positionOf(event),
          detail: 'the stored leaf hash was altered',
        };
      }
      for (const node of range.append(leafHash)) if (node.level >= STORED_NODE_MIN_LEVEL) pendingNodes.push(node);
      checked += 1;
      const cpProblem = await checkCheckpointsAt();
      if (cpProblem) return cpProblem;
      if (checked % batch === 0) {
        const nodeProblem = await checkStoredNodes();
        if (nodeProblem) return nodeProblem;
        options.onProgress?.({ checked, sealed });
      }
    }
    if (inRange.length < tile.size) {
      const next = await events.peek();
      if (next?.hash.equals(hashAt(tile.event_hashes, inRange.length))) return misplaced('ends before the last event it sealed');
      return absentSealed(tile, inRange.length);
    }
    if (inRange.length > tile.size) {
      const extra = inRange[tile.size];
      const nextTile = await tiles.peek();
      if (nextTile && compareTo(extra, nextTile.first_tx_id, nextTile.first_position) === 0) return misplaced('reaches into the next tile');
      return strayEvent(extra, start + tile.size, 'here');
    }
    if (
      compareTo(inRange[0], tile.first_tx_id, tile.first_position) !== 0 ||
      compareTo(inRange[tile.size - 1], tile.last_tx_id, tile.last_position) !== 0
    ) {
      return misplaced('does not start and end at the events it sealed');
    }
    return undefined;
  };

  // Checkpoints of size 0 need no leaves.
  const early = await checkCheckpointsAt();
  if (early) return result(early);

  for (let tile = await tiles.peek(); tile; tile = await tiles.peek()) {
    tiles.next();
    const problem = await checkTile(tile);
    if (problem) return result(problem);
  }
  // Past the sealed tail: not yet covered by the tree, but each row must still match its own hash.
  for (let event = await events.peek(); event; event = await events.peek()) {
    if (!rowHash(event).equals(event.hash)) {
      return result({
        kind: 'changed',
        leafIndex: range.size,
        eventId: event.event_id,
        position: positionOf(event),
        detail: 'unsealed event: its content does not match its stored hash',
      });
    }
    unsealed += 1;
    checked += 1;
    events.next();
  }
  const nodeProblem = await checkStoredNodes();
  if (nodeProblem) return result(nodeProblem);

  const beyond = await checkpoints.peek();
  if (beyond) {
    // Events still there but unsealed where a checkpoint says they were sealed: their tiles are what is gone.
    const tilesGone = range.size + unsealed >= beyond.treeSize;
    return result({
      kind: tilesGone ? 'tree' : 'missing',
      leafIndex: range.size,
      detail: `a checkpoint signs ${beyond.treeSize} events but only ${range.size} sealed ${tilesGone ? 'leaves remain in the leaf tiles' : 'events remain'}`,
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
