import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { START, comparePositions, RecordedEvent, WrongExpectedRevisionError } from '../event-store.port';
import { describeEventStoreContract, newEvent, readAllFrom } from '../testing/event-store.contract';
import { PgEventStore, readCommittedAfterCheckpoints, writeCheckpoint } from './pg-event-store';
import { eventHash } from '@app/common';

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const store = new PgEventStore(new Pool({ connectionString: db.url, max: 30 }), new Map(), 50);
  return {
    store,
    database: store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL event store specifics', () => {
  let db: TestDatabase;
  let store: PgEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgEventStore(new Pool({ connectionString: db.url, max: 30 }), new Map(), 50);
    await store.append('seed', [newEvent()], 'no_stream');
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('survives a connection lost in the middle of a transaction: the work fails, the process goes on, the pool reconnects', async () => {
    const work = store.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await store.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await new Promise((done) => setTimeout(done, 100));
      await tx.query('SELECT 1');
    });
    await expect(work).rejects.toThrow();
    expect((await store.pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it.each([
    ['UPDATE', `UPDATE events SET type = 'x'`],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('refuses %s on the events table (E1: append-only, enforced by PostgreSQL)', async (_op, sql) => {
    await expect(store.pool.query(sql)).rejects.toThrow(/append-only/);
    expect((await store.readStream('seed')).length).toBe(1);
  });

  it('does not skip an event that a slower transaction commits after faster ones (commit-order reading)', async () => {
    const start = (await readAllFrom(store)).at(-1)?.position ?? START;
    const seen: RecordedEvent[] = [];
    const subscription = await store.subscribe({
      checkpoint: `late-${randomUUID()}`,
      handler: async (events) => {
        seen.push(...events.filter((event) => comparePositions(event.position, start) > 0));
      },
    });
    let releaseSlow!: () => void;
    const slowMayCommit = new Promise<void>((done) => (releaseSlow = done));
    const slowEvent = newEvent('test.Slow');
    // The slow writer takes its identity value (position) first and commits last.
    const slow = store.transaction(async (tx) => {
      await tx.append(`slow-${randomUUID()}`, [slowEvent], 'no_stream');
      await slowMayCommit;
    });
    await new Promise((done) => setTimeout(done, 100));
    const fast = Array.from({ length: 20 }, () => newEvent('test.Fast'));
    for (const event of fast) await store.append(`fast-${randomUUID()}`, [event], 'no_stream');
    await new Promise((done) => setTimeout(done, 300));
    // While the slow transaction is open, readers stop below it: nothing after it is delivered yet either.
    expect(seen.map((event) => event.id)).not.toContain(slowEvent.id);
    releaseSlow();
    await slow;
    const deadline = Date.now() + 10000;
    while (seen.length < 21 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
    await subscription.stop();
    expect(new Set(seen.map((event) => event.id))).toEqual(new Set([slowEvent.id, ...fast.map((event) => event.id)]));
    expect(seen).toHaveLength(21);
  });

  it('delivers every event exactly once in commit order while transactions of random length commit out of position order', async () => {
    const tag = randomUUID();
    const delivered = new Map<string, number>();
    let last: RecordedEvent['position'] = START;
    let outOfOrder = 0;
    const subscription = await store.subscribe({
      checkpoint: `interleaved-${tag}`,
      batchSize: 37,
      handler: async (events) => {
        for (const event of events) {
          if (comparePositions(event.position, last) <= 0) outOfOrder++;
          last = event.position;
          if (event.data.tag === tag) delivered.set(event.id, (delivered.get(event.id) ?? 0) + 1);
        }
      },
    });
    const written: string[] = [];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    await Promise.all(
      Array.from({ length: 16 }, async (_, writer) => {
        for (let n = 0; n < 15; n++) {
          const events = Array.from({ length: 1 + (n % 4) }, () => newEvent('test.Interleaved', { tag, writer, n }));
          const holdMs = Math.floor(random() * 25);
          await store.transaction(async (tx) => {
            await tx.append(`interleaved-${writer}-${n}-${tag}`, events, 'no_stream');
            await new Promise((done) => setTimeout(done, holdMs)); // keep the transaction open: later positions commit first
          });
          written.push(...events.map((event) => event.id));
        }
      }),
    );
    const deadline = Date.now() + 20000;
    while (delivered.size < written.length && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
    await new Promise((done) => setTimeout(done, 200));
    await subscription.stop();
    expect(delivered.size).toBe(written.length);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect(outOfOrder).toBe(0);
  });

  it('commits events of several streams and other writes in one transaction, or none of them', async () => {
    const a = `tx-a-${randomUUID()}`;
    const b = `tx-b-${randomUUID()}`;
    await expect(
      store.transaction(async (tx) => {
        await tx.append(a, [newEvent()], 'no_stream');
        await tx.append(b, [newEvent()], 'no_stream');
        await tx.append(a, [newEvent()], 'no_stream'); // conflicts: the whole transaction rolls back
      }),
    ).rejects.toThrow();
    expect(await store.readStream(a)).toEqual([]);
    expect(await store.readStream(b)).toEqual([]);
    await store.transaction(async (tx) => {
      await tx.append(a, [newEvent()], 'no_stream');
      await tx.append(b, [newEvent()], 'no_stream');
    });
    expect(await store.readStream(a)).toHaveLength(1);
    expect(await store.readStream(b)).toHaveLength(1);
  });

  it('appends to several streams in one statement, all or nothing, with hashes that verify and revisions per stream', async () => {
    const a = `many-a-${randomUUID()}`;
    const b = `many-b-${randomUUID()}`;
    await store.append(a, [newEvent('test.First')], 'no_stream');
    const result = await store.appendMany([
      { streamId: a, events: [newEvent('test.Second', { n: 1 }), newEvent('test.Third', { n: 2 })], expected: 0n },
      { streamId: b, events: [newEvent('test.Other', { text: '十档 "q"' })], expected: 'no_stream' },
    ]);
    const [streamA, streamB] = [await store.readStream(a), await store.readStream(b)];
    expect(streamA.map((event) => [event.type, event.revision])).toEqual([
      ['test.First', 0n],
      ['test.Second', 1n],
      ['test.Third', 2n],
    ]);
    expect(streamB.map((event) => [event.type, event.revision, event.data])).toEqual([['test.Other', 0n, { text: '十档 "q"' }]]);
    expect(result.position).toEqual(streamB[0].position);
    for (const event of [...streamA, ...streamB]) {
      expect(event.hash).toBe(
        eventHash({
          id: event.id,
          streamId: event.streamId,
          revision: event.revision,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
        }),
      );
    }
    // One stream behind its expected revision: nothing is written to either.
    await expect(
      store.appendMany([
        { streamId: b, events: [newEvent()], expected: 0n },
        { streamId: a, events: [newEvent()], expected: 1n },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream(a)).toHaveLength(3);
    expect(await store.readStream(b)).toHaveLength(1);
  });

  it('refuses the whole append when a stream given as a condition only has moved on', async () => {
    const read = `cond-read-${randomUUID()}`;
    const written = `cond-written-${randomUUID()}`;
    await store.append(read, [newEvent()], 'no_stream');
    await store.appendMany([
      { streamId: written, events: [newEvent()], expected: 'no_stream' },
      { streamId: read, events: [], expected: 0n },
    ]);
    await store.append(read, [newEvent()], 0n);
    await expect(
      store.appendMany([
        { streamId: written, events: [newEvent()], expected: 0n },
        { streamId: read, events: [], expected: 0n },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream(written)).toHaveLength(1);
    expect(await store.readStream(read)).toHaveLength(2);
  });

  it('reads the log after the lowest of several checkpoints, a missing one counting as the start', async () => {
    const stream = `after-checkpoints-${randomUUID()}`;
    await store.append(stream, [newEvent('test.One'), newEvent('test.Two'), newEvent('test.Three')], 'no_stream');
    const events = await store.readStream(stream);
    const [ahead, behind] = [`cp-ahead-${randomUUID()}`, `cp-behind-${randomUUID()}`];
    await writeCheckpoint(store.pool, ahead, events[2].position);
    await writeCheckpoint(store.pool, behind, events[0].position);
    const ids = (rows: RecordedEvent[]) => rows.filter((event) => event.streamId === stream).map((event) => event.type);
    expect(ids(await readCommittedAfterCheckpoints(store.pool, [ahead, behind], 10_000, store.toRecorded))).toEqual([
      'test.Two',
      'test.Three',
    ]);
    expect(ids(await readCommittedAfterCheckpoints(store.pool, [ahead], 10_000, store.toRecorded))).toEqual([]);
    const fromStart = await readCommittedAfterCheckpoints(store.pool, [ahead, `cp-none-${randomUUID()}`], 10_000, store.toRecorded);
    expect(ids(fromStart)).toEqual(['test.One', 'test.Two', 'test.Three']);
    expect(fromStart.map((event) => event.position)).toEqual(
      (await readAllFrom(store)).slice(0, fromStart.length).map((event) => event.position),
    );
  });

  describe('a guarded write in the append statement', () => {
    const table = `guard_rows_${randomUUID().replace(/-/g, '')}`;
    const guard = (id: string, value: string) => ({
      name: `test-guard-${table}`,
      sql: (passed: string, offset: number) =>
        `UPDATE ${table} SET value = $${offset + 2} WHERE ${passed} AND id = $${offset + 1} AND value IS NULL RETURNING id`,
      values: [id, value],
      missed: () => new Error(`guard missed for ${id}`),
    });
    const valueOf = async (id: string) => (await store.pool.query(`SELECT value FROM ${table} WHERE id = $1`, [id])).rows[0]?.value ?? null;
    beforeAll(async () => {
      await store.pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, value text)`);
    });

    it('writes the row and the events together', async () => {
      const stream = `guarded-${randomUUID()}`;
      await store.pool.query(`INSERT INTO ${table} (id) VALUES ($1)`, [stream]);
      const result = await store.appendMany([{ streamId: stream, events: [newEvent()], expected: 'no_stream' }], guard(stream, 'done'));
      const events = await store.readStream(stream);
      expect(events).toHaveLength(1);
      expect(result.position).toEqual(events[0].position);
      expect(await valueOf(stream)).toBe('done');
    });

    it('appends nothing and throws its error when the guard writes no row', async () => {
      const stream = `guard-miss-${randomUUID()}`;
      await store.pool.query(`INSERT INTO ${table} (id, value) VALUES ($1, 'taken')`, [stream]);
      await expect(
        store.appendMany([{ streamId: stream, events: [newEvent()], expected: 'no_stream' }], guard(stream, 'mine')),
      ).rejects.toThrow(`guard missed for ${stream}`);
      expect(await store.readStream(stream)).toHaveLength(0);
      expect(await valueOf(stream)).toBe('taken');
    });

    it('leaves the row alone when a revision check fails', async () => {
      const stream = `guard-conflict-${randomUUID()}`;
      await store.pool.query(`INSERT INTO ${table} (id) VALUES ($1)`, [stream]);
      await store.append(stream, [newEvent()], 'no_stream');
      await expect(
        store.appendMany([{ streamId: stream, events: [newEvent()], expected: 'no_stream' }], guard(stream, 'x')),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(stream)).toHaveLength(1);
      expect(await valueOf(stream)).toBeNull();
    });

    it('undoes the row when a racing writer takes the revision (all or nothing)', async () => {
      const stream = `guard-race-${randomUUID()}`;
      const ids = Array.from({ length: 12 }, (_, index) => `${stream}-${index}`);
      for (const id of ids) await store.pool.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
      const results = await Promise.allSettled(
        ids.map((id) => store.appendMany([{ streamId: stream, events: [newEvent()], expected: 'no_stream' }], guard(id, 'won'))),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const values = await Promise.all(ids.map(valueOf));
      expect(values.filter((value) => value === 'won')).toHaveLength(1);
      expect(await store.readStream(stream)).toHaveLength(1);
    });
  });

  it('lets exactly one of racing multi-stream appends with the same expected revisions win', async () => {
    const a = `race-a-${randomUUID()}`;
    const b = `race-b-${randomUUID()}`;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        store.appendMany([
          { streamId: a, events: [newEvent()], expected: 'no_stream' },
          { streamId: b, events: [newEvent()], expected: 'no_stream' },
        ]),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const failure of results.filter((result): result is PromiseRejectedResult => result.status === 'rejected'))
      expect(failure.reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream(a)).toHaveLength(1);
    expect(await store.readStream(b)).toHaveLength(1);
  });
});
