import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from './support/free-port';

/**
 * The API as an operator runs it: `apps/api/src/main.ts` in a process of its own on the embedded PostgreSQL, the
 * operator commands beside it on the same data folder, then SIGTERM with requests in flight.
 */
const root = resolve(__dirname, '..');
const dataDir = resolve(root, '.data', `ops-e2e-${process.pid}`);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** What `npm start` and `npm run cli` run: the build (made or brought up to date once, as they do). */
const nodeArgs = (entry: string, args: string[] = []) => [resolve(root, 'dist', entry.replace(/\.ts$/, '.js')), ...args];
const build = () => execFileSync(process.execPath, [resolve(root, 'apps', 'build-if-changed.js')], { cwd: root, stdio: 'pipe' });

beforeAll(build, 300_000);

describe('secrets with a shared database', () => {
  it('the server refuses to start with DATABASE_URL and no secrets, one line per missing value', async () => {
    const {
      DATABASE_URL: _shared,
      JWT_SECRET: _jwt,
      PII_MASTER_KEY: _pii,
      PII_MASTER_KEYS: _piis,
      AUDIT_SIGNING_KEY: _audit,
      PAYMENTS_SANDBOX_SECRET: _pay,
      ...inherited
    } = process.env;
    const env = { ...inherited, NODE_OPTIONS: '', DATABASE_URL: 'postgres://app@db.invalid:5432/marketplace', DATA_DIR: dataDir };
    const child = spawn(process.execPath, nodeArgs('apps/api/src/main.ts'), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const code = await new Promise((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toEqual([
      'invalid configuration:',
      expect.stringMatching(/^ {2}- JWT_SECRET: required because DATABASE_URL is set/),
      expect.stringMatching(/^ {2}- PII_MASTER_KEYS or PII_MASTER_KEY: required/),
      expect.stringMatching(/^ {2}- AUDIT_SIGNING_KEY: required/),
      expect.stringMatching(/^ {2}- PAYMENTS_SANDBOX_SECRET: required/),
    ]);
  }, 60_000);
});

describe('operating the server (embedded PostgreSQL shared with the CLI; graceful shutdown)', () => {
  let port: number;
  let env: NodeJS.ProcessEnv;
  let api: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  beforeAll(async () => {
    port = await freePort();
    const { DATABASE_URL: _shared, ...inherited } = process.env;
    env = {
      ...inherited,
      NODE_ENV: 'development',
      NODE_OPTIONS: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      // Registration hashes the password at a cost that keeps each request busy for a while: requests in flight.
      PASSWORD_HASH_COST: '16',
      SHUTDOWN_DELAY_MS: '600',
      SUBSCRIPTION_JOB_INTERVAL_MS: '500',
    };
    api = spawn(process.execPath, nodeArgs('apps/api/src/main.ts'), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    api.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    api.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    exited = new Promise((done) => api.once('exit', (code) => done(code)));
    for (let waited = 0; waited < 120_000; waited += 250) {
      const live = await fetch(url('/health/live')).catch(() => undefined);
      if (live?.ok) return;
      if (api.exitCode !== null) break;
      await sleep(250);
    }
    throw new Error(`the API did not start:\n${output}`);
  }, 150_000);

  afterAll(async () => {
    if (api.exitCode === null) {
      api.kill('SIGKILL');
      await exited;
    }
    const pidFile = resolve(dataDir, 'pg', 'postmaster.pid');
    if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
    await sleep(500);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(process.execPath, nodeArgs('apps/cli/src/main.ts', args), {
        cwd: root,
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.on('exit', (code) => done({ code, out }));
    });

  const expectHealthy = async () => {
    const health = await fetch(url('/health'));
    expect(health.status).toBe(200);
    expect(((await health.json()) as { database: { status: string } }).database.status).toBe('up');
    expect((await fetch(url('/health/ready'))).status).toBe(200);
  };

  it('every operator command runs beside the serving API, which stays healthy', async () => {
    await expectHealthy();
    const commands: [string[], Record<string, string>?][] = [
      [['migrate']],
      [['admin:create', '--email', 'ops-admin@example.com'], { ADMIN_PASSWORD: 'a long operator passphrase' }],
      [['projections:rebuild']],
      [['audit:checkpoint']],
      [['audit:verify']],
      [['audit:shredding-check']],
    ];
    for (const [args, extra] of commands) {
      const run = await cli(args, extra);
      expect({ command: args[0], code: run.code }).toEqual({ command: args[0], code: 0 });
      await expectHealthy();
    }
    const login = await fetch(url('/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops-admin@example.com', password: 'a long operator passphrase' }),
    });
    expect(login.status).toBe(200);

    // The operator's connection string reaches the same database, as a superuser whose password is not `postgres`.
    const printed = await cli(['db:url']);
    expect(printed.code).toBe(0);
    const connection = printed.out.trim().split('\n').pop()!;
    expect(new URL(connection).password).not.toBe('postgres');
    const client = new Client({ connectionString: connection });
    await client.connect();
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE type = 'identity.UserRegistered'");
    await client.end();
    expect(Number(rows[0].n)).toBeGreaterThan(0);
    await expectHealthy();
  }, 300_000);

  /** A registration whose body arrives slowly: the request is in flight for about `ms` whatever the machine's speed. */
  const slowRegistration = (i: number, ms: number) =>
    new Promise<number | string>((done) => {
      const body = JSON.stringify({
        email: `slow-${i}-${Date.now()}@example.com`,
        password: 'a-long-enough-password',
        displayName: `Slow ${i}`,
      });
      const request = httpRequest(
        url('/auth/register'),
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => done(response.statusCode ?? 0));
        },
      );
      request.on('error', (error) => done(error.message));
      request.write(body.slice(0, 10));
      setTimeout(() => request.end(body.slice(10)), ms);
    });

  it('SIGTERM: readiness turns 503 at once, new connections are refused, requests in flight are answered, exit 0 without errors', async () => {
    const slow = [0, 1, 2].map((i) => slowRegistration(i, 2500));
    const busy = [3, 4, 5].map((i) =>
      fetch(url('/auth/register'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `inflight-${i}-${Date.now()}@example.com`,
          password: 'a-long-enough-password',
          displayName: `In flight ${i}`,
        }),
      }).then(
        (response) => response.status,
        (error: Error) => error.message,
      ),
    );
    let slowAnswered = false;
    void Promise.all(slow).then(() => (slowAnswered = true));
    await sleep(150);
    const logBefore = output.length;
    api.kill('SIGTERM');
    await sleep(150);
    const ready = await fetch(url('/health/ready'));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe('draining');
    expect((await fetch(url('/health/live'))).status).toBe(200);

    // After SHUTDOWN_DELAY_MS the listener closes while the slow requests are still being sent.
    let refused = false;
    for (let waited = 0; !refused && waited < 2000; waited += 50) {
      refused = await fetch(url('/health/live'), { headers: { connection: 'close' } }).then(
        () => false,
        () => true,
      );
      if (!refused) await sleep(50);
    }
    expect({ refused, slowAnswered }).toEqual({ refused: true, slowAnswered: false });

    expect(await Promise.all([...slow, ...busy])).toEqual([201, 201, 201, 201, 201, 201]);
    expect(await exited).toBe(0);
    // The embedded PostgreSQL this process started is stopped.
    expect(existsSync(resolve(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const shutdownLog = output.slice(logBefore);
    expect(shutdownLog).toContain('"msg":"stopped"');
    const complaints = shutdownLog.split('\n').filter((line) => line && !line.startsWith('{"level":"info"'));
    expect(complaints).toEqual([]);
    expect(shutdownLog).not.toMatch(/stack|Error:/);
  }, 120_000);
});
