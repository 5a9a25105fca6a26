import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKET_BOUNDS_MS, durationBucket, histogramOf, medianFromWindow, medianWindow } from './duration-buckets.js';
import { statsOf } from './durations.js';

/** The median found as the rollups find it: the histogram picks the buckets, only their values are sorted. */
function medianThroughBuckets(values: readonly number[]): number | null {
  const window = medianWindow(histogramOf(values));
  if (!window) return null;
  const inWindow = values
    .filter((v) => durationBucket(v) >= window.fromBucket && durationBucket(v) <= window.toBucket)
    .sort((a, b) => a - b);
  return medianFromWindow(inWindow.slice(window.skip, window.skip + window.take));
}

describe('duration buckets', () => {
  it('put a duration in the bucket whose bounds hold it, sub-second durations in bucket 0', () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(999)).toBe(0);
    expect(durationBucket(1000)).toBe(1);
    expect(durationBucket(DURATION_BUCKET_BOUNDS_MS[1])).toBe(2);
    expect(durationBucket(DURATION_BUCKET_BOUNDS_MS[1] - 1)).toBe(1);
    // Four a doubling: one hour (3.6e6 ms) is 4·log2(3600) ≈ 47.3 buckets above one second.
    expect(durationBucket(3_600_000)).toBe(48);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (ms) => {
        const b = durationBucket(ms);
        if (b > 0) expect(DURATION_BUCKET_BOUNDS_MS[b - 1]).toBeLessThanOrEqual(ms);
        if (b < DURATION_BUCKET_BOUNDS_MS.length) expect(DURATION_BUCKET_BOUNDS_MS[b]).toBeGreaterThan(ms);
      }),
    );
  });

  it('find the same median as sorting every value (core’s statsOf), for odd and even counts', () => {
    // Durations a few buckets apart and many in one bucket, so the middle falls inside a crowded
    // bucket and between two buckets.
    const duration = fc.oneof(
      fc.integer({ min: 0, max: 10 ** 10 }),
      fc.integer({ min: 1_200_000, max: 1_300_000 }),
      fc.constantFrom(999, 1000, 1091, 3_600_000),
    );
    fc.assert(
      fc.property(fc.array(duration, { maxLength: 60 }), (values) => {
        expect(medianThroughBuckets(values)).toBe(statsOf(values).medianMs);
      }),
      {
        examples: [
          [[]],
          [[5]],
          // The two middle values in different buckets, with empty buckets between.
          [[1000, 1000, 9_000_000, 9_000_000]],
          // Both middle values inside one crowded bucket, after values in lower buckets.
          [[10, 20, 1_200_010, 1_200_003, 1_200_007, 1_200_001, 5_000_000]],
          [[1_200_010, 1_200_003, 1_200_007, 1_200_001]],
        ],
      },
    );
  });

  it('say which buckets and which of their values to read', () => {
    expect(medianWindow(new Map())).toBeNull();
    // 2 + 3 + 1 values: the middle two (3rd and 4th) are the 1st and 2nd of bucket 7.
    expect(
      medianWindow(
        new Map([
          [7, 3],
          [2, 2],
          [9, 1],
        ]),
      ),
    ).toEqual({ fromBucket: 7, toBucket: 7, skip: 0, take: 2 });
    // 2 + 2: the middle two straddle buckets 2 and 9 (bucket 5 empty).
    expect(
      medianWindow(
        new Map([
          [2, 2],
          [5, 0],
          [9, 2],
        ]),
      ),
    ).toEqual({ fromBucket: 2, toBucket: 9, skip: 1, take: 2 });
  });
});
