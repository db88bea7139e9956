import { Pool } from 'pg';
import { AdjustableClock } from '@app/common';
import { PgEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { PgThrottlerStorage } from './pg-throttler-storage';

describe('PgThrottlerStorage: rate-limit counters shared by every instance', () => {
  let db: TestDatabase;
  let pool: Pool;
  let clock: AdjustableClock;
  let storage: PgThrottlerStorage;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 10 });
    clock = new AdjustableClock();
    storage = new PgThrottlerStorage(new PgEventStore(pool), clock);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('counts concurrent hits exactly (one atomic upsert per hit), as two instances sharing the table would', async () => {
    const other = new PgThrottlerStorage(new PgEventStore(pool), clock);
    const records = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? storage : other).increment('k1', 60_000, 100, 60_000, 'test')),
    );
    expect(records.map((record) => record.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(records.every((record) => !record.isBlocked)).toBe(true);
  });

  it('blocks a key past its limit for the block duration, says so once, then counts from one again', async () => {
    const hit = () => storage.increment('k2', 10_000, 2, 30_000, 'test');
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    const third = await hit();
    expect(third).toMatchObject({ isBlocked: true, newlyBlocked: true, timeToBlockExpire: 30 });
    clock.advance(20_000);
    expect(await hit()).toMatchObject({ isBlocked: true, newlyBlocked: false, timeToBlockExpire: 10 });
    expect(await storage.blockedFor('test', 'k2')).toBe(10);
    clock.advance(10_001);
    expect(await storage.blockedFor('test', 'k2')).toBe(0);
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('starts a new window when the last one has ended, and forgets a key on reset', async () => {
    await storage.increment('k3', 1_000, 5, 1_000, 'test');
    expect((await storage.increment('k3', 1_000, 5, 1_000, 'test')).totalHits).toBe(2);
    clock.advance(1_000);
    expect((await storage.increment('k3', 1_000, 5, 1_000, 'test')).totalHits).toBe(1);
    await storage.reset('test', 'k3');
    expect((await storage.increment('k3', 1_000, 5, 1_000, 'test')).totalHits).toBe(1);
  });

  describe('buffered throttlers (money-moving routes): counted in process, written every 250 ms', () => {
    it('counts exactly within one instance without waiting for the database, and writes the hits behind', async () => {
      const here = new PgThrottlerStorage(new PgEventStore(pool), clock, ['money']);
      const records = [];
      for (let i = 0; i < 4; i++) records.push(await here.increment('u1', 60_000, 3, 60_000, 'money'));
      expect(records.map((record) => [record.totalHits, record.isBlocked])).toEqual([
        [1, false],
        [2, false],
        [3, false],
        [4, true],
      ]);
      expect(records[3]).toMatchObject({ newlyBlocked: true, timeToBlockExpire: 60 });
      await here.flush();
      const { rows } = await pool.query("SELECT hits, blocked_until FROM throttle_counters WHERE key = 'money:u1'");
      expect(rows[0].hits).toBe(4);
      expect(rows[0].blocked_until).not.toBeNull();
    });

    it("learns the other instances' hits at its next write, and blocks on their sum", async () => {
      const a = new PgThrottlerStorage(new PgEventStore(pool), clock, ['money']);
      const b = new PgThrottlerStorage(new PgEventStore(pool), clock, ['money']);
      for (let i = 0; i < 3; i++) await a.increment('u2', 60_000, 4, 60_000, 'money');
      await a.flush();
      expect((await b.increment('u2', 60_000, 4, 60_000, 'money')).totalHits).toBe(1);
      await b.flush();
      expect(await b.increment('u2', 60_000, 4, 60_000, 'money')).toMatchObject({ totalHits: 5, isBlocked: true });
    });

    it('starts a new window locally once the last one has ended', async () => {
      const here = new PgThrottlerStorage(new PgEventStore(pool), clock, ['money']);
      await here.increment('u3', 1_000, 1, 1_000, 'money');
      expect((await here.increment('u3', 1_000, 1, 1_000, 'money')).isBlocked).toBe(true);
      clock.advance(1_001);
      expect(await here.increment('u3', 1_000, 1, 1_000, 'money')).toMatchObject({ totalHits: 1, isBlocked: false });
      await here.flush();
    });
  });
});
