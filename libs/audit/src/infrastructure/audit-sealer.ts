/**
 * The sealer follows the global log in commit order and appends each event's stored hash as a Merkle leaf, off the
 * write path: appends never wait for it and it takes no lock writers need. Each batch (leaves, nodes) commits in one
 * transaction together with the tail it extends, so a crash or a second instance can neither skip nor repeat an event;
 * a transaction-scoped advisory lock lets only one instance seal at a time.
 */
import { DatabaseSession, GlobalPosition, LogDatabase, Queryable } from '@app/event-store';
import { CompactRange } from '../domain/compact-range';
import { formatCheckpoint } from '../domain/checkpoint';
import { TreeNode } from '../domain/merkle';
import { signNote } from '../domain/signed-note';
import { AuditSigning } from './signing-key';
import { CheckpointRecord, PgAuditStore, STORED_NODE_MIN_LEVEL } from './pg-audit-store';

const SEALER_LOCK = "hashtext('audit.sealer')";

export interface SealerOptions {
  readonly batchSize?: number;
  readonly pollMs?: number;
  /** A new checkpoint is signed at most this often while the log grows. */
  readonly checkpointIntervalMs?: number;
  readonly onError?: (error: unknown) => void;
  /** The clock for checkpoint times (the application's Clock; tests move it). */
  readonly now?: () => Date;
  /** Told of each checkpoint this sealer signs, after it is stored (witness submission listens here). */
  readonly onCheckpoint?: (checkpoint: CheckpointRecord) => void;
}

export class AuditSealer {
  private state: { range: CompactRange; lastPosition: GlobalPosition } | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: () => void = () => undefined;
  private lastCheckpointAt = 0;
  private readonly store: PgAuditStore;
  private readonly batchSize: number;

  constructor(
    private readonly database: Pick<LogDatabase, 'query' | 'connect'>,
    private readonly signing: AuditSigning,
    private readonly options: SealerOptions = {},
  ) {
    this.store = new PgAuditStore(database);
    this.batchSize = options.batchSize ?? 10_000;
  }

  /**
   * Seals one batch of committed, unsealed events; returns how many. 0 when caught up, or when another sealer holds the
   * lock and `wait` is false (the background loop never queues behind another instance).
   */
  async sealBatch(wait = false): Promise<number> {
    return this.locked(
      wait,
      async (client) => {
        const state = await this.currentState(client);
        // Walk the commit-order index and stop at the batch size. Without this, a large backlog beyond the planner's
        // statistics gets a bitmap scan of everything after the tail plus a sort, for every batch.
        await client.query('SET LOCAL enable_bitmapscan = off');
        const batch = await this.store.sealNextLeaves(client, state.lastPosition, state.range.size, this.batchSize);
        if (!batch) return 0;
        // Work on a copy of the frontier so a failed commit leaves the in-memory tree at the stored tail.
        const range = CompactRange.restore(
          state.range.size,
          state.range.frontierNodes().map((n) => n.hash),
        );
        const nodes: TreeNode[] = [];
        for (const leafHash of batch.leafHashes) {
          for (const node of range.append(leafHash)) if (node.level >= STORED_NODE_MIN_LEVEL) nodes.push(node);
        }
        await this.store.appendNodes(client, nodes);
        // Set before the commit in `locked`; a failed commit resets it to be reloaded from the store.
        this.state = { range, lastPosition: batch.lastPosition };
        return batch.leafHashes.length;
      },
      0,
    );
  }

  /** Seals everything committed so far, waiting for any other sealer rather than skipping. */
  async sealAll(): Promise<number> {
    let total = 0;
    for (let sealed = await this.sealBatch(true); sealed > 0; sealed = await this.sealBatch(true)) total += sealed;
    return total;
  }

  /**
   * Seals what is committed and signs a checkpoint of the resulting tree, unless the latest checkpoint already covers
   * it. Returns the latest checkpoint (null while the log is empty).
   */
  async checkpoint(): Promise<CheckpointRecord | null> {
    await this.sealAll();
    let fresh = false;
    const signed = await this.locked(
      true,
      async (client) => {
        const state = await this.currentState(client);
        const latest = await this.store.latestCheckpoint(client);
        if (state.range.size === 0 || (latest && latest.treeSize >= state.range.size)) return latest;
        fresh = true;
        const rootHash = state.range.root();
        // Whole seconds, as the cosignature carries them, so the stored time and the signed time agree exactly.
        const seconds = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
        const note = signNote(formatCheckpoint({ origin: this.signing.origin, size: state.range.size, rootHash }), [
          this.signing.signer,
          this.signing.timestampSigner(seconds),
        ]);
        await this.store.insertCheckpoint(client, {
          treeSize: state.range.size,
          rootHash,
          origin: this.signing.origin,
          keyName: this.signing.signer.name,
          keyId: this.signing.signer.keyId.toString('hex'),
          note,
          lastPosition: state.lastPosition,
          signedAt: new Date(seconds * 1000),
        });
        return this.store.latestCheckpoint(client);
      },
      null,
    );
    this.lastCheckpointAt = Date.now();
    if (fresh && signed) this.options.onCheckpoint?.(signed);
    return signed;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const pollMs = this.options.pollMs ?? 200;
    const interval = this.options.checkpointIntervalMs ?? 60_000;
    this.lastCheckpointAt = Date.now();
    this.loop = (async () => {
      while (this.running) {
        let sealed = 0;
        try {
          sealed = await this.sealBatch();
          if (Date.now() - this.lastCheckpointAt >= interval) await this.checkpoint();
        } catch (error) {
          this.state = null;
          this.options.onError?.(error);
        }
        // A full batch means more is waiting; a partial one sealed everything visible, and the next append wakes us.
        if (sealed >= this.batchSize || !this.running) continue;
        await new Promise<void>((done) => {
          const timer = setTimeout(done, pollMs);
          this.wake = () => {
            clearTimeout(timer);
            done();
          };
        });
      }
    })();
  }

  /** Nudges the loop (after a local append) instead of waiting for the next poll. */
  poke(): void {
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  private async currentState(db: Queryable) {
    // The stored tail is the truth: if another instance sealed since we last looked, reload.
    if (!this.state || this.state.range.size !== (await this.store.sealedSize(db))) this.state = await this.store.loadTail(db);
    return this.state;
  }

  private async locked<T, F>(wait: boolean, work: (client: DatabaseSession) => Promise<T>, whenBusy: F): Promise<T | F> {
    const client = await this.database.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ locked: boolean }>(
        wait
          ? `SELECT true AS locked FROM (SELECT pg_advisory_xact_lock(${SEALER_LOCK})) AS waited`
          : `SELECT pg_try_advisory_xact_lock(${SEALER_LOCK}) AS locked`,
      );
      if (!rows[0].locked) {
        await client.query('ROLLBACK');
        return whenBusy;
      }
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.state = null;
      throw error;
    } finally {
      client.release();
    }
  }
}
