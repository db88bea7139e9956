/**
 * The event store port. Every adapter (PostgreSQL, EventStoreDB) implements it and passes the same contract suite
 * (`testing/event-store.contract.ts`). What needs the SQL database the log is kept in asks for the `LogDatabase` port
 * (`log-database.port.ts`) instead; only the PostgreSQL adapter gives one.
 */
import type { Upcaster } from './upcasting';

export type ExpectedRevision = 'any' | 'no_stream' | bigint;

export interface EventMetadata {
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  readonly occurredAt: string; // ISO-8601
  readonly channel: string;
  readonly [key: string]: unknown;
}

/** An event as the application hands it to the store. */
export interface NewEvent {
  readonly id: string; // uuid; a retried append with the same ids is a no-op
  readonly type: string;
  readonly schemaVersion?: number; // default 1
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

/** An event as stored. `position` orders the global log in commit order; `revision` orders its stream. */
export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: GlobalPosition;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly hash: string; // hex SHA-256 of the canonical stored bytes
  readonly recordedAt: Date;
}

/**
 * A point in the global log. For PostgreSQL it is (commit transaction id, sequence); for EventStoreDB (commit,
 * prepare). Comparable within one adapter; serialised as an opaque string for checkpoints and cursors.
 */
export interface GlobalPosition {
  readonly major: bigint;
  readonly minor: bigint;
}

export const START: GlobalPosition = { major: 0n, minor: 0n };

export const comparePositions = (a: GlobalPosition, b: GlobalPosition): number =>
  a.major === b.major ? (a.minor === b.minor ? 0 : a.minor < b.minor ? -1 : 1) : a.major < b.major ? -1 : 1;

export const formatPosition = (p: GlobalPosition): string => `${p.major}:${p.minor}`;

export const parsePosition = (text: string): GlobalPosition => {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new Error(`not a log position: ${text}`);
  return { major: BigInt(match[1]), minor: BigInt(match[2]) };
};

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  readonly nextExpectedRevision: bigint;
  /** True when every event id was already stored (an idempotent retry): nothing was written. */
  readonly duplicate: boolean;
  /** Position of the last event of this append, where the adapter reports it (read-your-writes waits on it). */
  readonly position?: GlobalPosition;
}

/** Anything that runs a query of the store's own database: the store, or a unit of work. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * Events for one stream, with the revision the stream must be at. With no events it is a condition only: a stream the
 * decision read, which must still be at that revision for the others to be appended.
 */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: bigint | 'no_stream';
}

/**
 * A row write that belongs with an append (an idempotency record completed with the response): made by the same
 * statement, only when every revision check passes, and the events are appended only if it writes a row. Atomic
 * without a transaction: one round trip.
 */
export interface AppendGuard {
  /** Names the statement's shape: the append is prepared once per name, so `sql` must give the same text for it. */
  readonly name: string;
  /**
   * A data-modifying statement with RETURNING (a row for each row written). It must require `passed`, an SQL boolean
   * expression that is true when every revision check passed; its own parameters are numbered from `offset + 1`.
   */
  readonly sql: (passed: string, offset: number) => string;
  readonly values: readonly unknown[];
  /** What to throw when it wrote nothing (its row is gone or no longer as expected); nothing was appended. */
  readonly missed: () => Error;
  /** Called when the statement has written it (inside a transaction: before the commit). */
  readonly written?: () => void;
}

/**
 * A unit of work: appends to several streams together with writes to the application's own tables (an idempotency
 * record, an inline read model). Everything commits or nothing does.
 */
export interface EventStoreTransaction extends Queryable {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  appendMany(appends: readonly StreamAppend[], guard?: AppendGuard): Promise<AppendResult>;
}

export interface ReadAllOptions {
  readonly after?: GlobalPosition;
  readonly limit?: number;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Durable checkpoint name: where to resume after a restart. */
  readonly checkpoint: string;
  /** Called with events in log order; the checkpoint advances only after the handler resolves. */
  readonly handler: (events: RecordedEvent[]) => Promise<void>;
  readonly batchSize?: number;
  readonly onError?: (error: unknown) => void;
}

export abstract class EventStore {
  abstract append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Several streams (and condition-only entries) in one atomic write, with an optional guard row written by it; with no
   * events, only the guard's write under the conditions. Adapters that cannot do it atomically refuse with
   * NotAtomicError.
   */
  abstract appendMany(appends: readonly StreamAppend[], guard?: AppendGuard): Promise<AppendResult>;
  /** Runs `work` as one unit of work; refused with NotAtomicError where the adapter has no transactions. */
  abstract transaction<T>(work: (tx: EventStoreTransaction) => Promise<T>): Promise<T>;
  /**
   * Called, before the append's promise settles, with the streams every append through this store wrote to (or found
   * already written, for a retried append); for a unit of work, after its commit. Returns the unsubscribe.
   */
  abstract onAppended(listener: (streamIds: readonly string[]) => void): () => void;
  /** Calls `callback` once, at the next append through this store that wrote something; returns the cancel. */
  abstract onAppend(callback: () => void): () => void;
  /** Wakes what waits on `onAppend` and this store's subscriptions at once (a reader that wants a step now). */
  abstract wake(): void;
  /** Teaches the store to read version `fromVersion` of `type` as the next version (before anything reads the log). */
  abstract registerUpcaster(type: string, fromVersion: number, upcaster: Upcaster): void;
  /** Events of one stream in revision order; an unknown stream reads as empty. */
  abstract readStream(streamId: string, fromRevision?: bigint): Promise<RecordedEvent[]>;
  /** A page of the global log in commit order, strictly after `after`. Never skips a late-committing writer. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** A live, durably checkpointed subscription to the global log. */
  abstract subscribe(options: SubscribeOptions): Promise<Subscription>;
  abstract readCheckpoint(name: string): Promise<GlobalPosition>;
  abstract close(): Promise<void>;
}

/** The adapter cannot make this write atomically (EventStoreDB: several streams, or events with table rows). */
export class NotAtomicError extends Error {
  constructor(readonly operation: string) {
    super(`${operation} cannot be made atomically by this event store`);
    this.name = 'NotAtomicError';
  }
}

/** The expected revision did not hold. Handlers retry a bounded number of times, then answer 409. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream' | 'unknown',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}
