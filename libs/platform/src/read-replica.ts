/** Read-model reads served by a streaming replica, with read-your-writes kept (see below). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor, OnApplicationShutdown } from '@nestjs/common';
import * as pg from 'pg';
import { Observable, catchError, from, mergeMap, throwError } from 'rxjs';
import { DomainError } from '@app/common';
import { LogDatabase, Queryable } from '@app/event-store';
import { PreparingClient, socketHostOf } from './database';
import { AuthenticatedUser } from './http';
import { Metrics } from './metrics';

/**
 * Reads of read models served by a streaming replica, without losing read-your-writes.
 *
 * The seam is the read models' connection pool: TypeORM is given a pool that hands out a replica connection while a
 * request runs in the replica route (see `ReplicaReadInterceptor`) and a primary connection otherwise. Commands, the
 * event store, projections, the sealer and the outbox never run in that route (they use the event store's pools, or run
 * outside any request), and a hot standby refuses every write, so a mistake fails loudly rather than diverging.
 *
 * Read-your-writes: after a request that changed something (whose handler has already waited for the projections to
 * apply its events), the primary's WAL insert position is taken; it covers the projections' commit, which is made
 * with `synchronous_commit = off` and so may not be flushed yet. It is returned as `X-Read-After` and kept per user in
 * this process; a later read waits until the replica has replayed that far, or past `REPLICA_MAX_WAIT_MS` is served by
 * the primary. A client that may reach another instance sends the header back on its reads.
 */

export const READ_AFTER_HEADER = 'X-Read-After';

/** Which database serves the pool's connections in the current asynchronous context. */
const route = new AsyncLocalStorage<'replica'>();

/** Runs `work` with the read models' pool serving connections from the replica. */
export const onReplica = <T>(work: () => T): T => route.run('replica', work);

/** Runs `work` on the primary, also inside a request whose reads the replica serves. */
export const onPrimary = <T>(work: () => T): T => route.exit(work);

/** A WAL position (`16/B374D848`) as a number that orders correctly; undefined if it is not one. */
export const parseLsn = (text: unknown): bigint | undefined => {
  if (typeof text !== 'string') return undefined;
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : undefined;
};

