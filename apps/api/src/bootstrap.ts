import { AppConfig, JsonLogger, RunningPostgres, ensureDatabase, runMigrations, startEmbeddedPostgres } from '@app/platform';
import { resolve } from 'node:path';

/** The database the embedded server keeps the application's data in. */
export const EMBEDDED_DATABASE = 'marketplace';

/**
 * Resolves the database: DATABASE_URL when set, else the embedded PostgreSQL in the data folder (kept across
 * restarts), started by this process or, when one already serves the folder, attached to. Applies pending migrations
 * either way. `server`: a long-running process, which takes over stopping an embedded server whose starter is gone.
 */
export const prepareDatabase = async (
  config: AppConfig,
  logger: JsonLogger,
  { server = false } = {},
): Promise<{ url: string; embedded?: RunningPostgres }> => {
  if (config.databaseUrl) {
    await runMigrations(config.databaseUrl);
    return { url: config.databaseUrl };
  }
  const started = Date.now();
  const dataDir = resolve(config.dataDir, 'pg');
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: config.embeddedPostgresPort,
    adoptOrphan: server,
    onLog: (line) => logger.event('debug', 'postgres', { msg: line }),
  });
  const url = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
  await runMigrations(url);
  logger.event('info', 'bootstrap', {
    msg: embedded.started
      ? 'embedded PostgreSQL ready'
      : embedded.owned
        ? 'attached to the running embedded PostgreSQL, whose starter is gone: it stops with this process'
        : 'attached to the running embedded PostgreSQL',
    dataDir,
    port: new URL(embedded.url).port,
    ms: Date.now() - started,
  });
  return { url, embedded };
};
