/**
 * The projection runner against a real PostgreSQL: one transaction applies a batch to every read model, each read
 * model sees only the events past its own checkpoint, a failing read model does not hold the others back, and
 * read-your-writes waits end once the write is applied everywhere.
 */
import { randomUUID } from 'node:crypto';
import { DiscoveryService } from '@nestjs/core';
import { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { NewEvent, PgEventStore, RecordedEvent } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/db';
import { AppConfig, loadConfig } from './config';
import { PreparingClient } from './database';
import { JsonLogger } from './logger';
import { EventProjection, PROJECTION_LAG, Projection, ProjectionRunner } from './projections';

/** Records what it was given in a table of its own, so that the table shows exactly-once application. */
class RecordingProjection implements Projection {
  readonly tables: string[];
  failing = false;

  constructor(readonly name: string) {
    this.tables = [`seen_${name}`];
  }

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    if (this.failing) throw new Error(`${this.name} is broken`);
    await manager.query(`INSERT INTO seen_${this.name} (event_id) SELECT unnest($1::uuid[])`, [events.map((event) => event.id)]);
  }
}
EventProjection()(RecordingProjection);

const newEvent = (n = 0): NewEvent => ({
  id: randomUUID(),
  type: 'test.Happened',
  data: { n },
  metadata: { actor: 'test', correlationId: randomUUID(), occurredAt: '2026-11-23T10:00:00.000Z', channel: 'system' },
});

