/**
 * Pure translations between the event store port and EventStoreDB's client types: log positions, expected
 * revisions, the metadata envelope that carries what ESDB has no field for, checkpoint records, subscription batches
 * and the rule for which streams belong to the application. No I/O here, so all of it is unit-tested without a server.
 */
import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  JSONEventData,
  Position,
  ReadPosition,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { eventHash } from '@app/common';
import {
  EventMetadata,
  ExpectedRevision,
  GlobalPosition,
  NewEvent,
  RecordedEvent,
  START,
  WrongExpectedRevisionError,
  comparePositions,
  formatPosition,
  parsePosition,
} from '../event-store.port';

// ---------------------------------------------------------------------------------------------------------------
// Which streams are the application's

/** Subscription checkpoints live in ordinary user streams under this prefix (writable without admin rights). */
export const CHECKPOINT_STREAM_PREFIX = '_checkpoint-';

export const checkpointStreamName = (checkpoint: string): string => `${CHECKPOINT_STREAM_PREFIX}${checkpoint}`;

/** `$`-prefixed streams are EventStoreDB's own (metadata, projections, statistics, users). */
export const isApplicationStream = (streamId: string): boolean =>
  !streamId.startsWith('$') && !streamId.startsWith(CHECKPOINT_STREAM_PREFIX);

/** `$`-prefixed types are system records (links, stream metadata, tombstones) even inside a user stream. */
export const isApplicationEvent = (streamId: string, type: string): boolean => isApplicationStream(streamId) && !type.startsWith('$');

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/**
 * The server-side stream-name filter for $all subscriptions, the same rule as `isApplicationStream` (evaluated by
 * the server's .NET regex engine, which supports the negative look-ahead), so system and checkpoint records are not
 * even sent.
 */
export const APPLICATION_STREAM_REGEX = `^(?!\\$|${escapeRegex(CHECKPOINT_STREAM_PREFIX)})`;

/**
 * Appending to a stream or with a type the global log would hide would make the event invisible to readers and
 * subscribers, so such an append is refused up front.
 */
export const assertAppendable = (streamId: string, events: readonly NewEvent[]): void => {
  if (events.length === 0) throw new Error('append: no events');
  if (!isApplicationStream(streamId)) throw new Error(`append: stream ${streamId} is reserved (system or checkpoint stream)`);
  const reserved = events.find((event) => event.type.startsWith('$'));
  if (reserved) throw new Error(`append: event type ${reserved.type} is reserved for EventStoreDB system records`);
};

// ---------------------------------------------------------------------------------------------------------------
// Positions: ESDB (commit, prepare) is the port's (major, minor); both order the log lexicographically.

export const toGlobalPosition = (position: Position): GlobalPosition => ({ major: position.commit, minor: position.prepare });

export const toReadPosition = (position: GlobalPosition): ReadPosition =>
  comparePositions(position, START) === 0 ? 'start' : { commit: position.major, prepare: position.minor };

/**
 * What a single-stream read reports when the server does not know an event's log position: the index behind stream
 * reads has no positions, and servers answer with the all-ones uint64 (their "end of log"). It sorts after every
 * real position; the global log (readAll, subscribe) always carries real ones.
 */
export const UNKNOWN_POSITION: GlobalPosition = { major: 2n ** 64n - 1n, minor: 2n ** 64n - 1n };

const isKnown = (position: Position | undefined): position is Position =>
  position !== undefined && position.commit < UNKNOWN_POSITION.major && position.prepare < UNKNOWN_POSITION.minor;

// ---------------------------------------------------------------------------------------------------------------
// Expected revisions

/** An expectation with a known revision: 'any' is resolved to one before appending, because the hash covers it. */
export type ResolvedExpectation = bigint | 'no_stream';

/** Revision the first event of an append gets under this expectation. */
export const firstRevision = (expected: ResolvedExpectation): bigint => (expected === 'no_stream' ? 0n : expected + 1n);

export const toAppendExpectedRevision = (expected: ResolvedExpectation): AppendExpectedRevision =>
  expected === 'no_stream' ? 'no_stream' : expected;

/** The client's conflict as the port's, keeping what the caller asked for (including 'any'). */
export const toConflict = (
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream' | undefined,
): WrongExpectedRevisionError => new WrongExpectedRevisionError(streamId, expected, actual ?? 'unknown');

// ---------------------------------------------------------------------------------------------------------------
// The metadata envelope

/**
 * What goes into an ESDB event's metadata: the application's metadata, the schema version and the hash, so a
 * RecordedEvent is rebuilt exactly. `$correlationId`/`$causationId` copy the application's ids under the names
 * ESDB's by-correlation projection reads; they are not part of the hashed metadata.
 */
export interface StoredEnvelope {
  readonly metadata: EventMetadata;
  readonly schemaVersion: number;
  readonly hash: string;
  readonly $correlationId?: string;
  readonly $causationId?: string;
}

