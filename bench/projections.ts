import { Pool } from 'pg';
import { uuidv7 } from '@app/common';
import { NewEvent, PgEventStore, START } from '@app/event-store';
import { ProjectionRunner, loadConfig, JsonLogger } from '@app/platform';
import { DataSource } from 'typeorm';
import { createApp } from '../apps/api/src/app.factory';
import { ratio, startBenchDatabase } from './support';

/**
 * Rebuilds every read model from a log of 100k events, twice, and checks both rebuilds give identical tables. The
 * baseline is reading the same log page by page without applying it.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);

const metadata = () => ({ actor: 'bench', correlationId: uuidv7(), occurredAt: new Date().toISOString(), channel: 'system' });

/** 4 of 5 events register a user; every fifth grants the previous user a role. */
const seed = async (store: PgEventStore): Promise<void> => {
  let written = 0;
  while (written < EVENTS) {
    const appends: Promise<unknown>[] = [];
    for (let n = 0; n < 250 && written < EVENTS; n++) {
      const userId = uuidv7();
      const events: NewEvent[] = [
        {
          id: uuidv7(),
          type: 'identity.UserRegistered',
          data: {
            userId,
            email: `${userId}@example.com`,
            displayName: `User ${written}`,
            roles: ['investor'],
            registeredAt: new Date().toISOString(),
          },
          metadata: metadata(),
        },
      ];
      if (written % 5 === 3)
        events.push({
          id: uuidv7(),
          type: 'identity.RoleGranted',
          data: { userId, role: 'advisor', grantedBy: 'bench', at: new Date().toISOString() },
          metadata: metadata(),
        });
      written += events.length;
      appends.push(store.append(`user-${userId}`, events, 'no_stream'));
    }
    await Promise.all(appends);
  }
};

const fingerprint = async (dataSource: DataSource, tables: readonly string[]): Promise<string> => {
  const parts: string[] = [];
  for (const table of tables) {
    const [row] = await dataSource.query(
      `SELECT count(*)::text AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${table}" t`,
    );
    parts.push(`${table}:${row.n}:${row.h}`);
  }
  return parts.join(',');
};

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('projections');
  const config = loadConfig({
    DATA_DIR: '.data/bench',
    JWT_SECRET: 'bench-secret-that-is-at-least-32-characters-long',
    LOG_LEVEL: 'error',
    PROJECTIONS_DISABLED: 'true',
  });
  const app = await createApp({ config, databaseUrl: db.url, logger: new JsonLogger('error') });
  await app.init();
  const store = new PgEventStore(new Pool({ connectionString: db.url, max: 20 }));
  try {
    await seed(store);
    const runner = app.get(ProjectionRunner);
    const dataSource = app.get(DataSource);
    const tables = runner.list().flatMap((projection) => projection.tables);

    const readStarted = Date.now();
    let read = 0;
    for (let after = START; ;) {
      const page = await store.readAll({ after, limit: 2000 });
      read += page.length;
      if (page.length < 2000) break;
      after = page[page.length - 1].position;
    }
    const readPerSecond = Math.round(read / ((Date.now() - readStarted) / 1000));

    const first = await runner.rebuild();
    const firstPrint = await fingerprint(dataSource, tables);
    const second = await runner.rebuild();
    const secondPrint = await fingerprint(dataSource, tables);
    const perProjection = Object.fromEntries(
      second.map((result, index) => [
        result.name,
        { events: result.events, eventsPerSecond: [first[index], result].map((r) => Math.round(r.events / (r.ms / 1000))) },
      ]),
    );
    const totalEvents = first.reduce((sum, result) => sum + result.events, 0);
    const totalMs = first.reduce((sum, result) => sum + result.ms, 0);
    const rebuildPerSecond = Math.round(totalEvents / (totalMs / 1000));
    const usersRows = await dataSource.query('SELECT count(*)::int AS n FROM users_view');
    return {
      events: read,
      projections: perProjection,
      rebuildEventsPerSecond: rebuildPerSecond,
      readOnlyEventsPerSecond: readPerSecond,
      usersViewRows: usersRows[0].n,
      identicalAfterTwoRebuilds: firstPrint === secondPrint,
      ratios: { rebuild_vs_read_only: ratio(rebuildPerSecond, readPerSecond) },
      targets: { rebuildEventsPerSecond: 10000 },
    };
  } finally {
    await store.close();
    await app.close();
    await db.stop();
  }
}
