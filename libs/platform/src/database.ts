/** PostgreSQL connections: the TypeORM data source (statements prepared per connection), migrations, databases. */
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntitySchema } from 'typeorm';
import { loadMigrations } from '../../../migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function | EntitySchema;

/**
 * The application's statements are a fixed set; texts built with a varying number of parameters (an IN list of any
 * length) are not, so past this many distinct texts further ones run unprepared, and a connection holds at most this
 * many prepared statements.
 */
const MAX_PREPARED = 1000;
const statementNames = new Map<string, string>();
const statementName = (text: string): string | undefined => {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED) {
    name = `s_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  return name;
};

/**
 * A connection that prepares each parameterised statement the first time it runs on that connection, under a name
 * derived from its text, and then only binds and executes it. PostgreSQL otherwise parses and plans every statement
 * anew, which for the short statements of a request costs more than running them. Statements without parameters
 * (BEGIN, COMMIT, DDL) go as they are. The application's pools use it; migrations do not (their DDL would invalidate
 * what was prepared). On a pipelined connection, statements queried in the same tick leave in one write.
 */
export class PreparingClient extends Client {}

const plainQuery = Client.prototype.query as (...args: unknown[]) => unknown;
interface Corkable {
  cork(): void;
  uncork(): void;
}
const pipelinedStream = (client: Client): Corkable | undefined => {
  const { pipeline, connection } = client as unknown as { pipeline?: boolean; connection?: { stream?: Partial<Corkable> } };
  const stream = pipeline ? connection?.stream : undefined;
  return stream?.cork && stream.uncork ? (stream as Corkable) : undefined;
};
const corked = new WeakSet<Corkable>();

PreparingClient.prototype.query = function (this: Client, ...args: unknown[]) {
  // A pipelined connection sends what is queried in one tick as one write: the statements of a wave share a system call.
  const stream = pipelinedStream(this);
  if (stream && !corked.has(stream)) {
    corked.add(stream);
    stream.cork();
    process.nextTick(() => {
      corked.delete(stream);
      stream.uncork();
    });
  }
  const [text, values, ...rest] = args;
  const name = typeof text === 'string' && Array.isArray(values) && values.length > 0 ? statementName(text) : undefined;
  if (name) return plainQuery.call(this, { name, text, values }, ...rest);
  return plainQuery.apply(this, args);
} as Client['query'];

/**
 * A `?host=/path` in a connection URL names a Unix socket directory; node-postgres reads it, TypeORM's URL parser does
 * not, so its pool is given the host explicitly.
 */
export const socketHostOf = (url: string): { host: string } | Record<string, never> => {
  const host = new URL(url).searchParams.get('host');
  return host?.startsWith('/') ? { host } : {};
};

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
    extra: { max: poolSize, ...socketHostOf(url) },
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
  await withClient(databaseUrl(serverUrl, 'postgres'), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`),
  );
};
