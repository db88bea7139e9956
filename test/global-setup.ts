import { resolve } from 'node:path';
import { ensureDatabase, runMigrations } from '../libs/platform/src/database';
import { startEmbeddedPostgres } from '../libs/platform/src/embedded-postgres';
import { freePort } from './support/free-port';

/**
 * Starts one real PostgreSQL for the whole run (embedded, or the server in DATABASE_URL), migrates a template database,
 * and hands its URL to the tests; each test file clones the template into a database of its own (test/support/db.ts).
 */

export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = resolve(__dirname, '..', '.data', `test-pg-${process.pid}`);
    const running = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true, unsafeFast: true });
    (globalThis as { __PG__?: { stop(): Promise<void> } }).__PG__ = running;
    serverUrl = running.url;
  }
  const template = `test_template_${process.pid}`;
  const templateUrl = await ensureDatabase(serverUrl, template);
  await runMigrations(templateUrl);
  process.env.TEST_PG_SERVER_URL = serverUrl;
  process.env.TEST_PG_TEMPLATE = template;
}
