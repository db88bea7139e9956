import { gapBucketMinutes, histogramMedian } from './gap-histogram';

describe('funnel gap histogram', () => {
  it('buckets whole minutes below 100 minutes and the nearest E24 number above', () => {
    expect(gapBucketMinutes(0)).toBe(0);
    expect(gapBucketMinutes(29)).toBe(0);
    expect(gapBucketMinutes(3600)).toBe(60);
    expect(gapBucketMinutes(99 * 60)).toBe(99);
    expect(gapBucketMinutes(7200)).toBe(120);
    expect(gapBucketMinutes(124 * 60)).toBe(120);
    expect(gapBucketMinutes(125 * 60)).toBe(130);
    expect(gapBucketMinutes(26 * 3600)).toBe(1600);
    expect(gapBucketMinutes(137 * 60)).toBe(130);
    expect(gapBucketMinutes(140 * 60)).toBe(150);
    expect(gapBucketMinutes(145 * 60)).toBe(150);
    expect(gapBucketMinutes(96 * 600)).toBe(1000);
    expect(gapBucketMinutes(100 * 60)).toBe(100);
  });

  it('a bucket is within 7.5% of the gap from 100 minutes on (the widest E24 step, 13 to 15, halved geometrically)', () => {
    for (let minutes = 100; minutes < 200_000; minutes += minutes < 2000 ? 1 : 37) {
      const bucket = gapBucketMinutes(minutes * 60);
      expect(Math.abs(bucket - minutes) / minutes).toBeLessThanOrEqual(0.075);
    }
  });

  it('the median is the middle bucket, or the mean of the two middle ones, as percentile_cont(0.5)', () => {
    expect(histogramMedian(new Map())).toBeNull();
    expect(histogramMedian(new Map([[60, 2]]))).toBe(60);
    expect(
      histogramMedian(
        new Map([
          [10, 1],
          [30, 1],
          [20, 1],
        ]),
      ),
    ).toBe(20);
    expect(
      histogramMedian(
        new Map([
          [10, 1],
          [30, 1],
        ]),
      ),
    ).toBe(20);
    expect(
      histogramMedian(
        new Map([
          [10, 3],
          [30, 1],
          [50, 0],
        ]),
      ),
    ).toBe(10);
    expect(
      histogramMedian(
        new Map([
          [10, 2],
          [30, 2],
        ]),
      ),
    ).toBe(20);
  });
});
