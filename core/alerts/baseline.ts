/**
 * Drift detection for built-in checks: is this response time far from the check's OWN recent
 * normal? Method: an exponentially weighted moving mean and variance (EWMA, West 1979 /
 * Finch 2009 incremental form) of the latency, and a z-score of each new sample against the
 * baseline as it was before that sample.
 *
 * - alpha 0.1: the baseline's memory is about 10-20 samples; samples already 2 standard
 *   deviations out update it ten times more slowly, so a creep is measured against the normal
 *   it left instead of being chased, while a lasting new normal is still adopted in time;
 * - nothing is judged before `minSamples` (20) samples: a young baseline knows too little;
 * - the standard deviation has a floor (10% of the mean, and 1 ms), so a very steady service
 *   does not call 1 ms of jitter a drift;
 * - drifting when z ≥ 4 (far outside normal noise) AND the sample is at least 1.5 × the mean
 *   (a change a person would call slower); it stops drifting when z < 2 (hysteresis, so one
 *   borderline sample does not flap the disturbance).
 */
export interface BaselineState {
  n: number;
  mean: number;
  variance: number;
  drifting: boolean;
}

export interface BaselineOptions {
  alpha: number;
  minSamples: number;
  raiseZ: number;
  clearZ: number;
  minRatio: number;
}

export const BASELINE_DEFAULTS: BaselineOptions = { alpha: 0.1, minSamples: 20, raiseZ: 4, clearZ: 2, minRatio: 1.5 };

export const EMPTY_BASELINE: BaselineState = { n: 0, mean: 0, variance: 0, drifting: false };

export interface BaselineStep {
  next: BaselineState;
  /** The sample's z-score against the baseline before it (null while the baseline is young). */
  z: number | null;
  /** What changed: drift started, drift ended, or nothing. */
  change: 'raised' | 'cleared' | null;
}

export function observe(state: BaselineState, sample: number, options: BaselineOptions = BASELINE_DEFAULTS): BaselineStep {
  if (!Number.isFinite(sample) || sample < 0) return { next: state, z: null, change: null };
  let z: number | null = null;
  let drifting = state.drifting;
  if (state.n >= options.minSamples) {
    const std = Math.max(Math.sqrt(state.variance), 0.1 * state.mean, 1);
    z = (sample - state.mean) / std;
    if (!drifting && z >= options.raiseZ && sample >= options.minRatio * state.mean) drifting = true;
    else if (drifting && z < options.clearZ) drifting = false;
  }
  let mean: number;
  let variance: number;
  if (state.n === 0) {
    mean = sample;
    variance = 0;
  } else {
    // Outlying samples teach the baseline slowly (a tenth of alpha), so a creeping slowdown is
    // measured against the normal it left, not chased; a lasting new normal is still adopted.
    const alpha = z !== null && z >= options.clearZ ? options.alpha / 10 : options.alpha;
    const diff = sample - state.mean;
    const increment = alpha * diff;
    mean = state.mean + increment;
    variance = (1 - alpha) * (state.variance + diff * increment);
  }
  const change = drifting === state.drifting ? null : drifting ? 'raised' : 'cleared';
  return { next: { n: state.n + 1, mean, variance, drifting }, z, change };
}