describe('ProjectionRunner (PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: PgEventStore;
  let projections: RecordingProjection[];
  let runner: ProjectionRunner;
  let logger: JsonLogger;
  const logged: unknown[] = [];

  const seen = async (projection: RecordingProjection): Promise<string[]> =>
    (await dataSource.query(`SELECT event_id FROM ${projection.tables[0]} ORDER BY event_id`)).map(
      (row: { event_id: string }) => row.event_id,
    );

  beforeEach(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource({ type: 'postgres', url: db.url, extra: { max: 5, Client: PreparingClient } });
    await dataSource.initialize();
    store = new PgEventStore(new Pool({ connectionString: db.url, max: 5, Client: PreparingClient }), new Map(), 20);
    projections = ['alpha', 'beta', 'gamma'].map((name) => new RecordingProjection(name));
    for (const projection of projections) await dataSource.query(`CREATE TABLE ${projection.tables[0]} (event_id uuid PRIMARY KEY)`);
    const discovery = {
      getProviders: () => projections.map((instance) => ({ instance, metatype: RecordingProjection })),
    } as unknown as DiscoveryService;
    const config: AppConfig = loadConfig({ DATA_DIR: '.data/test', JWT_SECRET: 'x'.repeat(32), PROJECTION_POLL_MS: '20' });
    logger = new JsonLogger('error');
    logger.error = (error: unknown) => void logged.push(error);
    runner = new ProjectionRunner(discovery, dataSource, store, logger, config, store);
    runner.discover();
    logged.length = 0;
  });

  afterEach(async () => {
    await runner.stop();
    await store.close();
    await dataSource.destroy();
    await db.drop();
  });

  it('applies one batch to every read model in one transaction and writes all their checkpoints', async () => {
    const appended = await store.append('s-1', [newEvent(1), newEvent(2), newEvent(3)], 'no_stream');
    expect(await runner.step()).toBe(3);
    for (const projection of projections) expect(await seen(projection)).toHaveLength(3);
    const checkpoints = await dataSource.query('SELECT name, position FROM subscription_checkpoints ORDER BY name');
    expect(checkpoints).toEqual(['alpha', 'beta', 'gamma'].map((name) => ({ name, position: appended.position.minor.toString() })));
    expect(await runner.step()).toBe(0);
  });

  it('gives each read model only the events past its own checkpoint (one rebuilt, the others ahead)', async () => {
    await store.append('s-1', [newEvent(1), newEvent(2)], 'no_stream');
    await runner.catchUp();
    const rebuilt = await runner.rebuild(['beta']);
    expect(rebuilt).toEqual([expect.objectContaining({ name: 'beta', events: 2 })]);
    await store.append('s-1', [newEvent(3)], 1n);
    await runner.catchUp();
    for (const projection of projections) expect(await seen(projection)).toHaveLength(3);
  });

  it('keeps the healthy read models going while one fails, and catches the broken one up once fixed', async () => {
    runner.start();
    projections[1].failing = true;
    const appended = await store.append('s-1', [newEvent(1)], 'no_stream');
    await waitUntil(async () => (await seen(projections[0])).length === 1 && (await seen(projections[2])).length === 1);
    expect(await seen(projections[1])).toHaveLength(0);
    expect(logged.some((error) => String(error).includes('beta is broken'))).toBe(true);
    // A request waiting for its write is not answered while a read model lacks it.
    expect(await runner.waitFor(appended.position, 150)).toBe(false);
    projections[1].failing = false;
    store.wake();
    expect(await runner.waitFor(appended.position, 5000)).toBe(true);
    expect(await seen(projections[1])).toHaveLength(1);
  });

  it('applies concurrent writers exactly once while running live, and answers each writer once its event is applied', async () => {
    runner.start();
    const writes = await Promise.all(
      Array.from({ length: 20 }, async (_, writer) => {
        let expected: bigint | 'no_stream' = 'no_stream';
        for (let n = 0; n < 10; n++) {
          const result = await store.append(`w-${writer}`, [newEvent(n)], expected);
          expected = result.nextExpectedRevision;
          expect(await runner.waitFor(result.position, 5000)).toBe(true);
        }
      }),
    );
    expect(writes).toHaveLength(20);
    for (const projection of projections) expect(await seen(projection)).toHaveLength(200);
  });

  it("counts a read model's lag by the commit-order index even under a generic plan, never by scanning the log", async () => {
    // A scan of the whole log per read model and per /health request is what starved the pool under load.
    await dataSource.query(
      `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, hash)
       SELECT gen_random_uuid(), 'lag-' || (n / 100), n % 100, 'test.Lag', 1, '{}', '{}', sha256('x'::bytea) FROM generate_series(0, 49999) n`,
    );
    await dataSource.query('ANALYZE events');
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await manager.query(`PREPARE lag_count (text, bigint, int) AS ${PROJECTION_LAG}`);
      const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN EXECUTE lag_count('0', 0, 10000)`);
      await manager.query('DEALLOCATE lag_count');
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan/);
    expect(plan).not.toMatch(/Seq Scan/);
    expect(await runner.lag()).toEqual(['alpha', 'beta', 'gamma'].map((name) => ({ name, behind: 10000 })));
  });

  it('two runners on one database never apply a batch twice', async () => {
    const second = new ProjectionRunner(
      { getProviders: () => projections.map((instance) => ({ instance, metatype: RecordingProjection })) } as unknown as DiscoveryService,
      dataSource,
      store,
      logger,
      loadConfig({ DATA_DIR: '.data/test', JWT_SECRET: 'x'.repeat(32), PROJECTION_POLL_MS: '20' }),
      store,
    );
    second.discover();
    runner.start();
    second.start();
    try {
      for (let n = 0; n < 50; n++) await store.append(`t-${n % 5}`, [newEvent(n)], 'any');
      await waitUntil(async () => (await seen(projections[2])).length === 50);
    } finally {
      await second.stop();
    }
    // The tables' primary keys refuse a second insert of an event, which would have been logged as a failed batch.
    expect(logged).toEqual([]);
    for (const projection of projections) expect(await seen(projection)).toHaveLength(50);
  });
});

describe('PreparingClient', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 1, Client: PreparingClient });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('prepares a parameterised statement once per connection and reuses it; plain statements stay unprepared', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    expect((await pool.query(text, [1])).rows).toEqual([{ n: 2 }]);
    expect((await pool.query(text, [41])).rows).toEqual([{ n: 42 }]);
    await pool.query('SELECT 1');
    const { rows } = await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
    expect(rows.map((row) => row.statement)).toEqual([text]);
  });

  it('supports the callback form and reports errors of a prepared statement', async () => {
    const result = await new Promise((resolve, reject) =>
      pool.connect((error, client, release) => {
        if (error || !client) return reject(error);
        client.query('SELECT $1::text AS t', ['x'], (failure, res) => {
          release();
          return failure ? reject(failure) : resolve(res.rows);
        });
      }),
    );
    expect(result).toEqual([{ t: 'x' }]);
    await expect(pool.query('SELECT $1::int AS n', ['not a number'])).rejects.toThrow(/invalid input syntax/);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((done) => setTimeout(done, 20));
  }
}
