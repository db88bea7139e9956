/** The contract suite every event store adapter runs. */
import { randomUUID } from 'node:crypto';
import { eventHash } from '@app/common';
import {
  AppendGuard,
  EventStore,
  GlobalPosition,
  NotAtomicError,
  NewEvent,
  RecordedEvent,
  START,
  WrongExpectedRevisionError,
  comparePositions,
  formatPosition,
} from '../event-store.port';
import { LogDatabase } from '../log-database.port';

/**
 * The behaviour every EventStore adapter must show. Run against PostgreSQL always and against EventStoreDB when
 * EVENTSTORE_URL is set (see the *.spec.ts files next to the adapters).
 */
export interface ContractSubject {
  readonly store: EventStore;
  /** The SQL database the log is kept in, where the adapter has one (PostgreSQL); none for EventStoreDB. */
  readonly database?: LogDatabase;
  cleanup(): Promise<void>;
}

export const newEvent = (type = 'test.Happened', data: Record<string, unknown> = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor: 'tester', correlationId: randomUUID(), occurredAt: '2026-01-01T00:00:00.000Z', channel: 'api' },
});

const stream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;

const waitFor = async (condition: () => boolean, timeoutMs = 20000): Promise<void> => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for condition');
    await new Promise((done) => setTimeout(done, 20));
  }
};

const waitForAsync = async (condition: () => Promise<boolean>, timeoutMs = 20000): Promise<void> => {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for condition');
    await new Promise((done) => setTimeout(done, 20));
  }
};

/** Reads the whole log after `from`, page by page. */
export const readAllFrom = async (store: EventStore, from: GlobalPosition = START, page = 500): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let after = from;
  for (;;) {
    const events = await store.readAll({ after, limit: page });
    out.push(...events);
    if (events.length < page) return out;
    after = events[events.length - 1].position;
  }
};

/**
 * `atomic`: whether the adapter appends to several streams, and with rows of the application's tables, atomically (a
 * unit of work). PostgreSQL does; EventStoreDB cannot, and must refuse those operations with NotAtomicError.
 */
