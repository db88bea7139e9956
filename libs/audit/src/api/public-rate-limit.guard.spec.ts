import { TokenBuckets } from './public-rate-limit.guard';

describe('per-address token buckets for the public log routes', () => {
  it('allows a burst up to the capacity, then says how long to wait, and refills at the rate', () => {
    const buckets = new TokenBuckets(3, 60); // 3 at once, one a second
    expect([0, 0, 0].map(() => buckets.take('10.0.0.1', 0))).toEqual([0, 0, 0]);
    expect(buckets.take('10.0.0.1', 0)).toBe(1000);
    expect(buckets.take('10.0.0.1', 400)).toBe(600);
    expect(buckets.take('10.0.0.1', 1000)).toBe(0);
    expect(buckets.take('10.0.0.2', 1000)).toBe(0);
  });
});
