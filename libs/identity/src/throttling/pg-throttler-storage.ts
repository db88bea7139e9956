import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '@app/common';
import { PgEventStore } from '@app/event-store';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * One counter per key and window, with an optional block: a fixed window of `ttl` starts at a key's first hit; a hit
 * beyond `limit` blocks the key for `blockDuration`, and once a window or a block is over the key counts from one again.
 * All of it is one atomic upsert, so every API instance on the database shares the counters. Time is the
 * application's clock (tests move it); `ttl` and `blockDuration` are milliseconds, as @nestjs/throttler passes them.
 */
const INCREMENT = `
  INSERT INTO throttle_counters AS c (key, hits, expires_at, blocked_until)
  VALUES ($1, 1, $2::timestamptz + $3 * interval '1 millisecond',
          CASE WHEN 1 > $4 THEN $2::timestamptz + $5 * interval '1 millisecond' END)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.blocked_until > $2 THEN c.hits
                WHEN c.expires_at <= $2 OR c.blocked_until <= $2 THEN 1
                ELSE c.hits + 1 END,
    expires_at = CASE WHEN c.blocked_until > $2 THEN c.expires_at
                      WHEN c.expires_at <= $2 OR c.blocked_until <= $2 THEN EXCLUDED.expires_at
                      ELSE c.expires_at END,
    blocked_until = CASE WHEN c.blocked_until > $2 THEN c.blocked_until
                         WHEN c.expires_at <= $2 OR c.blocked_until <= $2 THEN EXCLUDED.blocked_until
                         WHEN c.hits + 1 > $4 THEN $2::timestamptz + $5 * interval '1 millisecond'
                         ELSE NULL END
  RETURNING hits, expires_at, blocked_until, blocked_until = $2::timestamptz + $5 * interval '1 millisecond' AS newly_blocked`;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface CounterRow {
  hits: number;
  expires_at: Date;
  blocked_until: Date | null;
  newly_blocked: boolean | null;
}

export interface CounterRecord extends ThrottlerStorageRecord {
  /** This hit started the block. */
  readonly newlyBlocked: boolean;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

@Injectable()
export class PgThrottlerStorage implements ThrottlerStorage {
  private lastPurge = 0;

  constructor(
    private readonly store: PgEventStore,
    private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<CounterRecord> {
    const now = this.clock.now();
    this.purgeNow(now);
    const { rows } = await this.store.statements.query<CounterRow & Record<string, unknown>>(INCREMENT, [`${throttlerName}:${key}`, now, ttl, limit, blockDuration]);
    const row = rows[0];
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
    const { rows } = await this.store.statements.query<{ blocked_until: Date | null }>(
      'SELECT blocked_until FROM throttle_counters WHERE key = $1 AND blocked_until > $2',
      [`${throttlerName}:${key}`, now],
    );
    return rows[0]?.blocked_until ? seconds(rows[0].blocked_until.getTime() - now.getTime()) : 0;
  }

  async reset(throttlerName: string, key: string): Promise<void> {
    await this.store.statements.query('DELETE FROM throttle_counters WHERE key = $1', [`${throttlerName}:${key}`]);
  }

  /** Counters whose window and block are both over are dropped now and then, by whichever instance gets there. */
  private purgeNow(now: Date): void {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    this.store.statements
      .query('DELETE FROM throttle_counters WHERE expires_at < $1 AND (blocked_until IS NULL OR blocked_until < $1)', [now])
      .catch(() => undefined);
  }
}
