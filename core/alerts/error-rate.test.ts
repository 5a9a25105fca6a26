import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baselineRate, betaBinomialTail, EMPTY_ERROR_RATE, type ErrorRateState, observeOutcome } from './error-rate.js';

/** Feeds outcomes (true = failed) and returns the steps where the drift changed, with the final state. */
function feed(outcomes: boolean[], from: ErrorRateState = EMPTY_ERROR_RATE) {
  let state = from;
  const changes: { at: number; change: 'raised' | 'cleared' }[] = [];
  outcomes.forEach((failed, at) => {
    const step = observeOutcome(state, failed);
    if (step.change) changes.push({ at, change: step.change });
    state = step.next;
  });
  return { changes, state };
}
const series = (length: number, failedAt: (i: number) => boolean) => Array.from({ length }, (_, i) => failedAt(i));

/**
 * A SYNTHETIC probe history (one probe a minute), written for this test in the shape of a
 * typical slow failure — no public probe log of such an incident was available to copy: 400
 * clean probes with a single blip at 150; then intermittent failures, 1 probe in 10 from 400,
 * 1 in 5 from 460, 1 in 2 from 490; from 510 the service is down hard (every probe fails).
 */
const OUTAGE_AT = 510;
const SYNTHETIC = series(560, (i) => {
  if (i === 150) return true;
  if (i >= OUTAGE_AT) return true;
  if (i >= 490) return i % 2 === 1;
  if (i >= 460) return i % 5 === 4;
  if (i >= 400) return i % 10 === 9;
  return false;
});

describe('error-rate drift (beta-binomial test of the last 30 probes against the leaky-count baseline)', () => {
  it('raises on the synthetic series while the check mostly passes, long before the outage; a blip does not', () => {
    const { changes } = feed(SYNTHETIC.slice(0, OUTAGE_AT));
    expect(changes).toHaveLength(1);
    expect(changes[0].change).toBe('raised');
    // The third failure of 1 in 10 (probe 429) is enough against a clean history.
    expect(changes[0].at).toBeGreaterThanOrEqual(400);
    expect(changes[0].at).toBeLessThan(OUTAGE_AT - 60);
    const passedBefore = SYNTHETIC.slice(400, changes[0].at + 1).filter((f) => !f).length;
    expect(passedBefore).toBeGreaterThan(20); // it was still answering most probes when it was called
  });

  it('clears once the failures are over and have left the window', () => {
    const recovered = [...series(300, () => false), ...series(60, (i) => i % 10 === 9), ...series(60, () => false)];
    const { changes, state } = feed(recovered);
    expect(changes.map((c) => c.change)).toEqual(['raised', 'cleared']);
    expect(changes[1].at).toBeGreaterThan(360);
    expect(changes[1].at).toBeLessThanOrEqual(360 + 30);
    expect(state.drifting).toBe(false);
  });

  it('a lasting new failure rate becomes the normal: the drift clears while the rate stays', () => {
    const { changes, state } = feed([...series(300, () => false), ...series(1500, (i) => i % 10 === 9)]);
    expect(changes.map((c) => c.change)).toEqual(['raised', 'cleared']);
    expect(baselineRate(state)).toBeGreaterThan(0.01);
  });

  it('says nothing while the baseline is young, whatever happens', () => {
    for (let i = 0; i < 49; i++) {
      const step = observeOutcome(feed(series(i, (j) => j % 2 === 0)).state, true);
      expect(step.pValue).toBeNull();
      expect(step.change).toBeNull();
    }
  });

  it('counts the window exactly and learns only what left it', () => {
    const { state } = feed(series(40, (i) => i < 10));
    expect(state.window).toHaveLength(30);
    expect(state.window.reduce((a, b) => a + b, 0)).toBe(0);
    expect(state.learned).toBe(10);
    expect(baselineRate(state)).toBeCloseTo(1);
  });

  it('beta-binomial tail: certain at 0, a proper distribution, and the binomial in the limit', () => {
    expect(betaBinomialTail(0, 30, 1, 1)).toBe(1);
    expect(betaBinomialTail(31, 30, 1, 1)).toBe(0);
    // Beta(1, 1) makes every count equally likely: P(K ≥ 10) = 21/31.
    expect(betaBinomialTail(10, 30, 1, 1)).toBeCloseTo(21 / 31, 10);
    // A very sure rate of 1 %: the binomial P(K ≥ 3 | 30, 0.01) = 0.00332.
    expect(betaBinomialTail(3, 30, 1e6 * 0.01, 1e6 * 0.99)).toBeCloseTo(0.00332, 4);
  });

  it('property: a check that never fails never drifts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (length) => {
        const { changes, state } = feed(series(length, () => false));
        expect(changes).toEqual([]);
        expect(baselineRate(state)).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  it('property: a failure rate that was always there (1 in q, any phase) never drifts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.nat(59), fc.integer({ min: 50, max: 2000 }), (q, phase, length) => {
        expect(feed(series(length, (i) => i % q === phase % q)).changes).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('property: one or two failures anywhere in a clean history never drift', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 1500 }), fc.array(fc.nat(1499), { maxLength: 2 }), (length, at) => {
        expect(feed(series(length, (i) => at.includes(i))).changes).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('property: more failures in the window are never less surprising', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (n, a, b) => {
          for (let k = 1; k <= n; k++) expect(betaBinomialTail(k, n, a, b)).toBeLessThanOrEqual(betaBinomialTail(k - 1, n, a, b) + 1e-12);
        },
      ),
      { numRuns: 100 },
    );
  });
});
