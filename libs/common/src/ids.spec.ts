import { uuidv7 } from './ids';

describe('uuidv7', () => {
  it('is an RFC 9562 version 7 UUID whose first 48 bits are the millisecond timestamp', () => {
    const now = Date.parse('2026-11-23T10:00:00.000Z');
    const id = uuidv7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('gives distinct ids across many refills of its random pool, ordered by time between milliseconds', () => {
    const ids = Array.from({ length: 5000 }, (_, n) => uuidv7(1_700_000_000_000 + Math.floor(n / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    const firstOfEachMs = ids.filter((_, n) => n % 100 === 0);
    expect([...firstOfEachMs].sort()).toEqual(firstOfEachMs);
  });
});
