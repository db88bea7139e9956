/** Read models fed from the event log, and the runner that applies, checkpoints and rebuilds them. */
import { Inject, Injectable, OnApplicationBootstrap, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import { EventStore, GlobalPosition, LogDatabase, Queryable, RecordedEvent, START, comparePositions } from '@app/event-store';
import { APP_CONFIG } from './tokens';
import { CatchUpLoop } from './catch-up-loop';
import { AppConfig } from './config';
import { JsonLogger } from './logger';

/**
 * A read model fed from the event log (never from the in-memory event bus). `apply` runs inside the transaction that
 * also advances the projection's checkpoint, so a batch is applied exactly once; it must still be idempotent (upserts,
 * guarded inserts) because a rebuild replays everything from position zero.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns; a rebuild empties them. */
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
}

export const PROJECTION = Symbol('projection');
/** Marks a provider as a projection; the runner discovers and runs every one. */
export const EventProjection = (): ClassDecorator => SetMetadata(PROJECTION, true);

const managerQueryable = (manager: EntityManager): Queryable => ({
  query: async (text, values) => {
    const rows = await manager.query(text, values);
    return { rows: rows as never[], rowCount: null };
  },
});

/** One advisory lock for every read model: one instance at a time applies batches, and a rebuild takes it too. */
const RUNNER_LOCK = 'projections';
const BATCH_SIZE = 500;
const WAITING_POLL_MS = 5;
const FAILURE_PAUSE_MS = 1000;

const readCheckpoints = async (db: Queryable, names: readonly string[]): Promise<GlobalPosition[]> => {
  const { rows } = await db.query<{ name: string; tx_id: string; position: string }>(
    'SELECT name, tx_id::text AS tx_id, position FROM subscription_checkpoints WHERE name = ANY($1::text[])',
    [names],
  );
  const stored = new Map(rows.map((row) => [row.name, { major: BigInt(row.tx_id), minor: BigInt(row.position) }]));
  return names.map((name) => stored.get(name) ?? START);
};

const writeCheckpoints = async (db: Queryable, advanced: readonly { name: string; position: GlobalPosition }[]): Promise<void> => {
  if (advanced.length === 0) return;
  await db.query(
    `INSERT INTO subscription_checkpoints (name, tx_id, position, updated_at)
     SELECT name, tx_id::xid8, position, now() FROM unnest($1::text[], $2::text[], $3::bigint[]) AS t (name, tx_id, position)
     ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()`,
    [
      advanced.map((entry) => entry.name),
      advanced.map((entry) => entry.position.major.toString()),
      advanced.map((entry) => entry.position.minor.toString()),
    ],
  );
};

/**
 * How many committed events follow a checkpoint, up to a cap ($1, $2: the checkpoint; $3: the cap). The ORDER BY in
 * commit order keeps it an index range scan from the checkpoint even under a generic plan (the log database's
 * connections plan once, generically): without it PostgreSQL's generic estimate for the row comparison (a third of the
 * table) makes a sequential scan of the whole log the cheaper plan, once per read model and per /health request.
 */
export const PROJECTION_LAG = `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE (tx_id, position) > ($1::text::xid8, $2::bigint)
   AND tx_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY events.tx_id, events.position LIMIT $3) behind`;

export interface StepOptions {
  /** Projections to apply the batch to (default: all). */
  readonly only?: readonly Projection[];
  readonly batchSize?: number;
  /** Wait for another instance's batch to finish instead of skipping (catch-up and rebuilds). */
  readonly wait?: boolean;
}

