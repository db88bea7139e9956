import { AppConfig, JsonLogger, RunningPostgres, ensureDatabase, runMigrations, startEmbeddedPostgres } from '@app/platform';
import { resolve } from 'node:path';

/**
 * Resolves the database: DATABASE_URL when set, else an embedded PostgreSQL in the data folder (kept across restarts).
 * Applies pending migrations either way.
 */
export const prepareDatabase = async (config: AppConfig, logger: JsonLogger): Promise<{ url: string; embedded?: RunningPostgres }> => {
  if (config.databaseUrl) {
    await runMigrations(config.databaseUrl);
    return { url: config.databaseUrl };
  }
  const started = Date.now();
  const embedded = await startEmbeddedPostgres({
    dataDir: resolve(config.dataDir, 'pg'),
    port: config.embeddedPostgresPort,
    onLog: (line) => logger.event('debug', 'postgres', { msg: line }),
  });
  const url = await ensureDatabase(embedded.url, 'marketplace');
  await runMigrations(url);
  logger.event('info', 'bootstrap', { msg: 'embedded PostgreSQL ready', dataDir: resolve(config.dataDir, 'pg'), port: config.embeddedPostgresPort, ms: Date.now() - started });
  return { url, embedded };
};
