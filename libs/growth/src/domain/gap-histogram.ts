/**
 * The time between two funnel stages, kept as a histogram so that a median never scans the investors: each gap is
 * counted in the bucket of its minutes rounded to the nearest E24 preferred number (10, 11, 12, 13, 15 … 82, 91 times a
 * power of ten: 24 buckets a decade; whole minutes below 100 minutes), so a median read from the histogram is within
 * 7.5% of the exact one (within 30 seconds below 100 minutes): rounding keeps the order, so the middle value moves no
 * more than any value does. At most about 170 buckets per day and stage.
 * The SQL that buckets in the ingest statement (infrastructure/growth-counters.ts) is the same rule.
 */
export const GAP_PRECISION =
  'medians are computed from a histogram of the gaps in minutes rounded to the nearest E24 preferred number (whole minutes below 100 minutes): within 7.5% (30 s below 100 minutes) of the exact median';

/** The E24 series (and the next decade's first value), the buckets' mantissas from 100 minutes on. */
export const E24 = [10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91, 100] as const;

/** The bucket (in minutes) of a gap of some seconds. */
export const gapBucketMinutes = (seconds: number): number => {
  const minutes = Math.round(seconds / 60);
  if (minutes < 100) return minutes;
  // Beyond 10^7 minutes (19 years), two significant figures (the SQL does the same).
  if (minutes >= 10_000_000) {
    const coarse = 10 ** (Math.floor(Math.log10(minutes)) - 1);
    return Math.round(minutes / coarse) * coarse;
  }
  const step = 10 ** (Math.floor(Math.log10(minutes)) - 1);
  // Nearest on a log scale: below the geometric mean of two neighbours, the lower one (compared squared, in integers).
  let nearest: number = E24[E24.length - 1];
  for (let i = 0; i < E24.length - 1; i++)
    if (minutes * minutes < E24[i] * E24[i + 1] * step * step) {
      nearest = E24[i];
      break;
    }
  return nearest * step;
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