export const describeEventStoreContract = (adapter: string, open: () => Promise<ContractSubject>, atomic = true): void => {
  describe(`EventStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    const database = (): LogDatabase => {
      if (!subject.database) throw new Error(`${adapter}: an atomic adapter keeps its log in a database and must give it`);
      return subject.database;
    };

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => subject?.cleanup());

    it('appends to a new stream with no_stream and reads it back in revision order', async () => {
      const id = stream();
      const events = [newEvent('test.A', { n: 1 }), newEvent('test.B', { n: 2, nested: { z: 1, a: [1, 'x'] } })];
      const result = await store.append(id, events, 'no_stream');
      expect(result.nextExpectedRevision).toBe(1n);
      expect(result.duplicate).toBe(false);
      const read = await store.readStream(id);
      expect(read.map((event) => [event.id, event.type, event.revision, event.data])).toEqual([
        [events[0].id, 'test.A', 0n, { n: 1 }],
        [events[1].id, 'test.B', 1n, { n: 2, nested: { z: 1, a: [1, 'x'] } }],
      ]);
      expect(read[0].metadata).toMatchObject({ actor: 'tester', channel: 'api' });
      expect(read[0].schemaVersion).toBe(1);
    });

    it('stores a hash of the canonical stored bytes computed at append', async () => {
      const id = stream();
      await store.append(id, [newEvent('test.Hashed', { b: 2, a: '中文' })], 'no_stream');
      const [event] = await store.readStream(id);
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(event.hash).toBe(eventHash(event));
    });

    it('reads an unknown stream as empty', async () => {
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('refuses no_stream on an existing stream and a wrong exact revision, with a typed conflict', async () => {
      const id = stream();
      await store.append(id, [newEvent()], 'no_stream');
      await expect(store.append(id, [newEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(id, [newEvent()], 5n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(stream(), [newEvent()], 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      const ok = await store.append(id, [newEvent()], 0n);
      expect(ok.nextExpectedRevision).toBe(1n);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it("appends with 'any' whatever the stream's revision", async () => {
      const id = stream();
      await store.append(id, [newEvent()], 'any');
      const result = await store.append(id, [newEvent(), newEvent()], 'any');
      expect(result.nextExpectedRevision).toBe(2n);
    });

    it('appends a batch atomically: a conflicting batch writes nothing', async () => {
      const id = stream();
      await store.append(id, [newEvent()], 'no_stream');
      await expect(store.append(id, [newEvent(), newEvent(), newEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(id)).toHaveLength(1);
    });

    it('lets exactly one of many concurrent appends with the same expected revision win', async () => {
      const id = stream();
      await store.append(id, [newEvent()], 'no_stream');
      const attempts = await Promise.allSettled(Array.from({ length: 16 }, () => store.append(id, [newEvent()], 0n)));
      const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
      const lost = attempts.filter((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(15);
      for (const failure of lost) expect(failure.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('treats a retried append with the same event ids as a no-op', async () => {
      const id = stream();
      const events = [newEvent(), newEvent()];
      const first = await store.append(id, events, 'no_stream');
      const retry = await store.append(id, events, 'no_stream');
      expect(retry.duplicate).toBe(true);
      expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
      const concurrentRetries = await Promise.all(Array.from({ length: 8 }, () => store.append(id, events, 'no_stream')));
      expect(concurrentRetries.every((result) => result.duplicate)).toBe(true);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('reads the global log in order, page by page, from any position', async () => {
      const head = await readAllFrom(store);
      const from = head.length ? head[head.length - 1].position : START;
      const id = stream();
      const events = Array.from({ length: 25 }, (_, n) => newEvent('test.Paged', { n }));
      await store.append(id, events, 'no_stream');
      const pages: RecordedEvent[] = [];
      let after = from;
      for (;;) {
        const page = await store.readAll({ after, limit: 7 });
        pages.push(...page.filter((event) => event.streamId === id));
        if (page.length < 7) break;
        after = page[page.length - 1].position;
      }
      expect(pages.map((event) => event.data.n)).toEqual(events.map((_, n) => n));
      for (let i = 1; i < pages.length; i++) expect(comparePositions(pages[i - 1].position, pages[i].position)).toBe(-1);
    });

    it('delivers to a subscriber and resumes from its durable checkpoint after a restart', async () => {
      const checkpoint = `contract-${randomUUID()}`;
      const seen: string[] = [];
      const id = stream('sub');
      const first = await store.subscribe({
        checkpoint,
        handler: async (events) => {
          for (const event of events) if (event.streamId === id) seen.push(event.id);
        },
      });
      const batch1 = [newEvent(), newEvent()];
      await store.append(id, batch1, 'no_stream');
      await waitFor(() => seen.length === 2);
      await first.stop();
      const saved = await store.readCheckpoint(checkpoint);
      expect(formatPosition(saved)).not.toBe(formatPosition(START));

      const batch2 = [newEvent()];
      await store.append(id, batch2, 1n);
      const second = await store.subscribe({
        checkpoint,
        handler: async (events) => {
          for (const event of events) if (event.streamId === id) seen.push(event.id);
        },
      });
      await waitFor(() => seen.length === 3);
      await second.stop();
      expect(seen).toEqual([...batch1, ...batch2].map((event) => event.id));
    });

    it('never skips or repeats an event for a live subscriber under many concurrent writers', async () => {
      const checkpoint = `contract-${randomUUID()}`;
      const tag = randomUUID();
      const delivered = new Map<string, number>();
      let lastPosition: GlobalPosition = START;
      let outOfOrder = 0;
      const subscription = await store.subscribe({
        checkpoint,
        batchSize: 50,
        handler: async (events) => {
          for (const event of events) {
            if (comparePositions(event.position, lastPosition) <= 0) outOfOrder++;
            lastPosition = event.position;
            if (event.data.tag === tag) delivered.set(event.id, (delivered.get(event.id) ?? 0) + 1);
          }
        },
      });
      const writers = 24;
      const perWriter = 30;
      const written: string[] = [];
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const id = stream(`w${writer}`);
          let revision: bigint | 'no_stream' = 'no_stream';
          for (let n = 0; n < perWriter; n++) {
            const events = Array.from({ length: 1 + (n % 3) }, () => newEvent('test.Concurrent', { tag, writer, n }));
            const result = await store.append(id, events, revision);
            revision = result.nextExpectedRevision;
            written.push(...events.map((event) => event.id));
          }
        }),
      );
      await waitFor(() => delivered.size === written.length, 30000);
      await new Promise((done) => setTimeout(done, 300));
      await subscription.stop();
      expect(delivered.size).toBe(written.length);
      expect([...delivered.values()].every((count) => count === 1)).toBe(true);
      expect(outOfOrder).toBe(0);
    });

    it('tells every listener which streams an append wrote to', async () => {
      const id = stream();
      const heard: string[][] = [];
      const stop = store.onAppended((streamIds) => heard.push([...streamIds]));
      await store.append(id, [newEvent()], 'no_stream');
      stop();
      await store.append(id, [newEvent()], 0n);
      expect(heard).toEqual([[id]]);
    });

    it('wakes an onAppend callback once, at the next append that wrote something, or at wake()', async () => {
      const id = stream();
      let calls = 0;
      store.onAppend(() => calls++);
      const cancelled = store.onAppend(() => {
        throw new Error('cancelled callbacks are never called');
      });
      cancelled();
      const events = [newEvent()];
      await store.append(id, events, 'no_stream');
      await store.append(id, [newEvent()], 0n);
      expect(calls).toBe(1);
      store.onAppend(() => calls++);
      await store.append(id, events, 'no_stream'); // a retried append writes nothing
      expect(calls).toBe(1);
      store.wake();
      expect(calls).toBe(2);
    });

    it('reads an old version of an event through the upcasters registered with it', async () => {
      const type = `test.Upcast${randomUUID().replace(/-/g, '')}`;
      store.registerUpcaster(type, 1, (data) => ({ ...data, v2: true }));
      store.registerUpcaster(type, 2, (data) => ({ ...data, v3: true }));
      const id = stream();
      const appended = await store.append(
        id,
        [
          { ...newEvent(type, { n: 1 }), schemaVersion: 1 },
          { ...newEvent(type, { n: 2 }), schemaVersion: 3 },
        ],
        'no_stream',
      );
      const [old, current] = await store.readStream(id);
      expect({ data: old.data, schemaVersion: old.schemaVersion }).toEqual({ data: { n: 1, v2: true, v3: true }, schemaVersion: 3 });
      expect({ data: current.data, schemaVersion: current.schemaVersion }).toEqual({ data: { n: 2 }, schemaVersion: 3 });
      if (appended.position) {
        const fromLog = (await readAllFrom(store)).filter((event) => event.streamId === id);
        expect(fromLog.map((event) => event.data)).toEqual([old.data, current.data]);
      }
    });

    it('appends one stream through appendMany like a plain append', async () => {
      const id = stream();
      const result = await store.appendMany([{ streamId: id, events: [newEvent(), newEvent()], expected: 'no_stream' }]);
      expect(result.nextExpectedRevision).toBe(1n);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    if (!atomic) {
      it('refuses what it cannot do atomically (several streams, a guard row, a unit of work) and has no database for rows beside the log', async () => {
        const append = (id: string) => ({ streamId: id, events: [newEvent()], expected: 'no_stream' as const });
        const [a, b] = [stream(), stream()];
        await expect(store.appendMany([append(a), append(b)])).rejects.toBeInstanceOf(NotAtomicError);
        expect(await store.readStream(a)).toEqual([]);
        await expect(store.transaction(async () => undefined)).rejects.toBeInstanceOf(NotAtomicError);
        expect(subject.database).toBeUndefined();
      });
      return;
    }

    it('appends to several streams in one atomic write, and reports where the last event landed', async () => {
      const [a, b] = [stream(), stream()];
      await store.append(b, [newEvent()], 'no_stream');
      const result = await store.appendMany([
        { streamId: a, events: [newEvent('test.A')], expected: 'no_stream' },
        { streamId: b, events: [newEvent('test.B'), newEvent('test.B')], expected: 0n },
      ]);
      expect(result.duplicate).toBe(false);
      expect(result.nextExpectedRevision).toBe(2n);
      const [readA, readB] = [await store.readStream(a), await store.readStream(b)];
      expect(readA.map((event) => event.type)).toEqual(['test.A']);
      expect(readB.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      expect(result.position).toEqual(readB[2].position);
    });

    it('writes nothing to any stream when one of them, or a stream read as a condition, has moved on', async () => {
      const [a, b, read] = [stream(), stream(), stream()];
      await store.append(b, [newEvent()], 'no_stream');
      await expect(
        store.appendMany([
          { streamId: a, events: [newEvent()], expected: 'no_stream' },
          { streamId: b, events: [newEvent()], expected: 'no_stream' },
        ]),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(a)).toEqual([]);
      await store.append(read, [newEvent()], 'no_stream');
      const decidedOn = { streamId: read, events: [], expected: 'no_stream' as const };
      await expect(store.appendMany([{ streamId: a, events: [newEvent()], expected: 'no_stream' }, decidedOn])).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(await store.readStream(a)).toEqual([]);
      await store.appendMany([
        { streamId: a, events: [newEvent()], expected: 'no_stream' },
        { ...decidedOn, expected: 0n },
      ]);
      expect(await store.readStream(a)).toHaveLength(1);
    });

    it('writes a guard row with the events by the same write, and neither when the guard writes nothing', async () => {
      const table = `contract_guard_${randomUUID().replace(/-/g, '')}`;
      await database().query(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
      const guard = (id: string): AppendGuard => ({
        name: `contract.${table}`,
        sql: (passed, offset) => `INSERT INTO ${table} (id) SELECT $${offset + 1} WHERE ${passed} ON CONFLICT DO NOTHING RETURNING id`,
        values: [id],
        missed: () => new Error(`row ${id} exists`),
      });
      const [a, b] = [stream(), stream()];
      await store.appendMany([{ streamId: a, events: [newEvent()], expected: 'no_stream' }], guard('first'));
      expect((await database().query(`SELECT id FROM ${table}`)).rows).toEqual([{ id: 'first' }]);
      await expect(store.appendMany([{ streamId: b, events: [newEvent()], expected: 'no_stream' }], guard('first'))).rejects.toThrow(
        'row first exists',
      );
      expect(await store.readStream(b)).toEqual([]);
      // A stale revision: the guard's row is not written either.
      await expect(
        store.appendMany([{ streamId: a, events: [newEvent()], expected: 'no_stream' }], guard('second')),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      // A decision with no events still writes its guard row on its own.
      await store.appendMany([], guard('alone'));
      expect((await database().query(`SELECT id FROM ${table} ORDER BY id`)).rows).toEqual([{ id: 'alone' }, { id: 'first' }]);
    });

    it('gives the head of the committed log, and the log after named checkpoints read in a unit of work', async () => {
      const id = stream();
      await store.append(id, [newEvent(), newEvent()], 'no_stream');
      const [first, second] = await store.readStream(id);
      // The head is what a reader sees: it reaches the append once every older transaction on the server has ended.
      await waitForAsync(async () => comparePositions(await database().head(), second.position) >= 0);
      const [ahead, behind] = [`contract-ahead-${randomUUID()}`, `contract-behind-${randomUUID()}`];
      await database().query(
        `INSERT INTO subscription_checkpoints (name, tx_id, position, updated_at) VALUES ($1, $2::text::xid8, $3, now()), ($4, $5::text::xid8, $6, now())`,
        [
          ahead,
          second.position.major.toString(),
          second.position.minor.toString(),
          behind,
          first.position.major.toString(),
          first.position.minor.toString(),
        ],
      );
      const read = await store.transaction((tx) => database().readAfterCheckpoints(tx, [ahead, behind], 1000));
      expect(read[0].id).toBe(second.id);
      expect(comparePositions(read[0].position, first.position)).toBeGreaterThan(0);
    });

    it('lends a connection of its own that holds a session lock until it is released', async () => {
      const lock = `contract-lock-${randomUUID()}`;
      const [one, two] = [await database().connect(), await database().connect()];
      const take = async (session: typeof one) =>
        (await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lock])).rows[0].locked;
      try {
        expect(await take(one)).toBe(true);
        expect(await take(two)).toBe(false);
        await one.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
        expect(await take(two)).toBe(true);
        await two.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      } finally {
        one.release();
        two.release();
      }
      // A session closed instead of pooled takes its locks with it.
      const closing = await database().connect();
      expect(await take(closing)).toBe(true);
      closing.release(true);
      const after = await database().connect();
      try {
        let taken = false;
        for (let attempt = 0; attempt < 50 && !taken; attempt++) {
          taken = await take(after);
          if (!taken) await new Promise((done) => setTimeout(done, 20));
        }
        expect(taken).toBe(true);
      } finally {
        after.release(true);
      }
    });

    it('commits a unit of work whole, events and rows, or nothing of it', async () => {
      const table = `contract_uow_${randomUUID().replace(/-/g, '')}`;
      await database().query(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
      const [a, b] = [stream(), stream()];
      await store.transaction(async (tx) => {
        await tx.append(a, [newEvent()], 'no_stream');
        await tx.query(`INSERT INTO ${table} (id) VALUES ('kept')`);
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.appendMany([{ streamId: b, events: [newEvent()], expected: 'no_stream' }]);
          await tx.query(`INSERT INTO ${table} (id) VALUES ('undone')`);
          throw new Error('the work failed');
        }),
      ).rejects.toThrow('the work failed');
      expect(await store.readStream(a)).toHaveLength(1);
      expect(await store.readStream(b)).toEqual([]);
      expect((await database().query(`SELECT id FROM ${table}`)).rows).toEqual([{ id: 'kept' }]);
    });
  });
};
