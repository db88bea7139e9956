import { gapBucketMinutes, histogramMedian } from './gap-histogram';

describe('funnel gap histogram', () => {
  it('buckets whole minutes below 100 minutes and two significant figures above', () => {
    expect(gapBucketMinutes(0)).toBe(0);
    expect(gapBucketMinutes(29)).toBe(0);
    expect(gapBucketMinutes(3600)).toBe(60);
    expect(gapBucketMinutes(99 * 60)).toBe(99);
    expect(gapBucketMinutes(7200)).toBe(120);
    expect(gapBucketMinutes(124 * 60)).toBe(120);
    expect(gapBucketMinutes(125 * 60)).toBe(130);
    expect(gapBucketMinutes(26 * 3600)).toBe(1600);
  });

  it('a bucket is within 5% of the gap from 100 minutes on', () => {
    for (let minutes = 100; minutes < 200_000; minutes += 37) {
      const bucket = gapBucketMinutes(minutes * 60);
      expect(Math.abs(bucket - minutes) / minutes).toBeLessThanOrEqual(0.05);
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
