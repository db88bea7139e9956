import { Client } from 'pg';
import { DataSource, EntitySchema } from 'typeorm';
import { loadMigrations } from '../../../migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function | EntitySchema;

/** One TypeORM data source for read models and migrations; the event store shares its connection pool. */
export const createDataSource = (url: string, entities: EntityClass[], poolSize = 20): DataSource =>
  new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations: loadMigrations(),
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  });

export const runMigrations = async (url: string): Promise<void> => {
  const source = createDataSource(url, [], 2);
  await source.initialize();
  try {
    await source.runMigrations();
  } finally {
    await source.destroy();
  }
};

const withClient = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

export const databaseUrl = (serverUrl: string, database: string): string => {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database if it does not exist (for a fresh embedded cluster or a CI server). */
export const ensureDatabase = async (serverUrl: string, database: string, template?: string): Promise<string> => {
  await withClient(databaseUrl(serverUrl, 'postgres'), async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
    }
  });
  return databaseUrl(serverUrl, database);
};

export const dropDatabase = async (serverUrl: string, database: string): Promise<void> => {
  await withClient(databaseUrl(serverUrl, 'postgres'), (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`));
};
