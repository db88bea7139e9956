import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext, Decider, RandomIdGenerator, SystemClock, ruleViolation } from '@app/common';
import { GlobalPosition, LogDatabase, NewEvent, PgEventStore, RecordedEvent, START, comparePositions } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/db';
import { AggregateStore } from './aggregate-store';
import { loadConfig } from './config';
import { IdempotencyService } from './idempotency';
import { JsonLogger } from './logger';
import { ProjectionRunner } from './projections';
import { EventReactor, Reaction, ReactorRunner, Reactor, reaction, reactionContext, reactorCheckpoint } from './reactors';
import { RequestRecords } from './request-record';

/** A tally per order: an order event calls for adding its quantity to the order's tally (refused past 100). */
type TallyCommand = { type: 'Add'; by: number };
type TallyEvent = { type: 'test.Tallied'; data: { by: number } };
const tally: Decider<TallyCommand, TallyEvent, number> = {
  initialState: 0,
  decide: (command, total) =>
    total + command.by > 100
      ? ruleViolation('TEST.TALLY_FULL', 'T1', 'a tally stops at 100')
      : [{ type: 'test.Tallied', data: { by: command.by } }],
  evolve: (total, event) => total + event.data.by,
};

class AddToTally {
  constructor(
    readonly orderId: string,
    readonly by: number,
    readonly context: CommandContext,
  ) {}
}

/** The reactor under test: pure, given an event → its commands. */
@EventReactor()
class TallyReactor implements Reactor {
  readonly name = `test.tally-${randomUUID()}`;
  react(event: RecordedEvent): readonly Reaction[] {
    if (event.type !== 'test.Ordered') return [];
    const { orderId, quantity } = event.data as { orderId: string; quantity: number };
    return [reaction(orderId, (context) => new AddToTally(orderId, quantity, context))];
  }
}

const ordered = (orderId: string, quantity: number): NewEvent => ({
  id: randomUUID(),
  type: 'test.Ordered',
  data: { orderId, quantity },
  metadata: { actor: 'tester', correlationId: `order-${orderId}`, occurredAt: '2026-01-01T00:00:00.000Z', channel: 'api' },
});
const unrelated = (): NewEvent => ({ ...ordered('x', 0), type: 'test.Unrelated' });

describe('Reactor (pure): given events → expected commands', () => {
  const reactor = new TallyReactor();
  const event = {
    id: 'e-1',
    type: 'test.Ordered',
    data: { orderId: 'o-1', quantity: 3 },
    metadata: { correlationId: 'c-1' },
  } as unknown as RecordedEvent;
  const now = new Date('2026-01-01T00:00:00Z');

  it('calls for one command per order event, keyed by the order, in the context of the event', () => {
    const commands = reactor.react(event).map((next) => next.command(reactionContext(reactor, event, next.key, now)));
    expect(commands).toEqual([new AddToTally('o-1', 3, reactionContext(reactor, event, 'o-1', now))]);
    expect((commands[0] as AddToTally).context).toMatchObject({
      causationId: 'e-1',
      correlationId: 'c-1',
      idempotencyKey: `${reactor.name}:e-1:o-1`,
      channel: 'system',
    });
  });

  it('calls for nothing on the events it ignores', () => {
    expect(reactor.react({ ...event, type: 'test.Unrelated' })).toEqual([]);
  });
});

