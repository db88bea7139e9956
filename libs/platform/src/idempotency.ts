/** Idempotency keys: the response of a write is recorded with its events and replayed for a repeated key. */
import {
  CallHandler,
  ExecutionContext,
  HttpCode,
  Inject,
  Injectable,
  NestInterceptor,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash, randomUUID } from 'node:crypto';
import { Observable, from, lastValueFrom, map } from 'rxjs';
import { CommandContext, DomainError, canonicalJson, conflict, invalid } from '@app/common';
import { AppendGuard, EventStoreTransaction, LogDatabase } from '@app/event-store';
import { AppConfig, ConfigError } from './config';
import { RequestRecord, RequestRecords } from './request-record';
import { APP_CONFIG } from './tokens';

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

export const REPLAY_HEADER = 'Idempotent-Replayed';
const KEY_PATTERN = /^[\w.:-]{1,200}$/;

/**
 * Records the key with its response; only while `passed` holds (the append's checks, or `true`). A live record of the
 * key (another request's) makes it write nothing; an expired one is replaced.
 */
const recording = (passed: string, offset: number) => {
  const $ = (n: number) => `$${offset + n}`;
  return `INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, claim_token, status, response_status, response_body, claimed_at, completed_at, expires_at)
    SELECT ${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}::uuid, 'completed', ${$(5)}::int, ${$(6)}::jsonb, ${$(7)}::timestamptz, ${$(7)}::timestamptz, ${$(8)}::timestamptz WHERE ${passed}
    ON CONFLICT (user_id, idempotency_key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token, status = 'completed', response_status = EXCLUDED.response_status,
          response_body = EXCLUDED.response_body, claimed_at = EXCLUDED.claimed_at, completed_at = EXCLUDED.completed_at, expires_at = EXCLUDED.expires_at
      WHERE idempotency_keys.expires_at < EXCLUDED.claimed_at
    RETURNING 1`;
};

/** The key already has a live record: the request's writes are undone and the record answers. */
class KeyRecorded extends Error {
  constructor() {
    super('this Idempotency-Key already has a record');
    this.name = 'KeyRecorded';
  }
}

interface StoredKey {
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
}

/**
 * Idempotency for money-moving POSTs, per user and key:
 * - no key → 400; same key and same request → the first response again (with the replay header);
 * - same key, different request → 422; same key while the first is still running in this process → 409.
 * The key is recorded with the response by the very write that records the request's effects (the statement that
 * appends its events, or its transaction: the unit of work finds the record through RequestRecords), and the events'
 * metadata carries it: the record exists exactly when the
 * effects do. A request whose write finds the key already recorded writes nothing, and is answered from the record
 * (a replay, or 422); so is one that fails once an earlier request with its key has succeeded. A request that fails
 * leaves no record, and its client may retry. Two requests with one key in different processes are serialised by the
 * database: the first to write wins and the other replays its answer. Records are kept IDEMPOTENCY_TTL_HOURS (default
 * 48, at least 24).
 */
@Injectable()
export class IdempotencyService {
  private readonly ttlMs: number;
  /** Keys of the requests running in this process (user id, key). */
  private readonly running = new Set<string>();

  constructor(
    private readonly store: LogDatabase,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly records: RequestRecords = new RequestRecords(),
  ) {
    const hours = Number(config.env.IDEMPOTENCY_TTL_HOURS ?? 48);
    if (!Number.isInteger(hours) || hours < 24)
      throw new ConfigError([`IDEMPOTENCY_TTL_HOURS=${config.env.IDEMPOTENCY_TTL_HOURS}: expected an integer of at least 24`]);
    this.ttlMs = hours * 3_600_000;
  }

