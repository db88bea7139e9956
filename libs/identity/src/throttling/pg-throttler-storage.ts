import { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '@app/common';
import { LogDatabase } from '@app/event-store';

const PURGE_EVERY_MS = 10 * 60_000;
const FLUSH_MS = 250;

/**
 * Adds hits to counters, one row per key and window, with an optional block: a fixed window of `ttl` starts at a key's
 * first hit; a key past `limit` is blocked for `block`, and once a window or a block is over it counts from zero again.
 * One atomic upsert for any number of keys of one throttler ($1 keys sorted, so concurrent writers lock rows in one
 * order), so every API instance on the database shares the counters. Time is the application's clock (tests move
 * it); durations are milliseconds, as @nestjs/throttler passes them.
 */
const ADD = `
  INSERT INTO throttle_counters AS c (key, hits, expires_at, blocked_until)
  SELECT u.key, u.n, $3::timestamptz + $4 * interval '1 millisecond',
         CASE WHEN u.n > $5 THEN $3::timestamptz + $6 * interval '1 millisecond' END
    FROM unnest($1::text[], $2::int[]) AS u(key, n)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.blocked_until > $3 THEN c.hits
                WHEN c.expires_at <= $3 OR c.blocked_until <= $3 THEN EXCLUDED.hits
                ELSE c.hits + EXCLUDED.hits END,
    expires_at = CASE WHEN c.blocked_until > $3 THEN c.expires_at
                      WHEN c.expires_at <= $3 OR c.blocked_until <= $3 THEN EXCLUDED.expires_at
                      ELSE c.expires_at END,
    blocked_until = CASE WHEN c.blocked_until > $3 THEN c.blocked_until
                         WHEN c.expires_at <= $3 OR c.blocked_until <= $3 THEN EXCLUDED.blocked_until
                         WHEN c.hits + EXCLUDED.hits > $5 THEN $3::timestamptz + $6 * interval '1 millisecond'
                         ELSE NULL END
  RETURNING key, hits, expires_at, blocked_until, blocked_until = $3::timestamptz + $6 * interval '1 millisecond' AS newly_blocked`;

interface CounterRow {
  key: string;
  hits: number;
  expires_at: Date;
  blocked_until: Date | null;
  newly_blocked: boolean | null;
}

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export interface CounterRecord extends ThrottlerStorageRecord {
  /** This hit started the block. */
  readonly newlyBlocked: boolean;
}

/** A buffered key: the shared count as of this process's last write, and the hits counted here since. */
interface Local {
  windowEnd: number;
  blockedUntil: number;
  shared: number;
  pending: number;
}

interface Settings {
  readonly ttl: number;
  readonly limit: number;
  readonly block: number;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * @nestjs/throttler's storage in PostgreSQL (table `throttle_counters`).
 *
 * Throttlers named in `buffered` (the per-user limit of money-moving routes, on every payment) are counted in this
 * process first and added to the shared counters by one statement per throttler every 250 ms, so a request pays no
 * round trip for its limit: within one instance the count is exact; across instances each one sees the others' hits
 * at its next write, so a user spreading requests over n instances gets at most about n × 250 ms worth of extra hits.
 * The others (login and registration limits, where a request already costs a password hash) are counted by the
 * statement itself, exactly, before the request goes on.
 */
export class PgThrottlerStorage implements ThrottlerStorage {
  private lastPurge = 0;
  private readonly locals = new Map<string, Local>();
  private readonly settings = new Map<string, Settings>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: LogDatabase,
    private readonly clock: Clock,
    private readonly buffered: readonly string[] = [],
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<CounterRecord> {
    const now = this.clock.now();
    this.purgeNow(now);
    if (this.buffered.includes(throttlerName))
      return this.countHere(`${throttlerName}:${key}`, { ttl, limit, block: blockDuration }, throttlerName, now.getTime());
    const [row] = await this.add(throttlerName, [`${throttlerName}:${key}`], [1], { ttl, limit, block: blockDuration }, now);
    const blockedFor = row.blocked_until ? row.blocked_until.getTime() - now.getTime() : 0;
    return {
      totalHits: row.hits,
      timeToExpire: seconds(row.expires_at.getTime() - now.getTime()),
      isBlocked: blockedFor > 0,
      timeToBlockExpire: seconds(blockedFor),
      newlyBlocked: row.newly_blocked === true,
    };
  }

  /** Seconds the key is still blocked for (0: not blocked), without counting a hit. */
  async blockedFor(throttlerName: string, key: string): Promise<number> {
    const now = this.clock.now();
    const { rows } = await this.store.query<{ blocked_until: Date | null }>(
      'SELECT blocked_until FROM throttle_counters WHERE key = $1 AND blocked_until > $2',
      [`${throttlerName}:${key}`, now],
    );
    return rows[0]?.blocked_until ? seconds(rows[0].blocked_until.getTime() - now.getTime()) : 0;
  }

  async reset(throttlerName: string, key: string): Promise<void> {
    await this.store.query('DELETE FROM throttle_counters WHERE key = $1', [`${throttlerName}:${key}`]);
  }

  /** Writes the hits counted here to the shared counters and learns the other instances' (also every 250 ms). */
  async flush(): Promise<void> {
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private countHere(id: string, settings: Settings, throttlerName: string, now: number): CounterRecord {
    this.settings.set(throttlerName, settings);
    let local = this.locals.get(id);
    // A window or a block that is over starts a new count (hits of the old window still being written are not in it).
    if (!local || (local.windowEnd <= now && local.blockedUntil <= now) || (local.blockedUntil > 0 && local.blockedUntil <= now)) {
      local = { windowEnd: now + settings.ttl, blockedUntil: 0, shared: 0, pending: 0 };
      this.locals.set(id, local);
    }
    const blocked = local.blockedUntil > now;
    if (!blocked) {
      local.pending++;
      if (local.shared + local.pending > settings.limit) local.blockedUntil = now + settings.block;
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush().catch(() => undefined);
      }, FLUSH_MS).unref();
    }
    return {
      totalHits: local.shared + local.pending,
      timeToExpire: seconds(local.windowEnd - now),
      isBlocked: local.blockedUntil > now,
      timeToBlockExpire: seconds(local.blockedUntil - now),
      newlyBlocked: !blocked && local.blockedUntil > now,
    };
  }

  private async write(): Promise<void> {
    const now = this.clock.now();
    for (const [name, settings] of this.settings) {
      const prefix = `${name}:`;
      const entries = [...this.locals]
        .filter(([id, local]) => id.startsWith(prefix) && local.pending > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      if (entries.length === 0) continue;
      const ids = entries.map(([id]) => id);
      const locals = entries.map(([, local]) => local);
      const sent = locals.map((local) => local.pending);
      const rows = await this.add(name, ids, sent, settings, now);
      for (const row of rows) {
        const index = ids.indexOf(row.key);
        const local = locals[index];
        if (this.locals.get(row.key) !== local) continue;
        local.pending -= sent[index];
        local.shared = row.hits;
        local.windowEnd = row.expires_at.getTime();
        local.blockedUntil = Math.max(local.blockedUntil, row.blocked_until?.getTime() ?? 0);
      }
    }
    for (const [id, local] of this.locals) {
      if (local.pending === 0 && local.windowEnd <= now.getTime() && local.blockedUntil <= now.getTime()) this.locals.delete(id);
    }
  }

  private async add(
    throttlerName: string,
    keys: readonly string[],
    counts: readonly number[],
    settings: Settings,
    now: Date,
  ): Promise<CounterRow[]> {
    const { rows } = await this.store.query<CounterRow & Record<string, unknown>>(ADD, [
      keys,
      counts,
      now,
      settings.ttl,
      settings.limit,
      settings.block,
    ]);
    return rows;
  }

  /** Counters whose window and block are both over are dropped now and then, by whichever instance gets there. */
  private purgeNow(now: Date): void {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    this.store
      .query('DELETE FROM throttle_counters WHERE expires_at < $1 AND (blocked_until IS NULL OR blocked_until < $1)', [now])
      .catch(() => undefined);
  }
}