describe('ReactorRunner against PostgreSQL', () => {
  let db: TestDatabase;
  let store: PgEventStore;
  let aggregates: AggregateStore;
  let idempotency: IdempotencyService;
  const records = new RequestRecords();
  const config = loadConfig({ DATA_DIR: '.data/test', JWT_SECRET: 'x'.repeat(32), PROJECTION_POLL_MS: '20' });
  const noProjections = { waitFor: async () => true } as unknown as ProjectionRunner;
  const warnings: Record<string, unknown>[] = [];
  const logger = new JsonLogger('error');
  logger.event = (_level, _context, fields) => void warnings.push(fields);
  logger.error = (error: unknown) => void warnings.push({ error });
  let executed: AddToTally[];

  /** The command bus as the application wires it: the handler runs the command through the seam. */
  const bus = (afterCommit: (command: AddToTally) => void = () => undefined) =>
    ({
      execute: async (command: AddToTally) => {
        executed.push(command);
        const answer = await aggregates.handle(
          tally,
          `tally-${command.orderId}`,
          { type: 'Add', by: command.by },
          command.context,
          ({ state }) => ({ total: state }),
          {
            waitForProjections: false,
          },
        );
        afterCommit(command);
        return answer;
      },
    }) as unknown as CommandBus;

  const runner = (reactor: Reactor, commands: CommandBus, database: LogDatabase = store, projections = noProjections) =>
    new ReactorRunner(
      { getProviders: () => [{ instance: reactor, metatype: TallyReactor }] } as unknown as DiscoveryService,
      commands,
      idempotency,
      projections,
      store,
      database,
      new SystemClock(),
      logger,
      config,
    );

  /** The database beside the log, but the process dies as it is about to record that `position` is done. */
  const diesAtCheckpoint = (position: GlobalPosition): LogDatabase =>
    ({
      connect: async () => {
        const session = await store.connect();
        return {
          query: (text: string, values?: unknown[]) =>
            text.includes('subscription_checkpoints') &&
            values?.[1] === position.major.toString() &&
            values?.[2] === position.minor.toString()
              ? Promise.reject(new Error('the process died'))
              : session.query(text, values),
          release: (destroy?: boolean | Error) => session.release(destroy),
          on: () => undefined,
          off: () => undefined,
        };
      },
    }) as unknown as LogDatabase;

  /**
   * Appends, then waits until the events are part of the committed log a reader sees (a transaction still running
   * anywhere on the server, in another test's database too, holds back what readAll returns).
   */
  const appendVisible = async (streamId: string, events: NewEvent[]) => {
    const { position } = await store.append(streamId, events, 'no_stream');
    const deadline = Date.now() + 30_000;
    while (comparePositions(await store.head(), position) < 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
  };

  const tallied = async (orderId: string) => (await store.readStream(`tally-${orderId}`)).map((event) => event.data);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgEventStore(new Pool({ connectionString: db.url, max: 6 }), new Map(), 20);
    aggregates = new AggregateStore(store, new RandomIdGenerator(), noProjections, records);
    idempotency = new IdempotencyService(store, config, records);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });
  beforeEach(() => {
    executed = [];
    warnings.length = 0;
  });

  it('runs the commands each event calls for, then moves its checkpoint past the event', async () => {
    const reactor = new TallyReactor();
    const [a, b] = [randomUUID(), randomUUID()];
    await appendVisible(`orders-${a}`, [ordered(a, 2), unrelated()]);
    await appendVisible(`orders-${b}`, [ordered(b, 5)]);
    const running = runner(reactor, bus());
    expect(await running.pass(reactor)).toBeGreaterThanOrEqual(3);
    expect(await tallied(a)).toEqual([{ by: 2 }]);
    expect(await tallied(b)).toEqual([{ by: 5 }]);
    const [last] = (await store.readStream(`orders-${b}`)).slice(-1);
    expect(comparePositions(await running.checkpoint(reactor), last.position)).toBeGreaterThanOrEqual(0);
    // Nothing new: a second pass runs nothing.
    executed = [];
    await running.pass(reactor);
    expect(executed).toEqual([]);
  });

  it('resumes from its checkpoint after a restart and does not run a command twice', async () => {
    const reactor = new TallyReactor();
    const orders = [randomUUID(), randomUUID(), randomUUID()];
    for (const order of orders) await appendVisible(`orders-${order}`, [ordered(order, 1)]);
    const [first] = await store.readStream(`orders-${orders[0]}`);
    const [second] = await store.readStream(`orders-${orders[1]}`);
    // The process dies right after the second order's command committed, before the checkpoint could move past it.
    const dying = runner(reactor, bus(), diesAtCheckpoint(second.position));
    await expect(dying.pass(reactor)).rejects.toThrow('the process died');
    const stopped = await dying.checkpoint(reactor);
    expect(comparePositions(stopped, first.position)).toBe(0);
    expect(await tallied(orders[1])).toEqual([{ by: 1 }]);
    expect(await tallied(orders[2])).toEqual([]);

    // A new instance: the second order is delivered again, and its command finds its record instead of appending again.
    executed = [];
    const restarted = runner(reactor, bus());
    await restarted.pass(reactor);
    expect(executed.map((command) => command.orderId)).toEqual([orders[1], orders[2]]);
    for (const order of orders) expect(await tallied(order)).toEqual([{ by: 1 }]);
    const [last] = await store.readStream(`orders-${orders[2]}`);
    expect(comparePositions(await restarted.checkpoint(reactor), last.position)).toBeGreaterThanOrEqual(0);
  });

  it('logs a refused command and moves on; the next events still run', async () => {
    const reactor = new TallyReactor();
    const [full, next] = [randomUUID(), randomUUID()];
    await appendVisible(`orders-${full}`, [ordered(full, 101)]);
    await appendVisible(`orders-${next}`, [ordered(next, 4)]);
    await runner(reactor, bus()).pass(reactor);
    expect(await tallied(full)).toEqual([]);
    expect(await tallied(next)).toEqual([{ by: 4 }]);
    expect(warnings).toContainEqual(
      expect.objectContaining({ msg: 'reaction refused', reactor: reactor.name, key: full, code: 'TEST.TALLY_FULL' }),
    );
  });

  it('runs on one instance at a time: a pass while another instance holds the reactor does nothing', async () => {
    const reactor = new TallyReactor();
    const order = randomUUID();
    await appendVisible(`orders-${order}`, [ordered(order, 1)]);
    const other = await store.connect();
    try {
      await other.query('SELECT pg_advisory_lock(hashtext($1))', [reactorCheckpoint(reactor)]);
      expect(await runner(reactor, bus()).pass(reactor)).toBe(0);
      expect(executed).toEqual([]);
      expect(await store.readCheckpoint(reactorCheckpoint(reactor))).toEqual(START);
      await other.query('SELECT pg_advisory_unlock(hashtext($1))', [reactorCheckpoint(reactor)]);
    } finally {
      other.release();
    }
    await runner(reactor, bus()).pass(reactor);
    expect(await tallied(order)).toEqual([{ by: 1 }]);
  });

  it('asks a reactor that reads read models only once they have applied the event; until then the pass stops before it', async () => {
    const reactor = Object.assign(new TallyReactor(), { readsProjections: true, types: ['test.Ordered'] });
    const order = randomUUID();
    await appendVisible(`orders-${order}`, [ordered(order, 1)]);
    const behind = { waitFor: async () => false } as unknown as ProjectionRunner;
    await expect(runner(reactor, bus(), store, behind).pass(reactor)).rejects.toThrow('the read models have not applied event');
    expect(executed).toEqual([]);
    expect(await store.readCheckpoint(reactorCheckpoint(reactor))).toEqual(START);
    await runner(reactor, bus()).pass(reactor);
    expect(await tallied(order)).toEqual([{ by: 1 }]);
  });

  it('runs in the background once started, woken by appends, until stopped', async () => {
    const reactor = new TallyReactor();
    const running = runner(reactor, bus());
    running.discover();
    expect(running.list()).toEqual([reactor]);
    running.start();
    try {
      const order = randomUUID();
      await appendVisible(`orders-${order}`, [ordered(order, 7)]);
      const deadline = Date.now() + 10_000;
      while ((await tallied(order)).length === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
      expect(await tallied(order)).toEqual([{ by: 7 }]);
    } finally {
      await running.stop();
    }
  });
});
