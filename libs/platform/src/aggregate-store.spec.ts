import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CommandContext, Decider, DomainError, RandomIdGenerator, conflict, ruleViolation } from '@app/common';
import { PgEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/db';
import { AggregateStore, followOn, retryPauseMs } from './aggregate-store';
import { sideWrite } from './side-write';
import { RequestRecords } from './request-record';
import { ProjectionRunner } from './projections';

/** A counter that refuses to go past its limit: enough to tell a decision on stale state from one on the log. */
type CounterCommand = { type: 'Add'; by: number; limit?: number } | { type: 'Reset' } | { type: 'Touch' };
type CounterEvent = { type: 'test.Added'; data: { by: number; seen?: number } } | { type: 'test.Reset'; data: Record<string, never> };
const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: 0,
  decide: (command, value) => {
    if (command.type === 'Touch') return [];
    if (command.type === 'Reset') return [{ type: 'test.Reset', data: {} }];
    if (command.limit !== undefined && value + command.by > command.limit)
      return ruleViolation('TEST.LIMIT', 'T1', `${value} + ${command.by} > ${command.limit}`);
    return [{ type: 'test.Added', data: { by: command.by } }];
  },
  evolve: (value, event) => (event.type === 'test.Reset' ? 0 : value + event.data.by),
};

const context: CommandContext = {
  actor: { id: 'tester', roles: [] },
  correlationId: 'c',
  channel: 'system',
  now: new Date('2026-01-01T00:00:00Z'),
};
// Read-your-writes is the projection runner's business, tested with it; these decisions do not wait.
const noProjections = { waitFor: async () => undefined } as unknown as ProjectionRunner;
const quiet = { waitForProjections: false };

