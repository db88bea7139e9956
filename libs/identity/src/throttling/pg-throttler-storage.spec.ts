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
    const records = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? storage : other).increment('k1', 60_000, 100, 60_000, 'test')));
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
});