  /** Runs `work` (the request) with its record for the unit of work to write; answers `status` with its result. */
  async run(
    context: CommandContext,
    request: IdempotentRequest,
    status: number,
    work: () => Promise<unknown>,
  ): Promise<IdempotentResponse> {
    const key = context.idempotencyKey;
    if (!key) throw invalid('IDEMPOTENCY.KEY_REQUIRED', 'this request moves money: send an Idempotency-Key header');
    if (!KEY_PATTERN.test(key)) throw invalid('IDEMPOTENCY.KEY_INVALID', 'an Idempotency-Key is 1 to 200 letters, digits, or . _ : -');
    const userId = context.actor.id;
    const runningKey = `${userId}\u0000${key}`;
    if (this.running.has(runningKey))
      throw conflict('IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is being processed; retry shortly');
    this.running.add(runningKey);
    try {
      const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
      const now = context.now;
      const values = (body: unknown) => [
        userId,
        key,
        requestHash,
        randomUUID(),
        status,
        JSON.stringify(body ?? null),
        now,
        new Date(now.getTime() + this.ttlMs),
      ];
      const record: RequestRecord & { recorded: boolean } = {
        recorded: false,
        write: async (tx: EventStoreTransaction, body: unknown) => {
          const { rowCount } = await tx.query(recording('true', 0), values(body));
          if (!rowCount) throw new KeyRecorded();
          record.recorded = true;
        },
        guard: (body: unknown): AppendGuard => ({
          name: 'idempotency.record',
          sql: recording,
          values: values(body),
          missed: () => new KeyRecorded(),
          written: () => {
            record.recorded = true;
          },
        }),
      };
      try {
        const body = await this.records.run(record, work);
        // A request that wrote nothing of its own is recorded now.
        if (!record.recorded) {
          const { rowCount } = await this.store.query(recording('true', 0), values(body));
          if (!rowCount) throw new KeyRecorded();
        }
        return { status, body, replayed: false };
      } catch (error) {
        // Someone recorded this key first (or its first request succeeded and this one is a retry): the record answers.
        const stored = await this.existing(userId, key, requestHash, now);
        if (stored) return stored;
        if (error instanceof KeyRecorded)
          throw conflict('IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is being processed; retry shortly');
        throw error;
      }
    } finally {
      this.running.delete(runningKey);
    }
  }

  /** The recorded answer for this key, if it has a live record; 422 if the record is of a different request. */
  private async existing(userId: string, key: string, requestHash: string, now: Date): Promise<IdempotentResponse | undefined> {
    const { rows } = await this.store.query<StoredKey & Record<string, unknown>>(
      'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2 AND expires_at >= $3',
      [userId, key, now],
    );
    const stored = rows[0];
    if (!stored) return undefined;
    if (stored.request_hash !== requestHash) {
      throw new DomainError('rule_violation', 'IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for a different request');
    }
    return { status: stored.response_status ?? 200, body: stored.response_body, replayed: true };
  }

  /** Drops records past their retention. */
  async purgeExpired(now: Date): Promise<number> {
    const { rowCount } = await this.store.query('DELETE FROM idempotency_keys WHERE expires_at < $1', [now]);
    return rowCount ?? 0;
  }
}

interface HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly commandContext: CommandContext;
}

interface HttpReply {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/** Runs an @Idempotent() route under its key: the status is the route's, the replay header says whether it is a stored answer. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<HttpExchange>();
    const reply = context.switchToHttp().getResponse<HttpReply>();
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    const exchange = { method: request.method, path: request.path, body: request.body ?? {} };
    return from(this.idempotency.run(request.commandContext, exchange, status, () => lastValueFrom(next.handle()))).pipe(
      map((result) => {
        reply.status(result.status);
        reply.setHeader(REPLAY_HEADER, result.replayed ? 'true' : 'false');
        return result.body;
      }),
    );
  }
}

/**
 * A route that moves money: it requires an Idempotency-Key, and a repeat of the request with the key gets the first
 * answer again. `status` is the route's success status (default: 201 for POST).
 */
export const Idempotent = (status?: number): MethodDecorator =>
  status === undefined
    ? UseInterceptors(IdempotencyInterceptor)
    : applyDecorators(HttpCode(status), UseInterceptors(IdempotencyInterceptor));
