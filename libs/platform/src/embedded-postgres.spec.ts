import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

/** The facts of a killed run: a postmaster still running with its pid file, or a pid file whose process is gone. */
describe('embedded PostgreSQL start-up', () => {
  const dataDir = resolve('.data', `test-stale-${process.pid}`);
  const port = 20000 + (process.pid % 20000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const select1 = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS one');
    await client.end();
    return rows[0].one;
  };

  it('starts over a postmaster left running by a killed process, and over a stale pid file', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    expect(await select1(first.url)).toBe(1);
    const orphanPid = Number(readFileSync(resolve(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

    // As if node had been killed with -9: the server and its pid file are still there; a new process starts.
    const second = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    expect(await select1(second.url)).toBe(1);
    expect(Number(readFileSync(resolve(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])).not.toBe(orphanPid);
    await second.stop();
    expect(existsSync(resolve(dataDir, 'postmaster.pid'))).toBe(false);

    // A pid file whose process no longer exists.
    writeFileSync(resolve(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n`);
    const third = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
    expect(await select1(third.url)).toBe(1);
    await third.stop();
  }, 60000);
});
