import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_BASELINE, observe } from './baseline.js';

/**
 * A recorded response-time series (ms, one probe a minute), written for this test in the shape
 * of a typical slow failure: steady around 120 ms with ±5% noise for an hour, then a resource
 * running out (a filling connection pool) makes it creep by ~15% a minute until the probe times
 * out at sample 78. (No public probe log of such an incident was available to copy.)
 */
const SERIES = [
  118, 124, 121, 119, 127, 122, 117, 125, 120, 123, 119, 126, 121, 118, 124, 122, 120, 125, 119, 121, 123, 118, 126, 120, 122, 124, 119,
  121, 125, 118, 122, 120, 127, 121, 119, 123, 122, 118, 124, 120, 121, 125, 119, 122, 118, 126, 120, 123, 121, 119, 124, 122, 120, 125,
  121, 118, 123, 126, 131, 138, 149, 163, 181, 204, 236, 271, 315, 362, 420, 488, 566, 655, 760, 880, 1020, 1190, 1400, 1650,
];
const OUTAGE_AT = 78; // the first sample that would fail (timeout)

describe('latency baseline (EWMA mean/variance, z-score)', () => {
  it('raises drift on the recorded series well before the outage, and not during the steady hour', () => {
    let state = EMPTY_BASELINE;
    const raisedAt: number[] = [];
    SERIES.forEach((sample, i) => {
      const step = observe(state, sample);
      if (step.change === 'raised') raisedAt.push(i);
      state = step.next;
    });
    expect(raisedAt).toHaveLength(1);
    // The creep starts at ~58; it is called once it is clearly slower, minutes before the outage.
    expect(raisedAt[0]).toBeGreaterThan(58);
    expect(raisedAt[0]).toBeLessThan(OUTAGE_AT - 8);
  });

  it('says nothing while the baseline is young, whatever the samples', () => {
    let state = EMPTY_BASELINE;
    for (const sample of [10, 5000, 3, 9000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) {
      const step = observe(state, sample);
      expect(step.z).toBeNull();
      state = step.next;
    }
  });

  it('clears when latency comes back to normal, with hysteresis', () => {
    let state = EMPTY_BASELINE;
    for (let i = 0; i < 40; i++) state = observe(state, 100 + (i % 5)).next;
    const raised = observe(state, 400);
    expect(raised.change).toBe('raised');
    state = raised.next;
    let cleared = false;
    for (let i = 0; i < 10 && !cleared; i++) {
      const step = observe(state, 102);
      cleared = step.change === 'cleared';
      state = step.next;
    }
    expect(cleared).toBe(true);
  });

  it('never raises on a steady series with ordinary noise (±20%)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 80, max: 120, noNaN: true }), { minLength: 50, maxLength: 300 }), (samples) => {
        let state = EMPTY_BASELINE;
        for (const s of samples) {
          const step = observe(state, s);
          expect(step.change).not.toBe('raised');
          state = step.next;
        }
      }),
    );
  });
});
