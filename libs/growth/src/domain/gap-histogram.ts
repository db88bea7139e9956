/**
 * The time between two funnel stages, kept as a histogram so that a median never scans the investors: each gap is
 * counted in the bucket of its minutes rounded to two significant figures (whole minutes below 100 minutes), so a
 * median read from the histogram is within 5% of the exact one (and within 30 seconds below 100 minutes).
 * The SQL that buckets in the ingest statement (infrastructure/growth-counters.ts) is the same rule.
 */
export const GAP_PRECISION =
  'medians are computed from a histogram of the gaps rounded to two significant figures of minutes (whole minutes below 100 minutes): within 5% (30 s below 100 minutes) of the exact median';

/** The bucket (in minutes) of a gap of some seconds. */
export const gapBucketMinutes = (seconds: number): number => {
  const minutes = Math.round(seconds / 60);
  if (minutes < 100) return minutes;
  const step = 10 ** (Math.floor(Math.log10(minutes)) - 1);
  return Math.round(minutes / step) * step;
};

/**
 * The median of a histogram (bucket value → count) as percentile_cont(0.5) computes it over the bucket values: the
 * middle value, or the mean of the two middle values; null when empty.
 */
export const histogramMedian = (buckets: ReadonlyMap<number, number>): number | null => {
  const sorted = [...buckets].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const [value, count] of sorted) {
      seen += count;
      if (rank < seen) return value;
    }
    return sorted[sorted.length - 1][0];
  };
  const lower = Math.floor((total - 1) / 2);
  const upper = Math.ceil((total - 1) / 2);
  return (valueAt(lower) + valueAt(upper)) / 2;
};