describe('AggregateStore: decisions from remembered state, checked by the append', () => {
  let db: TestDatabase;
  const records = new RequestRecords();
  let one: AggregateStore;
  let other: AggregateStore;
  const stores: PgEventStore[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = () => {
      const events = new PgEventStore(new Pool({ connectionString: db.url, max: 4 }));
      stores.push(events);
      return new AggregateStore(events, new RandomIdGenerator(), noProjections, records);
    };
    // Two processes over one database: each has its own memory.
    one = store();
    other = store();
  });
  afterAll(async () => {
    for (const events of stores) await events.close();
    await db.drop();
  });

  const reads = (store: AggregateStore) => jest.spyOn(store.events, 'readStream');

  it('decides on the state left by its own last append without reading the stream again', async () => {
    const stream = `counter-${randomUUID()}`;
    await one.execute(counter, stream, { type: 'Add', by: 1 }, context, quiet);
    const spy = reads(one);
    const { state } = await one.execute(counter, stream, { type: 'Add', by: 2 }, context, quiet);
    expect(state).toBe(3);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect((await one.load(counter, stream)).state).toBe(3);
  });

  it('refuses an append decided on state another process has moved on, and decides again from the log', async () => {
    const stream = `counter-${randomUUID()}`;
    await one.execute(counter, stream, { type: 'Add', by: 1 }, context, quiet);
    await other.execute(counter, stream, { type: 'Add', by: 10 }, context, quiet);
    const { state } = await one.execute(counter, stream, { type: 'Add', by: 100 }, context, quiet);
    expect(state).toBe(111);
    const events = await one.events.readStream(stream);
    expect(events.map((event) => [event.revision, event.data.by])).toEqual([
      [0n, 1],
      [1n, 10],
      [2n, 100],
    ]);
  });

  it('does not answer a refusal from remembered state: the log decides', async () => {
    const stream = `counter-${randomUUID()}`;
    await one.execute(counter, stream, { type: 'Add', by: 5 }, context, quiet);
    await other.execute(counter, stream, { type: 'Reset' }, context, quiet);
    // Remembered: 5, and 5 + 1 > 5 would be refused; the log says 0.
    const { state } = await one.execute(counter, stream, { type: 'Add', by: 1, limit: 5 }, context, quiet);
    expect(state).toBe(1);
    // A refusal that the log confirms is answered.
    await expect(one.execute(counter, stream, { type: 'Add', by: 9, limit: 5 }, context, quiet)).rejects.toMatchObject({
      code: 'TEST.LIMIT',
    });
  });

  it('does not answer "nothing to do" from remembered state without the log', async () => {
    const stream = `counter-${randomUUID()}`;
    await one.execute(counter, stream, { type: 'Add', by: 1 }, context, quiet);
    const spy = reads(one);
    const { state } = await one.execute(counter, stream, { type: 'Touch' }, context, quiet);
    expect(state).toBe(1);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('decides a command on a kind of stream wired as usually new without reading it, and from the log when the stream exists', async () => {
    one.assumeUsuallyNew('new-counter-');
    const fresh = `new-counter-${randomUUID()}`;
    const spy = reads(one);
    expect((await one.execute(counter, fresh, { type: 'Add', by: 2 }, context, quiet)).state).toBe(2);
    expect(spy).not.toHaveBeenCalled();
    // Started by another process: the append expecting no stream is refused, and the decision is made from the log.
    const existing = `new-counter-${randomUUID()}`;
    await other.execute(counter, existing, { type: 'Add', by: 5 }, context, quiet);
    expect((await one.execute(counter, existing, { type: 'Add', by: 1 }, context, quiet)).state).toBe(6);
    expect((await one.events.readStream(existing)).map((event) => event.data.by)).toEqual([5, 1]);
    // Allowed on the assumed empty stream, refused by the log: the log answers.
    const limited = `new-counter-${randomUUID()}`;
    await other.execute(counter, limited, { type: 'Add', by: 3 }, context, quiet);
    await expect(one.execute(counter, limited, { type: 'Add', by: 3, limit: 5 }, context, quiet)).rejects.toMatchObject({
      code: 'TEST.LIMIT',
    });
    spy.mockRestore();
  });

  it('forgets a stream that any append through its event store touched', async () => {
    const stream = `counter-${randomUUID()}`;
    await one.execute(counter, stream, { type: 'Add', by: 1 }, context, quiet);
    await one.events.append(
      stream,
      [
        {
          id: randomUUID(),
          type: 'test.Added',
          data: { by: 4 },
          metadata: { actor: 'tester', correlationId: 'c', occurredAt: context.now.toISOString(), channel: 'system' },
        },
      ],
      0n,
    );
    const spy = reads(one);
    const { state } = await one.execute(counter, stream, { type: 'Add', by: 1 }, context, quiet);
    expect(state).toBe(6);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('appends only while every stream the decision read is still as it was read', async () => {
    const stream = `counter-${randomUUID()}`;
    const limitStream = `limit-${randomUUID()}`;
    await one.execute(counter, limitStream, { type: 'Add', by: 3 }, context, quiet);
    const seen: number[] = [];
    const { events } = await one.execute(
      counter,
      stream,
      async (decision): Promise<CounterCommand> => {
        const { state: limit } = await decision.load(counter, limitStream);
        seen.push(limit);
        // Another process changes what this decision read, after the read and before the append.
        if (seen.length === 1) await other.execute(counter, limitStream, { type: 'Add', by: 4 }, context, quiet);
        return { type: 'Add', by: limit };
      },
      context,
      quiet,
    );
    expect(seen).toEqual([3, 7]);
    expect(events).toEqual([{ type: 'test.Added', data: { by: 7 } }]);
    expect((await one.load(counter, stream)).state).toBe(7);
  });

  it("writes the request's record with the events by their statement, and nothing when the record misses", async () => {
    const table = `guard_${randomUUID().replace(/-/g, '')}`;
    await stores[0].query(`CREATE TABLE ${table} (id text PRIMARY KEY, body jsonb)`);
    const record = (id: string) => {
      const written = {
        recorded: false,
        guard: (body: unknown) => ({
          name: `test.${table}`,
          sql: (passed: string, offset: number) =>
            `UPDATE ${table} SET body = $${offset + 2}::jsonb WHERE ${passed} AND id = $${offset + 1} AND body IS NULL RETURNING id`,
          values: [id, JSON.stringify(body)],
          missed: () => conflict('TEST.GUARD_MISSED', `no open row ${id}`),
          written: () => {
            written.recorded = true;
          },
        }),
        write: () => Promise.reject(new Error('no unit of work expected')),
      };
      return written;
    };
    const stream = `counter-${randomUUID()}`;
    await stores[0].query(`INSERT INTO ${table} (id) VALUES ('open')`);
    const first = record('open');
    const answered = await records.run(first, () =>
      one.handle(counter, stream, { type: 'Add', by: 1 }, context, ({ state }) => ({ total: state }), quiet),
    );
    expect(answered).toEqual({ total: 1 });
    expect(first.recorded).toBe(true);
    expect((await stores[0].query(`SELECT body FROM ${table} WHERE id = 'open'`)).rows[0].body).toEqual({ total: 1 });
    await expect(
      records.run(record('open'), () => one.handle(counter, stream, { type: 'Add', by: 1 }, context, ({ state }) => state, quiet)),
    ).rejects.toBeInstanceOf(DomainError);
    expect((await one.load(counter, stream)).state).toBe(1);
    // Without an answer to record (a nested command of the same request), the record is not the command's to write.
    await records.run(record('open'), () => one.execute(counter, stream, { type: 'Add', by: 1 }, context, quiet));
    expect((await one.load(counter, stream)).state).toBe(2);
  });

  it('appends the commands that follow from a decision to their streams by the same statement', async () => {
    const stream = `counter-${randomUUID()}`;
    const mirror = `counter-${randomUUID()}`;
    await one.execute(counter, mirror, { type: 'Add', by: 10 }, context, quiet);
    const appendMany = jest.spyOn(other.events, 'appendMany');
    const append = jest.spyOn(other.events, 'append');
    const { state } = await other.execute(counter, stream, { type: 'Add', by: 2 }, context, {
      ...quiet,
      followOns: ({ events }) => events.map((event) => followOn(counter, mirror, { type: 'Add', by: event.data.by })),
    });
    expect(state).toBe(2);
    expect(appendMany).toHaveBeenCalledTimes(1);
    expect(append).not.toHaveBeenCalled();
    appendMany.mockRestore();
    append.mockRestore();
    expect((await one.load(counter, mirror)).state).toBe(12);
    // A refused follow-on refuses the decision: nothing of either is stored.
    await expect(
      other.execute(counter, stream, { type: 'Add', by: 3 }, context, {
        ...quiet,
        followOns: () => [followOn(counter, mirror, { type: 'Add', by: 1, limit: 12 })],
      }),
    ).rejects.toBeInstanceOf(DomainError);
    expect((await one.load(counter, stream)).state).toBe(2);
    expect((await one.load(counter, mirror)).state).toBe(12);
  });

  it('decides a follow-on on the very read of its stream the decision made, and skips one whose stream is not in the state it needs', async () => {
    const stream = `counter-${randomUUID()}`;
    const register = `counter-${randomUUID()}`;
    await one.execute(counter, register, { type: 'Add', by: 5 }, context, quiet);
    let raced = false;
    const total = await one.handle(
      counter,
      stream,
      async (decision): Promise<CounterCommand> => {
        const { state: seen } = await decision.load(counter, register);
        // Another process moves the register on after the decision read it: the follow-on must not decide on the newer state.
        if (!raced) {
          raced = true;
          await other.execute(counter, register, { type: 'Add', by: 1 }, context, quiet);
        }
        return { type: 'Add', by: seen };
      },
      context,
      ({ state }) => state,
      {
        ...quiet,
        followOns: ({ events }) => events.map((event) => followOn(counter, register, { type: 'Add', by: 0, limit: event.data.by })),
      },
    );
    // The first attempt's follow-on was decided on 5 and its append refused; the second saw 6 in both places.
    expect(total).toBe(6);
    expect((await one.load(counter, register)).state).toBe(6);
    const skipped = await one.handle(counter, stream, { type: 'Add', by: 1 }, context, ({ state }) => state, {
      ...quiet,
      followOns: () => [followOn(counter, register, { type: 'Add', by: 100 }, { onlyIf: (value) => value > 1000 })],
    });
    expect(skipped).toBe(7);
    expect((await one.load(counter, register)).state).toBe(6);
  });

  it('makes the side writes in the transaction of the append, and starts after-commit work only once it is stored', async () => {
    const table = `side_${randomUUID().replace(/-/g, '')}`;
    await stores[0].query(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
    const row = (id: string) =>
      sideWrite(`test.${table}`, async (tx) => void (await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id])));
    const stream = `counter-${randomUUID()}`;
    const started: number[] = [];
    await one.handle(counter, stream, { type: 'Add', by: 1 }, context, () => undefined, {
      ...quiet,
      sideWrites: () => [row('a')],
      afterCommit: ({ state }) => started.push(state),
    });
    expect((await stores[0].query(`SELECT id FROM ${table}`)).rows).toEqual([{ id: 'a' }]);
    expect(started).toEqual([1]);
    // A side write that fails undoes the append, and nothing starts.
    await expect(
      one.handle(counter, stream, { type: 'Add', by: 1 }, context, () => undefined, {
        ...quiet,
        sideWrites: () => [row('a')],
        afterCommit: ({ state }) => started.push(state),
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await one.load(counter, stream)).state).toBe(1);
    expect(started).toEqual([1]);
  });

  it('decides a follow-on assumed new again from the log when the stream turned out to exist', async () => {
    const stream = `counter-${randomUUID()}`;
    const target = `counter-${randomUUID()}`;
    // Another process starts the target stream: this one knows nothing of it and assumes it new.
    await one.execute(counter, target, { type: 'Add', by: 5 }, context, quiet);
    const { state } = await other.execute(counter, stream, { type: 'Add', by: 1 }, context, {
      ...quiet,
      maxAttempts: 3,
      followOns: ({ events }) => events.map(() => followOn(counter, target, { type: 'Add', by: 1, limit: 10 }, { startsStream: true })),
    });
    expect(state).toBe(1);
    expect((await one.load(counter, target)).state).toBe(6);
  });

  it('decides a lost race again inside: 50 concurrent commands on one stream from two processes all succeed', async () => {
    const stream = `counter-${randomUUID()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? one : other).execute(counter, stream, { type: 'Add', by: 1 }, context, quiet)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect((await one.load(counter, stream)).state).toBe(50);
  });

  it('under the same race a limit holds exactly: the refusals are the rule, never a conflict', async () => {
    const stream = `counter-${randomUUID()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? one : other).execute(counter, stream, { type: 'Add', by: 3, limit: 100 }, context, quiet),
      ),
    );
    const refused = outcomes
      .filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
      .map((outcome) => (outcome.reason as DomainError).code);
    expect(new Set(refused)).toEqual(new Set(['TEST.LIMIT']));
    expect((await one.load(counter, stream)).state).toBe(99);
  });
});

describe('retryPauseMs: jittered, growing, capped', () => {
  it('is a random share of a ceiling that doubles per attempt up to a cap', () => {
    expect(retryPauseMs(1, () => 0)).toBe(0);
    expect(retryPauseMs(1, () => 0.999)).toBe(3);
    expect(retryPauseMs(4, () => 0.999)).toBe(31);
    expect(retryPauseMs(30, () => 0.999)).toBe(249);
    expect(retryPauseMs(100, () => 0.5)).toBe(125);
  });
});