/**
 * Runs every projection from the log. One loop applies each batch to all read models in a single transaction (one
 * lock, one read of the checkpoints, one read of the log), which costs a fraction of a loop per read model. Should
 * that transaction fail, the batch is retried projection by projection, so one broken read model cannot hold the
 * others back; it keeps failing visibly in the log until fixed.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap {
  private projections: Projection[] = [];
  private readonly processed = new Map<string, GlobalPosition>();
  private readonly waiters = new Set<{ position: GlobalPosition; done: () => void }>();
  private readonly loop = new CatchUpLoop({
    onAppend: (listener) => this.store.onAppend(listener),
    // After a timer (another instance may have appended) probe the head before paying for a transaction.
    turn: async (atOnce) => {
      const outcome = atOnce || (await this.behindHead()) ? await this.stepIsolated() : { read: 0, failed: false };
      this.notifyWaiters();
      return { failed: outcome.failed, more: outcome.read >= BATCH_SIZE };
    },
    // After a failure, wait before trying again (appends do not cut this short). Otherwise a request waiting for its
    // write polls soon: its event may still be hidden behind an older transaction that appends nothing (an idempotency
    // claim, a seal), whose commit wakes no one.
    pauseMs: ({ failed }) => (failed ? FAILURE_PAUSE_MS : this.waiters.size > 0 ? WAITING_POLL_MS : this.config.projectionPollMs),
    onError: (error) => this.logger.error(error, undefined, 'projections'),
  });

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    /** Read models and their checkpoints are written in one transaction of the database beside the log. */
    private readonly database: LogDatabase,
  ) {}

  list(): readonly Projection[] {
    return this.projections;
  }

  discover(): void {
    this.projections = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance && Reflect.getMetadata(PROJECTION, wrapper.metatype))
      .map((wrapper) => wrapper.instance as Projection);
  }

  onApplicationBootstrap(): void {
    this.discover();
    if (this.config.env.PROJECTIONS_DISABLED === 'true') return;
    this.start();
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Resolves once every projection has applied the log up to `position` (read-your-writes for one request). */
  async waitFor(position: GlobalPosition, timeoutMs = 10000): Promise<boolean> {
    if (this.caughtUp(position)) return true;
    this.store.wake();
    return new Promise<boolean>((resolve) => {
      const waiter = {
        position,
        done: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private caughtUp(position: GlobalPosition): boolean {
    return this.projections.every((projection) => comparePositions(this.processed.get(projection.name) ?? START, position) >= 0);
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) if (this.caughtUp(waiter.position)) waiter.done();
  }

  /**
   * Applies the next batch of the log to the chosen projections in ONE transaction: the lock, the checkpoints read in
   * one statement, the log read once from the lowest of them, each projection given only the events past its own
   * checkpoint, and every advanced checkpoint written in one statement. Returns how many events the batch read (0:
   * all caught up, or another instance holds the lock and `wait` is off).
   */
  async step(options: StepOptions = {}): Promise<number> {
    const projections = options.only ?? this.projections;
    if (projections.length === 0) return 0;
    let outcome: { events: number; positions: Map<string, GlobalPosition> } | undefined;
    await this.dataSource.transaction(async (manager) => {
      // Read models are rebuildable from the log, so their commits need not wait for the WAL flush: after a crash a
      // lost batch is simply applied again from the durable checkpoint before it.
      const lock = options.wait ? 'pg_advisory_xact_lock(hashtext($1)) IS NOT NULL' : 'pg_try_advisory_xact_lock(hashtext($1))';
      const db = managerQueryable(manager);
      const names = projections.map((projection) => projection.name);
      const batchSize = options.batchSize ?? BATCH_SIZE;
      // The lock, the checkpoints and the log from the lowest of them go out together (the connection pipelines them)
      // and PostgreSQL runs them in order: each read is a statement of its own after the lock, so its snapshot includes
      // the previous holder's last commit.
      const [[{ locked }], checkpoints, events] = await Promise.all([
        manager.query(`SELECT set_config('synchronous_commit', 'off', true) AS sync, ${lock} AS locked`, [RUNNER_LOCK]) as Promise<
          { locked: boolean }[]
        >,
        readCheckpoints(db, names),
        this.database.readAfterCheckpoints(db, names, batchSize),
      ]);
      if (!locked) return;
      const from = checkpoints.reduce((lowest, position) => (comparePositions(position, lowest) < 0 ? position : lowest));
      const positions = new Map<string, GlobalPosition>();
      const advanced: { name: string; position: GlobalPosition }[] = [];
      const applying: Promise<void>[] = [];
      for (const [index, projection] of projections.entries()) {
        const after = checkpoints[index];
        const pending =
          comparePositions(after, from) === 0 ? events : events.filter((event) => comparePositions(event.position, after) > 0);
        const reached = pending.length ? pending[pending.length - 1].position : after;
        if (pending.length) {
          applying.push(projection.apply(pending, manager));
          advanced.push({ name: projection.name, position: reached });
        }
        positions.set(projection.name, reached);
      }
      // Each projection writes only its own tables, so they apply side by side, their statements pipelined with the
      // checkpoints' write; a failure fails the transaction, and everything is settled before it ends.
      const settled = await Promise.allSettled([...applying, writeCheckpoints(db, advanced)]);
      const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;
      outcome = { events: events.length, positions };
    });
    if (!outcome) return 0;
    // Counted for read-your-writes only once committed.
    for (const [name, position] of outcome.positions) this.processed.set(name, position);
    return outcome.events;
  }

  /**
   * Runs every projection until it has applied the whole log committed when called, including events that commit
   * order still hides behind an older transaction that is running (they are applied once it ends).
   */
  async catchUp(timeoutMs = 30_000): Promise<void> {
    const { rows } = await this.database.query<{ tx_id: string; position: string }>(
      'SELECT tx_id::text AS tx_id, position FROM events ORDER BY events.tx_id DESC, events.position DESC LIMIT 1',
    );
    const target: GlobalPosition = rows[0] ? { major: BigInt(rows[0].tx_id), minor: BigInt(rows[0].position) } : START;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const read = await this.step({ wait: true });
      if (read === 0 && (this.caughtUp(target) || Date.now() > deadline)) break;
      if (read === 0) await new Promise((done) => setTimeout(done, WAITING_POLL_MS));
    }
    this.notifyWaiters();
  }

  /** Empties a projection's tables and checkpoint, then replays the log from position zero; one projection at a time. */
  async rebuild(names?: readonly string[]): Promise<{ name: string; events: number; ms: number }[]> {
    const chosen = this.projections.filter((projection) => !names || names.includes(projection.name));
    const results = [];
    for (const projection of chosen) {
      const started = Date.now();
      await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [RUNNER_LOCK]);
        if (projection.tables.length) await manager.query(`TRUNCATE ${projection.tables.map((table) => `"${table}"`).join(', ')}`);
        await manager.query('DELETE FROM subscription_checkpoints WHERE name = $1', [projection.name]);
      });
      this.processed.delete(projection.name);
      let events = 0;
      let applied: number;
      while ((applied = await this.step({ only: [projection], batchSize: 2000, wait: true })) > 0) events += applied;
      results.push({ name: projection.name, events, ms: Date.now() - started });
    }
    return results;
  }

  /** How many committed events each projection has still to apply (capped, for /health). */
  async lag(cap = 10000): Promise<{ name: string; behind: number }[]> {
    const checkpoints = await readCheckpoints(
      this.database,
      this.projections.map((projection) => projection.name),
    );
    return Promise.all(
      this.projections.map(async (projection, index) => {
        const from = checkpoints[index];
        const { rows } = await this.database.query<{ n: string }>(PROJECTION_LAG, [from.major.toString(), from.minor.toString(), cap]);
        return { name: projection.name, behind: Number(rows[0].n) };
      }),
    );
  }

  /** One batch for everyone; if it fails, the same batch one projection at a time, so the healthy ones go on. */
  private async stepIsolated(): Promise<{ read: number; failed: boolean }> {
    try {
      return { read: await this.step(), failed: false };
    } catch (error) {
      this.logger.error(error, undefined, 'projections');
      let read = 0;
      for (const projection of this.projections) {
        try {
          read += await this.step({ only: [projection] });
        } catch (failure) {
          this.logger.error(failure, undefined, `projection:${projection.name}`);
        }
      }
      return { read, failed: true };
    }
  }

  /** True when some projection has not applied the visible head of the log (one index probe). */
  private async behindHead(): Promise<boolean> {
    const known = this.projections.map((projection) => this.processed.get(projection.name));
    if (known.some((position) => !position)) return true;
    const head = await this.database.head();
    return known.some((position) => comparePositions(position!, head) < 0);
  }
}
