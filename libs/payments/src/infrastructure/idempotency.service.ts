import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { CommandContext, DomainError, canonicalJson, conflict, invalid } from '@app/common';
import { AppendGuard, EventStoreTransaction, PgEventStore } from '@app/event-store';
import { APP_CONFIG, AppConfig, ConfigError } from '@app/platform';

export interface IdempotentRequest {
  readonly method: string;
  /** The route with its parameters, so one key cannot be reused across endpoints. */
  readonly path: string;
  readonly body: unknown;
}

export interface IdempotentResponse {
  readonly status: number;
  readonly body: unknown;
  /** True when this is the stored response of an earlier request with the same key. */
  readonly replayed: boolean;
}

/** Records the response with the request's events: inside their transaction, or (`write`) by the statement that appends them. */
export interface CompleteIdempotency {
  (tx: EventStoreTransaction, status: number, body: unknown): Promise<void>;
  /** The record's completion as a guard of the append (AggregateStore `guard`): no events are stored if the claim was lost. */
  write(status: number, body: unknown): AppendGuard;
}

export const REPLAY_HEADER = 'Idempotent-Replayed';
const KEY_PATTERN = /^[\w.:-]{1,200}$/;
/** Completes the claim with the response; only while `passed` holds (the append's checks, or `true`). */
const completion = (passed: string, offset: number) =>
  `UPDATE idempotency_keys SET status = 'completed', response_status = $${offset + 4}, response_body = $${offset + 5}::jsonb, completed_at = $${offset + 6}
    WHERE ${passed} AND user_id = $${offset + 1} AND idempotency_key = $${offset + 2} AND claim_token = $${offset + 3}
   RETURNING 1`;
/** A claim older than this is taken to belong to a crashed request and may be taken over. */
const STALE_CLAIM_MS = 60_000;

interface StoredKey {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

/**
 * Idempotency for money-moving POSTs, per user and key:
 * - no key → 400; same key and same request → the first response again (with the replay header);
 * - same key, different request → 422; same key while the first is still running → 409.
 * The key is claimed in its own short transaction (that is what lets a concurrent duplicate see it), and completed with
 * the response in the same transaction as the events, whose metadata also carries the key. A request that fails gives
 * its claim back so that the client may retry. Records are kept IDEMPOTENCY_TTL_HOURS (default 48, at least 24).
 */
@Injectable()
export class IdempotencyService {
  private readonly ttlMs: number;

  constructor(
    private readonly store: PgEventStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const hours = Number(config.env.IDEMPOTENCY_TTL_HOURS ?? 48);
    if (!Number.isInteger(hours) || hours < 24) throw new ConfigError([`IDEMPOTENCY_TTL_HOURS=${config.env.IDEMPOTENCY_TTL_HOURS}: expected an integer of at least 24`]);
    this.ttlMs = hours * 3_600_000;
  }

  async run(
    context: CommandContext,
    request: IdempotentRequest,
    work: (complete: CompleteIdempotency) => Promise<{ status: number; body: unknown }>,
  ): Promise<IdempotentResponse> {
    const key = context.idempotencyKey;
    if (!key) throw invalid('IDEMPOTENCY.KEY_REQUIRED', 'this request moves money: send an Idempotency-Key header');
    if (!KEY_PATTERN.test(key)) throw invalid('IDEMPOTENCY.KEY_INVALID', 'an Idempotency-Key is 1 to 200 letters, digits, or . _ : -');
    const userId = context.actor.id;
    const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const token = randomUUID();
    const now = context.now;
    // The claim's commit need not wait for the WAL flush: the events it guards are appended by a later, synchronous
    // commit, which flushes the claim with them; a claim lost in a crash belongs to a request that never answered.
    const claimed = await this.store.statements.query(
      `INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, claim_token, status, claimed_at, expires_at)
       SELECT $1, $2, $3, $4, 'in_progress', $5, $6 WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL
       ON CONFLICT (user_id, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token, status = 'in_progress',
             response_status = NULL, response_body = NULL, completed_at = NULL,
             claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at < $5
            OR (idempotency_keys.status = 'in_progress' AND idempotency_keys.claimed_at < $7)
       RETURNING claim_token`,
      [userId, key, requestHash, token, now, new Date(now.getTime() + this.ttlMs), new Date(now.getTime() - STALE_CLAIM_MS)],
    );
    if (claimed.rowCount === 0) return this.existing(userId, key, requestHash);

    let completed = false;
    const lost = () => conflict('IDEMPOTENCY.CLAIM_LOST', 'this request took too long and its idempotency key was taken over; retry');
    const values = (status: number, body: unknown) => [userId, key, token, status, JSON.stringify(body ?? null), now];
    const complete = Object.assign(
      async (tx: EventStoreTransaction, status: number, body: unknown) => {
        const updated = await tx.query(completion('true', 0), values(status, body));
        if (updated.rowCount === 0) throw lost();
        completed = true;
      },
      {
        write: (status: number, body: unknown): AppendGuard => ({
          name: 'idempotency.complete',
          sql: completion,
          values: values(status, body),
          missed: lost,
          written: () => {
            completed = true;
          },
        }),
      },
    );
    try {
      const result = await work(complete);
      // A guard written with the events completed the record; otherwise it is completed now.
      if (!completed) await this.store.transaction((tx) => complete(tx, result.status, result.body));
      return { ...result, replayed: false };
    } catch (error) {
      await this.store.pool.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2 AND claim_token = $3 AND status = 'in_progress'`, [
        userId,
        key,
        token,
      ]);
      throw error;
    }
  }

  private async existing(userId: string, key: string, requestHash: string): Promise<IdempotentResponse> {
    const { rows } = await this.store.pool.query<StoredKey & Record<string, unknown>>(
      'SELECT request_hash, status, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2',
      [userId, key],
    );
    const stored = rows[0];
    if (!stored) throw conflict('IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is being processed; retry shortly');
    if (stored.request_hash !== requestHash) {
      throw new DomainError('rule_violation', 'IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for a different request');
    }
    if (stored.status === 'in_progress') throw conflict('IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is being processed; retry shortly');
    return { status: stored.response_status ?? 200, body: stored.response_body, replayed: true };
  }

  /** Drops records past their retention. */
  async purgeExpired(now: Date): Promise<number> {
    const { rowCount } = await this.store.pool.query('DELETE FROM idempotency_keys WHERE expires_at < $1', [now]);
    return rowCount ?? 0;
  }
}
