/**
 * Log-spaced duration buckets, so a median over a period can be read from per-day histograms
 * (the monthly duration histograms beside the daily rollups, migration 0062) instead of every
 * ticket of the period: the histogram says which bucket holds the middle ticket(s), and only that
 * bucket's tickets are then read to find the exact value. Four buckets per doubling (each ~19%
 * wider than the one before): the bucket that holds the median holds a small share of the
 * period's tickets, and a month's histogram few rows.
 *
 * Bucket 0 is under one second; bucket i (1…) holds durations from the i-th bound up to the next.
 * SQL computes the same with `width_bucket(ms, bounds)` (the function kpi_duration_bucket, whose
 * bounds kpis.db.test.ts holds equal to these).
 */
export const DURATION_BUCKETS_PER_DOUBLING = 4;
/** From one second to 2^29 seconds (17 years): every duration a desk records. */
export const DURATION_BUCKET_BOUNDS_MS: readonly number[] = Array.from({ length: 29 * DURATION_BUCKETS_PER_DOUBLING + 1 }, (_, i) =>
  Math.round(1000 * 2 ** (i / DURATION_BUCKETS_PER_DOUBLING)),
);

/** The bucket of a duration: how many bounds are at or below it (as SQL's width_bucket). */
export function durationBucket(ms: number): number {
  let low = 0;
  let high = DURATION_BUCKET_BOUNDS_MS.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (DURATION_BUCKET_BOUNDS_MS[mid] <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Where the middle of `count` sorted values lies: 1-based ranks (the same rank twice for an odd count). */
export function medianRanks(count: number): { lower: number; upper: number } {
  return { lower: Math.floor((count + 1) / 2), upper: Math.floor(count / 2) + 1 };
}

/**
 * The part of the period's durations to read to find the median: the buckets from `fromBucket` to
 * `toBucket` (the buckets of the two middle ranks), and, in those buckets' values sorted, `take`
 * values after skipping `skip`. Null when nothing was counted.
 */
export interface MedianWindow {
  fromBucket: number;
  toBucket: number;
  skip: number;
  take: number;
}

export function medianWindow(histogram: ReadonlyMap<number, number>): MedianWindow | null {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const count = buckets.reduce((s, [, n]) => s + n, 0);
  if (count === 0) return null;
  const { lower, upper } = medianRanks(count);
  let below = 0;
  let from: { bucket: number; below: number } | null = null;
  for (const [bucket, n] of buckets) {
    if (!from && below + n >= lower) from = { bucket, below };
    if (below + n >= upper && from)
      return { fromBucket: from.bucket, toBucket: bucket, skip: lower - 1 - from.below, take: upper - lower + 1 };
    below += n;
  }
  return null;
}

/** The median from the window's values in order (the mean of the two middle ones, as percentile_cont(0.5)). */
export function medianFromWindow(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.length === 1 ? values[0] : (values[0] + values[values.length - 1]) / 2;
}

/** A histogram of durations by bucket (what the rollups hold for a day, and the tests' reference). */
export function histogramOf(values: readonly number[]): Map<number, number> {
  const histogram = new Map<number, number>();
  for (const v of values) histogram.set(durationBucket(v), (histogram.get(durationBucket(v)) ?? 0) + 1);
  return histogram;
}
