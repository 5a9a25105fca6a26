/**
 * Error-rate drift for built-in checks: is this check failing far more often than it usually
 * does, while it still answers most of the time? Failures of a healthy check are rare events, so
 * a z-score on a mean (as for latency, baseline.ts) would be wrong here: with a usual rate near
 * zero, every single failure would be "infinitely many standard deviations" out. Method:
 *
 * - the **baseline** is an exponentially weighted count of failures and of probes (a leaky
 *   counter: each step both counts decay by 1 - 1/memory, so the effective history saturates at
 *   `memory` = 500 probes; equivalently an EWMA of the failure indicator, alpha 1/500, together
 *   with how many probes it rests on);
 * - the **recent window** is the last `windowSize` (30) outcomes, counted exactly. An outcome
 *   teaches the baseline only when it leaves the window, so the window is always compared with
 *   the history before it and a burst of failures cannot hide by raising its own baseline;
 * - the **test** asks how surprising k failures in the window would be if the baseline held:
 *   P(K ≥ k) under a beta-binomial — the binomial over the window, with the failure rate itself
 *   uncertain (Beta(failures + ½, passes + ½), Jeffreys' prior). A young or thin baseline is
 *   wide, so it is hard to surprise; 500 clean probes make 3 failures in 30 clearly unusual,
 *   while 3 in 30 against a baseline of 1 in 10 is ordinary;
 * - **raise** when P < 0.001 and the window holds at least 3 failures (one or two blips never
 *   raise); **clear** when P ≥ 0.01 (hysteresis, so a borderline window does not flap);
 * - nothing is judged before the baseline has learned from 20 outcomes (50 probes in all).
 *
 * What users should expect: a check that never fails never drifts; a single failure or two in a
 * long clean history do not drift; intermittent failures (e.g. 1 probe in 10) in a check that
 * was clean for a few hundred probes drift by the third failure in the window. A failure rate
 * that stays at its new level becomes the check's normal as it flows into the baseline (for 1 in
 * 10 after a clean history: about 200-250 probes), and the drift clears then — the disturbance
 * has told people once; it is theirs to follow up.
 */
export interface ErrorRateState {
  /** Exponentially weighted number of probes the baseline has learned from (at most `memory`). */
  weight: number;
  /** Exponentially weighted number of failures among them. */
  failures: number;
  /** Outcomes the baseline has learned from (a plain count, for the "too young" rule). */
  learned: number;
  /** The latest outcomes, oldest first, not yet learned: 1 failed, 0 passed. */
  window: number[];
  drifting: boolean;
}

export interface ErrorRateOptions {
  windowSize: number;
  memory: number;
  minLearned: number;
  minFailures: number;
  raiseBelow: number;
  clearAbove: number;
}

export const ERROR_RATE_DEFAULTS: ErrorRateOptions = {
  windowSize: 30,
  memory: 500,
  minLearned: 20,
  minFailures: 3,
  raiseBelow: 0.001,
  clearAbove: 0.01,
};

export const EMPTY_ERROR_RATE: ErrorRateState = { weight: 0, failures: 0, learned: 0, window: [], drifting: false };

export interface ErrorRateStep {
  next: ErrorRateState;
  /** Failures among the window's outcomes, this one included. */
  failuresInWindow: number;
  /** How likely that many failures would be under the baseline (null while it is young). */
  pValue: number | null;
  change: 'raised' | 'cleared' | null;
}

export function observeOutcome(state: ErrorRateState, failed: boolean, options: ErrorRateOptions = ERROR_RATE_DEFAULTS): ErrorRateStep {
  const window = [...state.window, failed ? 1 : 0];
  let { weight, failures, learned } = state;
  while (window.length > options.windowSize) {
    const leaving = window.shift() as number;
    // While drifting, outcomes teach the baseline ten times more slowly, so the drift is measured
    // against the normal it left rather than chased; a lasting new normal is still adopted.
    const step = state.drifting ? 0.1 : 1;
    const keep = 1 - step / options.memory;
    weight = weight * keep + step;
    failures = failures * keep + step * leaving;
    learned += 1;
  }
  const k = window.reduce((sum, x) => sum + x, 0);
  let drifting = state.drifting;
  let pValue: number | null = null;
  if (learned >= options.minLearned && window.length === options.windowSize) {
    pValue = betaBinomialTail(k, window.length, failures + 0.5, weight - failures + 0.5);
    if (!drifting && k >= options.minFailures && pValue < options.raiseBelow) drifting = true;
    else if (drifting && pValue >= options.clearAbove) drifting = false;
  }
  const change = drifting === state.drifting ? null : drifting ? 'raised' : 'cleared';
  return { next: { weight, failures, learned, window, drifting }, failuresInWindow: k, pValue, change };
}

/** The baseline's failure rate (0..1): what this check usually does. */
export function baselineRate(state: ErrorRateState): number {
  return state.weight > 0 ? state.failures / state.weight : 0;
}

/** P(K ≥ k) for K ~ BetaBinomial(n, a, b), summed exactly in log space (n is small). */
export function betaBinomialTail(k: number, n: number, a: number, b: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const logBetaAB = logBeta(a, b);
  let tail = 0;
  for (let j = k; j <= n; j++) {
    tail += Math.exp(logChoose(n, j) + logBeta(j + a, n - j + b) - logBetaAB);
  }
  return Math.min(1, tail);
}

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);
const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

// Lanczos approximation (g = 7, 9 terms): about 15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
