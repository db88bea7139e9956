import type { AllStreamResolvedEvent, Position, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { NewEvent, START, WrongExpectedRevisionError, comparePositions } from '../event-store.port';
import { eventHash } from '@app/common';
import {
  APPLICATION_STREAM_REGEX,
  CHECKPOINT_EVENT_TYPE,
  UNKNOWN_POSITION,
  assertAppendable,
  checkpointStreamName,
  firstRevision,
  fromCheckpointEvent,
  fromEsdbEvent,
  isApplicationEvent,
  isApplicationStream,
  matchRetry,
  toAppendExpectedRevision,
  toCheckpointData,
  toConflict,
  toEventData,
  toEventDataBatch,
  toGlobalPosition,
  takeBatch,
  toReadPosition,
} from './esdb-mapping';

const newEvent = (id: string, data: Record<string, unknown> = { amount: 1200, note: '中文' }): NewEvent => ({
  id,
  type: 'advisory.RiskAssessed',
  data,
  metadata: {
    actor: 'investor-1',
    correlationId: 'corr-1',
    causationId: 'cause-1',
    occurredAt: '2026-01-01T00:00:00.000Z',
    channel: 'api',
  },
});

const ID_A = '6f1c2b1e-8a34-4c0e-9d1a-0a8e6b2f4c11';
const ID_B = '0d5b7f3a-2c91-4e77-8b6e-1f2a3b4c5d6e';

/** An event as the client hands it back: data and metadata have been through JSON on the wire. */
const asStored = (streamId: string, revision: bigint, event: NewEvent, position?: Position): EsdbRecordedEvent => {
  const written = toEventData(streamId, revision, event);
  return {
    streamId,
    id: written.id,
    isJson: true,
    revision,
    type: written.type,
    created: new Date('2026-01-01T00:00:01.000Z'),
    data: JSON.parse(JSON.stringify(written.data)),
    metadata: JSON.parse(JSON.stringify(written.metadata)),
    position,
  } as EsdbRecordedEvent;
};

describe('EventStoreDB mapping: log positions', () => {
  it('maps (commit, prepare) to (major, minor) and back', () => {
    expect(toGlobalPosition({ commit: 1200n, prepare: 1100n })).toEqual({ major: 1200n, minor: 1100n });
    expect(toReadPosition({ major: 1200n, minor: 1100n })).toEqual({ commit: 1200n, prepare: 1100n });
  });

  it("reads from the start of $all for the port's START", () => {
    expect(toReadPosition(START)).toBe('start');
  });

  it('orders positions as ESDB does: by commit, then by prepare', () => {
    const earlier = toGlobalPosition({ commit: 500n, prepare: 900n });
    const later = toGlobalPosition({ commit: 501n, prepare: 100n });
    const sameCommitLater = toGlobalPosition({ commit: 500n, prepare: 901n });
    expect(comparePositions(earlier, later)).toBe(-1);
    expect(comparePositions(earlier, sameCommitLater)).toBe(-1);
  });
});

describe('EventStoreDB mapping: expected revisions', () => {
  it('numbers the first appended event from the expectation', () => {
    expect(firstRevision('no_stream')).toBe(0n);
    expect(firstRevision(4n)).toBe(5n);
  });

  it("sends no_stream and exact revisions as the client's expectations", () => {
    expect(toAppendExpectedRevision('no_stream')).toBe('no_stream');
    expect(toAppendExpectedRevision(7n)).toBe(7n);
  });

  it("reports a conflict as the port's typed error, keeping the caller's expectation and the actual revision", () => {
    const conflict = toConflict('advisory-1', 'any', 3n);
    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect([conflict.streamId, conflict.expected, conflict.actual]).toEqual(['advisory-1', 'any', 3n]);
    expect(toConflict('advisory-1', 0n, 'no_stream').actual).toBe('no_stream');
    expect(toConflict('advisory-1', 0n, undefined).actual).toBe('unknown');
  });
});

describe('EventStoreDB mapping: the metadata envelope', () => {
  it('stores the metadata, schema version and hash computed at append, and ESDB correlation ids', () => {
    const event = newEvent(ID_A);
    const written = toEventData('advisory-1', 3n, event);
    expect(written).toMatchObject({ id: ID_A, type: 'advisory.RiskAssessed', contentType: 'application/json', data: event.data });
    expect(written.metadata).toEqual({
      metadata: event.metadata,
      schemaVersion: 1,
      hash: eventHash({
        id: ID_A,
        streamId: 'advisory-1',
        revision: 3n,
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        metadata: event.metadata,
      }),
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
    });
  });

  it('numbers a batch at consecutive revisions, so each hash covers its own revision', () => {
    const batch = toEventDataBatch('advisory-1', [newEvent(ID_A), newEvent(ID_B)], 4n);
    const hashes = batch.map((written) => (written.metadata as { hash: string }).hash);
    expect(hashes).toEqual([
      (toEventData('advisory-1', 5n, newEvent(ID_A)).metadata as { hash: string }).hash,
      (toEventData('advisory-1', 6n, newEvent(ID_B)).metadata as { hash: string }).hash,
    ]);
  });

  it('rebuilds the recorded event exactly, and its stored hash is the hash of what is read back', () => {
    const event = { ...newEvent(ID_A, { b: 2, a: { z: [1, 'x'], y: null } }), schemaVersion: 2 };
    const recorded = fromEsdbEvent(asStored('advisory-1', 0n, event, { commit: 2048n, prepare: 2048n }));
    expect(recorded).toEqual({
      id: ID_A,
      streamId: 'advisory-1',
      revision: 0n,
      position: { major: 2048n, minor: 2048n },
      type: 'advisory.RiskAssessed',
      schemaVersion: 2,
      data: event.data,
      metadata: event.metadata,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordedAt: new Date('2026-01-01T00:00:01.000Z'),
    });
    expect(recorded.hash).toBe(eventHash(recorded));
  });

  it('gives single-stream reads, which carry no log position, the unknown position', () => {
    const sentinel = { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n };
    expect(fromEsdbEvent(asStored('advisory-1', 0n, newEvent(ID_A), sentinel)).position).toEqual(UNKNOWN_POSITION);
    expect(fromEsdbEvent(asStored('advisory-1', 0n, newEvent(ID_A))).position).toEqual(UNKNOWN_POSITION);
  });

  it('refuses an event that was not written through the store instead of hashing it after the fact', () => {
    const stored = asStored('advisory-1', 0n, newEvent(ID_A));
    expect(() => fromEsdbEvent({ ...stored, metadata: { actor: 'someone' } } as EsdbRecordedEvent)).toThrow(/no store envelope/);
    expect(() => fromEsdbEvent({ ...stored, metadata: undefined } as EsdbRecordedEvent)).toThrow(/no store envelope/);
    const badHash = { ...(stored.metadata as Record<string, unknown>), hash: 'not-a-hash' };
    expect(() => fromEsdbEvent({ ...stored, metadata: badHash } as EsdbRecordedEvent)).toThrow(/no store envelope/);
    expect(() => fromEsdbEvent({ ...stored, isJson: false, data: new Uint8Array([1]) } as EsdbRecordedEvent)).toThrow(/no store envelope/);
  });
});

describe('EventStoreDB mapping: application streams and the global log', () => {
  const samples = [
    'advisory-1',
    'identity-abc',
    '$all',
    '$$advisory-1',
    '$ce-advisory',
    '$stats-127.0.0.1:2113',
    checkpointStreamName('projector'),
    'checkpoint-like',
  ];

  it('treats $-streams and checkpoint streams as not the application log', () => {
    expect(samples.filter(isApplicationStream)).toEqual(['advisory-1', 'identity-abc', 'checkpoint-like']);
  });

  it('skips system event types even inside an application stream', () => {
    expect(isApplicationEvent('advisory-1', '$>')).toBe(false);
    expect(isApplicationEvent('advisory-1', '$metadata')).toBe(false);
    expect(isApplicationEvent('advisory-1', 'advisory.RiskAssessed')).toBe(true);
  });

  it('filters $all subscriptions on the server by the same rule', () => {
    const regex = new RegExp(APPLICATION_STREAM_REGEX);
    for (const stream of samples) expect([stream, regex.test(stream)]).toEqual([stream, isApplicationStream(stream)]);
  });

  it('refuses appends the global log would hide, and empty appends', () => {
    expect(() => assertAppendable('$advisory', [newEvent(ID_A)])).toThrow(/reserved/);
    expect(() => assertAppendable(checkpointStreamName('x'), [newEvent(ID_A)])).toThrow(/reserved/);
    expect(() => assertAppendable('advisory-1', [{ ...newEvent(ID_A), type: '$metadata' }])).toThrow(/reserved/);
    expect(() => assertAppendable('advisory-1', [])).toThrow(/no events/);
    expect(() => assertAppendable('advisory-1', [newEvent(ID_A)])).not.toThrow();
  });
});

describe('EventStoreDB mapping: idempotent retries', () => {
  it('answers a retry whose events are all stored with the revision of its last event', () => {
    expect(
      matchRetry(
        's',
        [ID_A, ID_B],
        [
          { id: ID_A, revision: 4n },
          { id: ID_B, revision: 5n },
        ],
      ),
    ).toEqual({ lastRevision: 5n });
  });

  it('finds a retry among other events of the stream tail', () => {
    const tail = [
      { id: 'other-2', revision: 9n },
      { id: ID_B, revision: 8n },
      { id: ID_A, revision: 7n },
      { id: 'other-1', revision: 6n },
    ];
    expect(matchRetry('s', [ID_A, ID_B], tail)).toEqual({ lastRevision: 8n });
  });

  it('treats an append whose ids are not stored as new', () => {
    expect(matchRetry('s', [ID_A], [{ id: 'other', revision: 1n }])).toBeNull();
    expect(matchRetry('s', [ID_A], [])).toBeNull();
  });

  it('refuses an append mixing stored and new events', () => {
    expect(() => matchRetry('s', [ID_A, ID_B], [{ id: ID_A, revision: 0n }])).toThrow(/all new or all retried/);
  });
});

describe('EventStoreDB mapping: subscription checkpoints', () => {
  it('writes a checkpoint as a record in the checkpoint stream and reads it back', () => {
    const written = toCheckpointData(ID_A, { major: 4096n, minor: 4000n });
    expect(written).toMatchObject({ id: ID_A, type: CHECKPOINT_EVENT_TYPE, data: { position: '4096:4000' } });
    const stored = { streamId: checkpointStreamName('p'), revision: 0n, type: written.type, data: written.data } as EsdbRecordedEvent;
    expect(fromCheckpointEvent(stored)).toEqual({ major: 4096n, minor: 4000n });
  });

  it('starts a checkpoint that was never written at the start of the log', () => {
    expect(fromCheckpointEvent(undefined)).toEqual(START);
  });

  it('refuses a record that is not a checkpoint', () => {
    expect(() => fromCheckpointEvent({ streamId: 'x', revision: 0n, type: 'other', data: {} } as EsdbRecordedEvent)).toThrow(
      /not a checkpoint/,
    );
  });
});

describe('EventStoreDB subscription batches', () => {
  const resolved = (streamId: string, type: string, commit: bigint): AllStreamResolvedEvent =>
    ({ event: { ...asStored(streamId, 0n, newEvent(ID_A)), type, position: { commit, prepare: commit } } }) as AllStreamResolvedEvent;
  const feedOf = (items: AllStreamResolvedEvent[]) => ({ read: () => items.shift() ?? null });

  it('hands over buffered application events after the last handled position, skipping system records', () => {
    const feed = feedOf([
      resolved('advisory-1', 'a', 100n), // at the checkpoint: a resubscription's overlap
      resolved('$stats', 'b', 150n),
      resolved('advisory-1', '$>', 160n),
      resolved('advisory-1', 'c', 200n),
      resolved(checkpointStreamName('p'), CHECKPOINT_EVENT_TYPE, 250n),
      resolved('advisory-2', 'd', 300n),
    ]);
    const batch = takeBatch(feed, { major: 100n, minor: 100n }, 10);
    expect(batch.map((event) => event.type)).toEqual(['c', 'd']);
  });

  it('stops at the batch size and leaves the rest buffered', () => {
    const feed = feedOf([resolved('s', 'a', 1n), resolved('s', 'b', 2n), resolved('s', 'c', 3n)]);
    expect(takeBatch(feed, START, 2).map((event) => event.type)).toEqual(['a', 'b']);
    expect(takeBatch(feed, { major: 2n, minor: 2n }, 2).map((event) => event.type)).toEqual(['c']);
    expect(takeBatch(feed, { major: 3n, minor: 3n }, 2)).toEqual([]);
  });
});
