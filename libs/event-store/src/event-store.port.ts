/**
 * The event store port. Every adapter (PostgreSQL, EventStoreDB) implements it and passes the same contract suite
 * (`testing/event-store.contract.ts`).
 */
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
  /** Events of one stream in revision order; an unknown stream reads as empty. */
  abstract readStream(streamId: string, fromRevision?: bigint): Promise<RecordedEvent[]>;
  /** A page of the global log in commit order, strictly after `after`. Never skips a late-committing writer. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** A live, durably checkpointed subscription to the global log. */
  abstract subscribe(options: SubscribeOptions): Promise<Subscription>;
  abstract readCheckpoint(name: string): Promise<GlobalPosition>;
  abstract close(): Promise<void>;
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