/** The ESDB event for `event` at `revision` of `streamId`, with its hash computed over the canonical stored fields. */
export const toEventData = (streamId: string, revision: bigint, event: NewEvent): JSONEventData => {
  const schemaVersion = event.schemaVersion ?? 1;
  const hash = eventHash({ id: event.id, streamId, revision, type: event.type, schemaVersion, data: event.data, metadata: event.metadata });
  const envelope: StoredEnvelope = {
    metadata: event.metadata,
    schemaVersion,
    hash,
    $correlationId: event.metadata.correlationId,
    ...(event.metadata.causationId ? { $causationId: event.metadata.causationId } : {}),
  };
  return { id: event.id, type: event.type, contentType: 'application/json', data: event.data, metadata: { ...envelope } };
};

/** The ESDB events of one append, numbered from the revision the expectation implies. */
export const toEventDataBatch = (streamId: string, events: readonly NewEvent[], expected: ResolvedExpectation): JSONEventData[] => {
  const first = firstRevision(expected);
  return events.map((event, index) => toEventData(streamId, first + BigInt(index), event));
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const isEnvelope = (value: unknown): value is StoredEnvelope =>
  isRecord(value) &&
  isRecord(value.metadata) &&
  typeof value.schemaVersion === 'number' &&
  Number.isInteger(value.schemaVersion) &&
  typeof value.hash === 'string' &&
  /^[0-9a-f]{64}$/.test(value.hash);

/**
 * The port's RecordedEvent for an ESDB event written through this store. An event without the envelope was not
 * written by it (no hash was computed at append) and is refused rather than given a hash after the fact.
 */
export const fromEsdbEvent = (event: EsdbRecordedEvent): RecordedEvent => {
  if (!event.isJson || !isRecord(event.data) || !isEnvelope(event.metadata)) {
    throw new Error(
      `event ${event.id} (${event.streamId}@${event.revision}) has no store envelope: it was not appended through this event store`,
    );
  }
  const envelope = event.metadata;
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: isKnown(event.position) ? toGlobalPosition(event.position) : UNKNOWN_POSITION,
    type: event.type,
    schemaVersion: envelope.schemaVersion,
    data: event.data,
    metadata: envelope.metadata,
    hash: envelope.hash,
    recordedAt: event.created,
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Idempotent retries

export interface StoredId {
  readonly id: string;
  readonly revision: bigint;
}

/**
 * Whether an append of `ids` was already stored, judged from the stream's events where it would be. All found: an
 * idempotent retry, answered with the revision of its last event. None: a new append. Some: the caller mixed new
 * and stored events, which no retry produces.
 */
export const matchRetry = (streamId: string, ids: readonly string[], stored: readonly StoredId[]): { lastRevision: bigint } | null => {
  const wanted = new Set(ids);
  const found = stored.filter((event) => wanted.has(event.id));
  if (found.length === 0) return null;
  if (found.length !== ids.length) {
    throw new Error(`append to ${streamId}: some event ids are already stored; an append is all new or all retried`);
  }
  return { lastRevision: found.reduce((max, event) => (event.revision > max ? event.revision : max), found[0].revision) };
};

// ---------------------------------------------------------------------------------------------------------------
// Checkpoint records

export const CHECKPOINT_EVENT_TYPE = 'store.CheckpointAdvanced';

export const toCheckpointData = (id: string, position: GlobalPosition): JSONEventData => ({
  id,
  type: CHECKPOINT_EVENT_TYPE,
  contentType: 'application/json',
  data: { position: formatPosition(position) },
  metadata: undefined,
});

export const fromCheckpointEvent = (event: EsdbRecordedEvent | undefined): GlobalPosition => {
  if (!event) return START;
  if (event.type !== CHECKPOINT_EVENT_TYPE || !isRecord(event.data) || typeof event.data.position !== 'string') {
    throw new Error(`${event.streamId}@${event.revision} is not a checkpoint record`);
  }
  return parsePosition(event.data.position);
};

// ---------------------------------------------------------------------------------------------------------------
// Subscription batches

/**
 * What the subscription has buffered, up to `max` application events strictly after `after`: the server's own
 * records are skipped, and an event at or before the last handled one (a resubscription's overlap) is not repeated.
 */
export const takeBatch = (feed: { read(): AllStreamResolvedEvent | null }, after: GlobalPosition, max: number): EsdbRecordedEvent[] => {
  const batch: EsdbRecordedEvent[] = [];
  let cursor = after;
  while (batch.length < max) {
    const resolved = feed.read();
    if (resolved === null) break;
    const event = resolved.event;
    if (!event) continue;
    const position = toGlobalPosition(event.position);
    if (comparePositions(position, cursor) <= 0) continue;
    cursor = position;
    if (isApplicationEvent(event.streamId, event.type)) batch.push(event);
  }
  return batch;
};
