import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import { GlobalPosition, PgEventStore, Queryable, RecordedEvent, START, comparePositions, readCheckpoint, readCommitted, writeCheckpoint } from '@app/event-store';
import { APP_CONFIG } from './tokens';
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

/** Key for the per-projection advisory lock: one instance at a time applies a projection's batch. */
const lockKey = (name: string): string => `projection:${name}`;

@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap {
  private projections: Projection[] = [];
  private readonly processed = new Map<string, GlobalPosition>();
  private readonly waiters = new Set<{ position: GlobalPosition; done: () => void }>();
  private running = false;
  private loops: Promise<void>[] = [];
  private wakeAll: Array<() => void> = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly dataSource: DataSource,
    private readonly store: PgEventStore,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    if (this.running) return;
    this.running = true;
    this.loops = this.projections.map((projection) => this.loop(projection));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wakeAll) wake();
    await Promise.all(this.loops);
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

  /** Applies one batch; returns how many events it applied (0: caught up, or another instance holds the lock). */
  async step(projection: Projection, batchSize = 500): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // Read models are rebuildable from the log, so their commits need not wait for the WAL flush: after a crash a
      // lost batch is simply applied again from the durable checkpoint before it.
      const [{ locked }] = await manager.query(
        `SELECT set_config('synchronous_commit', 'off', true) AS sync, pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
        [lockKey(projection.name)],
      );
      if (!locked) return 0;
      const db = managerQueryable(manager);
      const from = await readCheckpoint(db, projection.name);
      const events = await readCommitted(db, from, batchSize, this.store.toRecorded);
      if (events.length === 0) {
        this.processed.set(projection.name, from);
        return 0;
      }
      await projection.apply(events, manager);
      const last = events[events.length - 1].position;
      await writeCheckpoint(db, projection.name, last);
      this.processed.set(projection.name, last);
      return events.length;
    });
  }

  /** Runs every projection until it has applied the whole committed log. */
  async catchUp(): Promise<void> {
    for (const projection of this.projections) while ((await this.step(projection)) > 0);
    this.notifyWaiters();
  }

  /** Empties a projection's tables and checkpoint, then replays the log from position zero. */
  async rebuild(names?: readonly string[]): Promise<{ name: string; events: number; ms: number }[]> {
    const chosen = this.projections.filter((projection) => !names || names.includes(projection.name));
    const results = [];
    for (const projection of chosen) {
      const started = Date.now();
      await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(projection.name)]);
        if (projection.tables.length) await manager.query(`TRUNCATE ${projection.tables.map((table) => `"${table}"`).join(', ')}`);
        await manager.query('DELETE FROM subscription_checkpoints WHERE name = $1', [projection.name]);
      });
      this.processed.delete(projection.name);
      let events = 0;
      for (let applied = await this.step(projection, 2000); applied > 0; applied = await this.step(projection, 2000)) events += applied;
      results.push({ name: projection.name, events, ms: Date.now() - started });
    }
    return results;
  }

  /** How many committed events each projection has still to apply (capped, for /health). */
  async lag(cap = 10000): Promise<{ name: string; behind: number }[]> {
    return Promise.all(
      this.projections.map(async (projection) => {
        const from = await readCheckpoint(this.store.pool, projection.name);
        const { rows } = await this.store.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE (tx_id, position) > ($1::text::xid8, $2::bigint)
             AND tx_id < pg_snapshot_xmin(pg_current_snapshot()) LIMIT $3) behind`,
          [from.major.toString(), from.minor.toString(), cap],
        );
        return { name: projection.name, behind: Number(rows[0].n) };
      }),
    );
  }

  private async loop(projection: Projection): Promise<void> {
    while (this.running) {
      // Listen before reading, so an append that lands while this step runs triggers another step at once.
      let woken = false;
      let wake = () => undefined as void;
      const stopListening = this.store.onAppend(() => {
        woken = true;
        wake();
      });
      let applied = 0;
      try {
        // Cheap idle check first: one index probe for the log head instead of a transaction with a lock and two reads.
        const known = this.processed.get(projection.name);
        if (known && comparePositions(known, await this.store.head()) >= 0) applied = 0;
        else applied = await this.step(projection);
        this.notifyWaiters();
      } catch (error) {
        this.logger.error(error, undefined, `projection:${projection.name}`);
        await new Promise((done) => setTimeout(done, 1000));
      }
      if (applied > 0 || woken || !this.running) {
        stopListening();
        continue;
      }
      const pauseMs = this.config.projectionPollMs;
      await new Promise<void>((done) => {
        const finish = () => {
          clearTimeout(timer);
          this.wakeAll = this.wakeAll.filter((other) => other !== finish);
          done();
        };
        const timer = setTimeout(finish, pauseMs);
        wake = finish;
        this.wakeAll.push(finish);
      });
      stopListening();
    }
  }
}

/**
 * On shutdown: stop the projection loops before any pool closes (Nest runs every beforeApplicationShutdown hook before
 * the data source's own shutdown), then close the event store's pool.
 */
@Injectable()
export class EventStoreShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: PgEventStore,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