export const formatLsn = (lsn: bigint): string =>
  `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, release: (release?: unknown) => void) => void;

/**
 * The `pg` module as TypeORM loads it, except that its pools hand out replica connections in the replica route. Only
 * connection checkout is routed: what a connection then runs is up to TypeORM as before. A replica that cannot be
 * reached sends the read to the primary and is left alone for a while.
 */
export const routingDriver = (replica: ReplicaReads): typeof pg => {
  class RoutingPool extends pg.Pool {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override connect(callback?: ConnectCallback): any {
      const primary = (done?: ConnectCallback) => (super.connect as (done?: ConnectCallback) => unknown).call(this, done);
      if (!route.getStore()) return primary(callback);
      if (!callback) {
        return replica.pool.connect().then(
          (client) => {
            replica.served();
            return client;
          },
          () => {
            replica.connectFailed();
            return primary();
          },
        );
      }
      replica.pool.connect((err, client, release) => {
        if (!err) {
          replica.served();
          return callback(undefined, client, release);
        }
        replica.connectFailed();
        primary(callback);
      });
    }
  }
  return { ...pg, Pool: RoutingPool } as typeof pg;
};

export interface ReplicaSettings {
  readonly url: string;
  readonly maxWaitMs: number;
}

const POLL_MS = 2;
/** After a failed probe the replica is left alone this long; reads go to the primary meanwhile. */
const RETRY_AFTER_FAILURE_MS = 1000;
/** Positions kept per user; the oldest are dropped past this, and such a user's reads merely wait less. */
const MAX_USERS = 100_000;

/**
 * Knows how far the replica has replayed, by polling it only while some read is waiting, and the last write position
 * of each user who wrote through this process.
 */
export class ReplicaReads implements OnApplicationShutdown {
  readonly pool: pg.Pool;
  private replayed = -1n;
  private downUntil = 0;
  private polling?: Promise<void>;
  private readonly waiters = new Set<{ target: bigint; done: (reached: boolean) => void }>();
  private readonly lastWrite = new Map<string, bigint>();

  constructor(
    readonly settings: ReplicaSettings,
    private readonly metrics: Metrics,
  ) {
    // A replica that does not answer a connection within the timeout counts as unreachable: reads go to the primary.
    this.pool = new pg.Pool({
      connectionString: settings.url,
      max: 20,
      Client: PreparingClient,
      application_name: 'replica-reads',
      connectionTimeoutMillis: 2000,
      ...socketHostOf(settings.url),
    });
    this.pool.on('error', () => undefined);
  }

  /** The primary's WAL insert position now: past every commit this process has seen end, synchronous or not. */
  async writePosition(primary: Queryable): Promise<bigint> {
    const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return parseLsn(rows[0].lsn) as bigint;
  }

  remember(userId: string, lsn: bigint): void {
    const known = this.lastWrite.get(userId);
    if (known !== undefined && known >= lsn) return;
    this.lastWrite.delete(userId);
    this.lastWrite.set(userId, lsn);
    if (this.lastWrite.size > MAX_USERS) this.lastWrite.delete(this.lastWrite.keys().next().value as string);
  }

  lastWriteOf(userId: string): bigint | undefined {
    return this.lastWrite.get(userId);
  }

  /**
   * Whether a read that must see `target` (0n: nothing in particular) may be served by the replica: at once if it is
   * known to have replayed that far, after waiting at most `maxWaitMs` for it otherwise; false sends the read to the
   * primary. Counted: reads that waited, and fallbacks with their reason.
   */
  async admit(target: bigint): Promise<boolean> {
    if (Date.now() < this.downUntil) return this.fallback('replica_unavailable');
    if (this.replayed >= target && this.replayed >= 0n) return true;
    this.metrics.replicaWaits.inc();
    const reached = await new Promise<boolean>((done) => {
      const waiter = {
        target,
        done: (value: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          done(value);
        },
      };
      const timer = setTimeout(() => waiter.done(false), this.settings.maxWaitMs);
      this.waiters.add(waiter);
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    });
    if (reached) return true;
    return this.fallback(Date.now() < this.downUntil ? 'replica_unavailable' : 'replay_behind');
  }

  /** Reads go to the primary for a while: the replica did not answer. */
  unreachable(): void {
    this.downUntil = Date.now() + RETRY_AFTER_FAILURE_MS;
  }

  /** A read that was to run on the replica runs on the primary: no connection to the replica could be made. */
  connectFailed(): void {
    this.unreachable();
    this.fallback('replica_unavailable');
  }

  /** A read failed on the replica and runs again on the primary; the replica is left alone for a while. */
  readFailed(): void {
    this.unreachable();
    this.fallback('replica_failed');
  }

  /** One statement's connection taken from the replica. */
  served(): void {
    this.metrics.replicaReads.inc();
  }

  private fallback(reason: string): false {
    this.metrics.replicaFallbacks.inc({ reason });
    return false;
  }

  private async poll(): Promise<void> {
    while (this.waiters.size > 0) {
      try {
        // Null once the replica is no longer a standby: promoted, it is the primary and as current as it gets.
        const { rows } = await this.pool.query<{ lsn: string | null }>(
          'SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END AS lsn',
        );
        const replayed = rows[0].lsn === null ? (1n << 64n) - 1n : (parseLsn(rows[0].lsn) as bigint);
        if (replayed > this.replayed) this.replayed = replayed;
      } catch {
        this.unreachable();
        for (const waiter of [...this.waiters]) waiter.done(false);
        return;
      }
      for (const waiter of [...this.waiters]) if (this.replayed >= waiter.target) waiter.done(true);
      if (this.waiters.size > 0) await new Promise((done) => setTimeout(done, POLL_MS));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Sends the reads of a request (GET, HEAD) to the replica once it has replayed the caller's last write, and stamps
 * every successful change with the write position its reads must wait for. It runs after the guards, so
 * authentication and session checks always read the primary.
 */
@Injectable()
export class ReplicaReadInterceptor implements NestInterceptor {
  constructor(
    private readonly replica: ReplicaReads,
    private readonly store: LogDatabase,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest();
    const response = context.switchToHttp().getResponse();
    const userId = (request.user as AuthenticatedUser | undefined)?.id;
    if (!SAFE_METHODS.has(request.method)) {
      return next.handle().pipe(
        mergeMap(async (body) => {
          // The change is made and answered either way; without the position a later read may merely lag.
          const lsn = await this.replica.writePosition(this.store).catch(() => undefined);
          if (lsn === undefined) return body;
          if (userId) this.replica.remember(userId, lsn);
          if (!response.headersSent) response.setHeader(READ_AFTER_HEADER, formatLsn(lsn));
          return body;
        }),
      );
    }
    const header = parseLsn(request.headers[READ_AFTER_HEADER.toLowerCase()]) ?? 0n;
    const remembered = userId ? (this.replica.lastWriteOf(userId) ?? 0n) : 0n;
    const target = header > remembered ? header : remembered;
    return from(this.replica.admit(target)).pipe(
      mergeMap((useReplica) => {
        if (!useReplica) return next.handle();
        // A read that fails on the replica for a reason of its own (connection lost, cancelled by a recovery conflict)
        // runs again on the primary; a refusal of the request itself (4xx) is the answer.
        return new Observable<unknown>((subscriber) => onReplica(() => next.handle().subscribe(subscriber))).pipe(
          catchError((error: unknown) => {
            if (error instanceof HttpException || error instanceof DomainError) return throwError(() => error);
            this.replica.readFailed();
            return next.handle();
          }),
        );
      }),
    );
  }
}
