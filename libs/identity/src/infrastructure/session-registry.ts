/** Each user's session state kept in memory, so that checking a token needs no query. */
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@app/common';
import { EventStore, LogDatabase } from '@app/event-store';
import { APP_CONFIG, AppConfig, ConfigError, JsonLogger } from '@app/platform';
import { SessionState, sessionOf } from '../domain/session';

const USER_STREAM = 'user-';
const MAX_ENTRIES = 100_000;

/**
 * The current session state of each user a request names, cached so that checking a token costs a map lookup.
 *
 * - An entry is made from the user's stream on first use, and forgotten whenever this process appends to that stream
 *   (the listener runs before the append's promise settles): a revocation made on this instance counts from the
 *   next request on.
 * - Other instances' appends are found by polling the users' streams every SESSION_REFRESH_MS (default 1000) through a
 *   partial index: a revocation made elsewhere counts here within about that bound. The poll reads every user event of
 *   transactions at or after the oldest one still running at the previous poll, so an event committed late by a slow
 *   transaction is still seen; positions already handled are not handled twice.
 * - A read of a stream that raced with an invalidation is answered but not kept.
 */
@Injectable()
export class SessionRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly entries = new Map<string, SessionState>();
  private readonly refreshMs: number;
  private generation = 0;
  private low: string | undefined;
  /** Positions (with their transaction ids) already handled at or after `low`. */
  private readonly handled = new Map<string, bigint>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly database: LogDatabase,
  ) {
    const raw = config.env.SESSION_REFRESH_MS;
    this.refreshMs = raw === undefined || raw === '' ? 1000 : Number(raw);
    if (!Number.isInteger(this.refreshMs) || this.refreshMs < 50 || this.refreshMs > 60_000) {
      throw new ConfigError([`SESSION_REFRESH_MS=${JSON.stringify(raw)}: expected an integer from 50 to 60000`]);
    }
    store.onAppended((streamIds) =>
      this.forget(streamIds.filter((id) => id.startsWith(USER_STREAM)).map((id) => id.slice(USER_STREAM.length))),
    );
  }

  async state(userId: string): Promise<SessionState> {
    const known = this.entries.get(userId);
    if (known) return known;
    const generation = this.generation;
    const events = await this.store.readStream(`${USER_STREAM}${userId}`);
    const state = sessionOf(events, this.clock.now().getTime());
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(userId, state);
    }
    return state;
  }

  forget(userIds: readonly string[]): void {
    if (userIds.length === 0) return;
    this.generation++;
    for (const userId of userIds) this.entries.delete(userId);
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      this.polling = this.poll()
        .catch((error: unknown) =>
          this.logger.event('warn', 'identity', {
            msg: 'session refresh failed',
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.refreshMs);
        });
    };
    tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  /** Forgets the users whose streams another instance (or anyone) appended to since the previous poll. */
  async poll(): Promise<void> {
    const { rows } = await this.database.query<{ low: string; hits: string[] | null }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS low,
              CASE WHEN $1::text IS NULL THEN NULL ELSE ARRAY(
                SELECT stream_id || ' ' || position || ' ' || tx_id::text FROM events
                 WHERE stream_id LIKE 'user-%' AND tx_id >= $1::text::xid8) END AS hits`,
      [this.low ?? null],
    );
    const users: string[] = [];
    for (const hit of rows[0].hits ?? []) {
      const [streamId, position, txId] = hit.split(' ');
      if (this.handled.has(position)) continue;
      this.handled.set(position, BigInt(txId));
      users.push(streamId.slice(USER_STREAM.length));
    }
    this.low = rows[0].low;
    const low = BigInt(this.low);
    for (const [position, txId] of this.handled) if (txId < low) this.handled.delete(position);
    this.forget(users);
  }
}
