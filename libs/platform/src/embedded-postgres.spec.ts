import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { embeddedPostgresUrl, isProcessAlive, startEmbeddedPostgres, SUPERUSER_PASSWORD_FILE } from './embedded-postgres';
import { freePort } from '../../../test/support/free-port';

const select1 = async (url: string) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 AS one');
    return rows[0].one as number;
  } finally {
    await client.end();
  }
};

const withPassword = (url: string, password: string) => {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
};

const postmasterPid = (dataDir: string) => Number(readFileSync(resolve(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/** One data folder shared by several processes: the first starts the server, the others attach and never stop it. */
describe('embedded PostgreSQL shared by several processes', () => {
  const dataDir = resolve('.data', `test-shared-${process.pid}`);
  let port: number;
  beforeAll(async () => {
    port = await freePort();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('attaches to a live server instead of stopping it; only the starter stops it', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    expect(first.owned).toBe(true);
    const pid = postmasterPid(dataDir);

    // A CLI command (or a second `npm start`) on the same folder, even one configured with another port.
    const second = await startEmbeddedPostgres({ dataDir, port: port + 1, unsafeFast: true });
    expect(second.owned).toBe(false);
    expect(postmasterPid(dataDir)).toBe(pid);
    expect(await select1(second.url)).toBe(1);
    await second.stop();
    expect(isProcessAlive(pid)).toBe(true);
    expect(await select1(first.url)).toBe(1);

    await first.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(resolve(dataDir, 'postmaster.pid'))).toBe(false);
  }, 60000);

  it('generates a random superuser password once, into a file only its owner can read', async () => {
    const running = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    try {
      const file = resolve(dataDir, SUPERUSER_PASSWORD_FILE);
      const password = readFileSync(file, 'utf8').trim();
      expect(password).not.toBe('postgres');
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(new URL(running.url).password).toBe(password);
      await expect(select1(withPassword(running.url, 'postgres'))).rejects.toThrow(/password authentication failed/);
      expect(embeddedPostgresUrl(dataDir, 'marketplace', 1)).toEqual({
        url: `postgres://postgres:${password}@127.0.0.1:${port}/marketplace`,
        running: true,
      });
    } finally {
      await running.stop();
    }
  }, 60000);

  it('replaces the legacy password of a folder created before passwords were generated', async () => {
    const running = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    const client = new Client({ connectionString: running.url });
    await client.connect();
    await client.query(`ALTER ROLE postgres WITH PASSWORD 'postgres'`);
    await client.end();
    await running.stop();
    rmSync(resolve(dataDir, SUPERUSER_PASSWORD_FILE));

    const again = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    try {
      const password = readFileSync(resolve(dataDir, SUPERUSER_PASSWORD_FILE), 'utf8').trim();
      expect(password).not.toBe('postgres');
      expect(await select1(again.url)).toBe(1);
      await expect(select1(withPassword(again.url, 'postgres'))).rejects.toThrow(/password authentication failed/);
    } finally {
      await again.stop();
    }
  }, 60000);

  it('cleans up the pid file of a postmaster that is gone, and starts', async () => {
    writeFileSync(resolve(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n1\n${port}\n${dataDir}\n`);
    const running = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    try {
      expect(running.owned).toBe(true);
      expect(postmasterPid(dataDir)).not.toBe(999999);
      expect(await select1(running.url)).toBe(1);
    } finally {
      await running.stop();
    }
  }, 60000);

  it('waits for the processes of a killed postmaster to leave the folder before starting a new one', async () => {
    writeFileSync(resolve(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n1\n${port}\n${dataDir}\n`);
    // Stands in for a backend that outlived its postmaster: it works in the data folder for a while longer.
    const backend = spawn('sleep', ['1.5'], { cwd: dataDir, stdio: 'ignore' });
    const gone = new Promise<number>((done) => backend.once('exit', () => done(Date.now())));
    const running = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    const started = Date.now();
    try {
      expect(started).toBeGreaterThanOrEqual(await gone);
      expect(await select1(running.url)).toBe(1);
    } finally {
      await running.stop();
    }
  }, 60000);

  it('a server process adopts a live postmaster whose starter was killed, and stops it when it stops', async () => {
    const orphan = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    const pid = postmasterPid(dataDir);
    // As if the starter had been killed with -9: its postmaster runs on, its owner is gone.
    writeFileSync(resolve(dataDir, 'owner.pid'), '999999\n');

    const command = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    expect(command.owned).toBe(false);
    await command.stop();
    expect(isProcessAlive(pid)).toBe(true);

    const server = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true, adoptOrphan: true });
    expect(server.owned).toBe(true);
    expect(postmasterPid(dataDir)).toBe(pid);
    await server.stop();
    expect(isProcessAlive(pid)).toBe(false);
    await orphan.stop();
  }, 60000);
});
