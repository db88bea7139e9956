import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';

/**
 * The multi-machine topology on one machine, from real engines: a PostgreSQL 15 primary and a hot standby fed by
 * streaming replication (Debian's postgresql-15 and its pg_basebackup), API instances sharing one set of secrets, and
 * HAProxy in front of them checking each instance's readiness. Used by `npm run cluster` and by the cluster test.
 */
export interface ClusterOptions {
  /** Everything the cluster writes: data folders, logs, the shared secrets. */
  readonly dir: string;
  readonly apiInstances: number;
  /**
   * The load balancer listens here; API instances on base+1…; PostgreSQL on base+10 (primary) and base+11 (standby);
   * the balancer's PostgreSQL front, which the API instances connect through, on base+20.
   */
  readonly basePort: number;
  /** `remote_apply`: a commit is acknowledged once the standby has applied it (no acknowledged write lost on failover). */
  readonly synchronous: boolean;
  readonly log?: (line: string) => void;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';
const DATABASE = 'marketplace';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Installs the Debian packages the topology needs when they are missing (as root; CI and fresh machines). */
export const ensureEngines = (log: (line: string) => void): void => {
  const missing = [
    ...(existsSync(`${PG_BIN}/pg_basebackup`) && existsSync(`${PG_BIN}/postgres`) ? [] : ['postgresql-15']),
    ...(existsSync('/usr/sbin/haproxy') ? [] : ['haproxy']),
  ];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new Error(`missing Debian packages: ${missing.join(' ')} (install them as root: apt-get install -y ${missing.join(' ')})`);
  log(`installing ${missing.join(', ')} from Debian`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};

/** PostgreSQL refuses to run as root: its processes run as the `postgres` user that the Debian package creates. */
const asPostgres = (command: string, args: string[], env: NodeJS.ProcessEnv = {}): string => {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
};

const ownByPostgres = (path: string) => {
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(path, uid, gid);
};

/** One set of secrets for every instance, generated once (mode 0600): tokens, the vault and checkpoints agree. */
export const sharedSecrets = (dir: string): Record<string, string> => {
  const path = resolve(dir, 'secrets.env');
  if (!existsSync(path)) {
    const signing = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const lines = [
      `POSTGRES_PASSWORD=${randomBytes(18).toString('base64url')}`,
      `REPLICATION_PASSWORD=${randomBytes(18).toString('base64url')}`,
      `JWT_SECRET=${randomBytes(36).toString('base64url')}`,
      `PII_MASTER_KEY=${randomBytes(32).toString('base64')}`,
      `AUDIT_SIGNING_KEY=${signing}`,
      `PAYMENTS_SANDBOX_SECRET=${randomBytes(32).toString('base64url')}`,
    ];
    writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  }
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
};

export interface PostgresNode {
  readonly name: 'primary' | 'standby';
  readonly dataDir: string;
  readonly port: number;
}

export class Cluster {
  readonly secrets: Record<string, string>;
  readonly primary: PostgresNode;
  readonly standby: PostgresNode;
  readonly apis = new Map<number, ChildProcess>();
  private balancer?: ChildProcess;
  private readonly log: (line: string) => void;

  constructor(readonly options: ClusterOptions) {
    this.log = options.log ?? (() => undefined);
    mkdirSync(options.dir, { recursive: true, mode: 0o755 });
    this.secrets = sharedSecrets(options.dir);
    this.primary = { name: 'primary', dataDir: resolve(options.dir, 'primary'), port: options.basePort + 10 };
    this.standby = { name: 'standby', dataDir: resolve(options.dir, 'standby'), port: options.basePort + 11 };
  }

  get balancerUrl(): string {
    return `http://127.0.0.1:${this.options.basePort}`;
  }

  apiPort(instance: number): number {
    return this.options.basePort + 1 + instance;
  }

  databaseUrl(node: PostgresNode | 'writer', database = DATABASE): string {
    const port = node === 'writer' ? this.writerPort : node.port;
    return `postgres://postgres:${encodeURIComponent(this.secrets.POSTGRES_PASSWORD)}@127.0.0.1:${port}/${database}`;
  }

  /** Where API instances send their SQL: the balancer forwards it to whichever node is the primary now. */
  get writerPort(): number {
    return this.options.basePort + 20;
  }

  /** A fresh primary: initdb with a generated superuser password, replication allowed from loopback only. */
  async startPrimary(): Promise<void> {
    const { dataDir, port } = this.primary;
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { mode: 0o700 });
    ownByPostgres(dataDir);
    const passwordFile = resolve(this.options.dir, '.pwfile');
    writeFileSync(passwordFile, `${this.secrets.POSTGRES_PASSWORD}\n`, { mode: 0o600 });
    ownByPostgres(passwordFile);
    asPostgres(`${PG_BIN}/initdb`, [
      '-D',
      dataDir,
      '-U',
      'postgres',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    rmSync(passwordFile);
    appendFileSync(
      resolve(dataDir, 'postgresql.conf'),
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dataDir}'`,
        'max_connections = 300',
        'wal_level = replica',
        'max_wal_senders = 10',
        'wal_keep_size = 512MB',
        'hot_standby = on',
        'hot_standby_feedback = on',
        // Projections commit without waiting for the flush; the WAL writer sends their commits on to the standby within
        // this, which bounds how long a read on the standby waits for its caller's last write.
        'wal_writer_delay = 10ms',
        '',
      ].join('\n'),
    );
    appendFileSync(resolve(dataDir, 'pg_hba.conf'), 'host replication replicator 127.0.0.1/32 scram-sha-256\n');
    await this.pgCtl(this.primary, 'start');
    this.sql(this.primary, 'postgres', `CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${this.secrets.REPLICATION_PASSWORD}'`);
    this.sql(this.primary, 'postgres', `CREATE DATABASE ${DATABASE}`);
    this.log(`primary PostgreSQL 15 on 127.0.0.1:${port}`);
  }

  /** A hot standby cloned from the primary by pg_basebackup, streaming from it (and its synchronous standby if asked). */
  async startStandby(): Promise<void> {
    const { dataDir, port } = this.standby;
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { mode: 0o700 });
    ownByPostgres(dataDir);
    asPostgres(
      `${PG_BIN}/pg_basebackup`,
      ['-h', '127.0.0.1', '-p', String(this.primary.port), '-U', 'replicator', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast'],
      { PGPASSWORD: this.secrets.REPLICATION_PASSWORD },
    );
    // The standby's cluster_name is the application name its WAL receiver gives the primary, which
    // synchronous_standby_names waits for.
    appendFileSync(
      resolve(dataDir, 'postgresql.conf'),
      `port = ${port}\nunix_socket_directories = '${dataDir}'\ncluster_name = 'standby'\n`,
    );
    await this.pgCtl(this.standby, 'start');
    this.log(`standby PostgreSQL 15 on 127.0.0.1:${port}, streaming from the primary`);
    if (this.options.synchronous) this.setSynchronous(true);
  }

  /**
   * Synchronous replication on or off, without a restart: with it, a commit is acknowledged only once the standby has
   * applied it (remote_apply), so a failover loses no acknowledged write and a read on the standby sees it.
   */
  setSynchronous(on: boolean): void {
    this.sql(this.primary, 'postgres', `ALTER SYSTEM SET synchronous_standby_names = '${on ? 'standby' : ''}'`);
    this.sql(this.primary, 'postgres', `ALTER SYSTEM SET synchronous_commit = '${on ? 'remote_apply' : 'on'}'`);
    this.sql(this.primary, 'postgres', 'SELECT pg_reload_conf()');
    this.log(`synchronous replication ${on ? 'on (remote_apply)' : 'off'}`);
  }

  async pgCtl(node: PostgresNode, action: 'start' | 'stop' | 'promote', mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    const logFile = resolve(this.options.dir, `${node.name}.log`);
    if (!existsSync(logFile)) {
      writeFileSync(logFile, '');
      ownByPostgres(logFile);
    }
    const args = action === 'stop' ? ['-D', node.dataDir, '-m', mode, 'stop'] : ['-D', node.dataDir, '-l', logFile, '-w', action];
    asPostgres(`${PG_BIN}/pg_ctl`, args);
  }

  sql(node: PostgresNode, database: string, statement: string): string {
    return asPostgres(
      `${PG_BIN}/psql`,
      ['-h', '127.0.0.1', '-p', String(node.port), '-U', 'postgres', '-d', database, '-AtXq', '-v', 'ON_ERROR_STOP=1', '-c', statement],
      {
        PGPASSWORD: this.secrets.POSTGRES_PASSWORD,
      },
    ).trim();
  }

  /** The environment every API instance shares; only the port differs. */
  apiEnvironment(instance: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const { POSTGRES_PASSWORD: _pg, REPLICATION_PASSWORD: _replication, ...appSecrets } = this.secrets;
    return {
      ...process.env,
      ...appSecrets,
      NODE_ENV: 'production',
      PORT: String(this.apiPort(instance)),
      HOST: '127.0.0.1',
      DATABASE_URL: `${this.databaseUrl('writer')}?application_name=api-${instance}`,
      // Reads of read models from the standby, each waiting for its caller's last write (see README, "Reads from a replica").
      DATABASE_REPLICA_URL: this.databaseUrl(this.standby),
      DATA_DIR: resolve(this.options.dir, `api-${instance}`),
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  /** Starts one API instance and waits until it answers its health check. */
  async startApi(instance: number, extra: Record<string, string> = {}): Promise<ChildProcess> {
    const out = openSync(resolve(this.options.dir, `api-${instance}.log`), 'a');
    const child = spawn(process.execPath, [resolve(__dirname, '../../api/src/main.js')], {
      env: this.apiEnvironment(instance, extra),
      stdio: ['ignore', out, out],
    });
    this.apis.set(instance, child);
    child.once('exit', () => {
      if (this.apis.get(instance) === child) this.apis.delete(instance);
    });
    await this.waitHealthy(`http://127.0.0.1:${this.apiPort(instance)}`, child);
    this.log(`API instance ${instance} on 127.0.0.1:${this.apiPort(instance)} (pid ${child.pid})`);
    return child;
  }

  async waitHealthy(url: string, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(250)) {
      if (child && child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode} before it was healthy`);
      const ok = await fetch(`${url}${this.readinessPath}`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
    }
    throw new Error(`${url} was not healthy within ${timeoutMs} ms`);
  }

  /** The readiness endpoint the balancer checks. */
  readonly readinessPath = '/health/ready';

  /** HAProxy in front of the API instances: round robin over those whose readiness answers 200. */
  async startBalancer(): Promise<void> {
    const servers = Array.from(
      { length: this.options.apiInstances },
      (_, instance) => `  server api${instance} 127.0.0.1:${this.apiPort(instance)} check inter 500ms fall 2 rise 2`,
    );
    const config = [
      'global',
      '  maxconn 4096',
      `  stats socket ${this.balancerSocket} mode 600 level admin`,
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  retries 2',
      '  option redispatch',
      'frontend api',
      `  bind 127.0.0.1:${this.options.basePort}`,
      '  default_backend instances',
      'backend instances',
      '  balance roundrobin',
      `  option httpchk GET ${this.readinessPath}`,
      '  http-check expect status 200',
      ...servers,
      // The writer front: the primary only. The standby is listed but disabled; a promotion enables it and disables
      // the old primary through the runtime API, so a primary that comes back never receives writes again (no split
      // brain) until it is rebuilt as a standby.
      'listen postgres',
      `  bind 127.0.0.1:${this.writerPort}`,
      '  mode tcp',
      '  timeout client 1h',
      '  timeout server 1h',
      '  option pgsql-check user postgres',
      `  server primary 127.0.0.1:${this.primary.port} check inter 1s fall 2 rise 2`,
      `  server standby 127.0.0.1:${this.standby.port} check inter 1s fall 2 rise 2 disabled`,
      '',
    ].join('\n');
    const path = resolve(this.options.dir, 'haproxy.cfg');
    writeFileSync(path, config);
    execFileSync('/usr/sbin/haproxy', ['-c', '-q', '-f', path]);
    const out = openSync(resolve(this.options.dir, 'haproxy.log'), 'a');
    this.balancer = spawn('/usr/sbin/haproxy', ['-db', '-f', path], { stdio: ['ignore', out, out] });
    for (let tries = 0; !(await this.balancerCommand('show info').catch(() => '')); tries++) {
      if (tries > 40 || this.balancer.exitCode !== null) throw new Error('HAProxy did not start; see haproxy.log');
      await sleep(250);
    }
    this.log(`HAProxy on ${this.balancerUrl}, checking ${this.readinessPath} of ${this.options.apiInstances} instances`);
  }

  get balancerSocket(): string {
    return resolve(this.options.dir, 'haproxy.sock');
  }

  /** The whole topology, in dependency order; the first API instance applies the migrations alone. */
  async up(): Promise<void> {
    await this.startPrimary();
    await this.startStandby();
    await this.startBalancer();
    for (let instance = 0; instance < this.options.apiInstances; instance++) await this.startApi(instance);
  }

  /** One command on HAProxy's runtime API (its admin socket). */
  async balancerCommand(command: string): Promise<string> {
    return new Promise((done, fail) => {
      const socket = createConnection(this.balancerSocket);
      let answer = '';
      socket.on('connect', () => socket.end(`${command}\n`));
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('end', () => done(answer.trim()));
      socket.on('error', fail);
    });
  }

  /**
   * Failover: the standby becomes the primary (pg_ctl promote, waiting until it accepts writes) and the writer front
   * switches to it. The old primary is fenced off at the balancer whether or not it still runs.
   */
  async promoteStandby(): Promise<void> {
    await this.balancerCommand('disable server postgres/primary');
    await this.pgCtl(this.standby, 'promote');
    await this.balancerCommand('enable server postgres/standby');
    this.log('standby promoted; the writer front now forwards to it');
  }

  /** The primary's postmaster, as a machine failure would take it: SIGKILL, no shutdown checkpoint. */
  killPrimary(): void {
    const pid = Number(readFileSync(resolve(this.primary.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    this.log(`primary PostgreSQL (pid ${pid}) killed`);
  }

  async down(): Promise<void> {
    this.balancer?.kill('SIGTERM');
    await Promise.all(
      [...this.apis.values()].map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const node of [this.standby, this.primary]) {
      if (existsSync(resolve(node.dataDir, 'postmaster.pid'))) await this.pgCtl(node, 'stop', 'fast').catch(() => undefined);
    }
  }
}

/** Makes the cluster folder traversable by the postgres user (it holds the data folders). */
export const prepareClusterDir = (dir: string): void => {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
};
