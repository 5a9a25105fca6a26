/**
 * Turns an SVM's margins into confidences a person can read as "87 %". Margins are not
 * probabilities; we apply a softmax with one temperature fitted on held-out margins (the ones of
 * a model that did not see those examples) by minimising their negative log-likelihood — a
 * multi-class Platt scaling with a single parameter, which keeps the ranking and so cannot cost
 * accuracy. The confidences of one answer sum to 1.
 */

export function softmax(scores: ArrayLike<number>, temperature: number): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]);
  const exps: number[] = [];
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const e = Math.exp((scores[i] - max) / temperature);
    exps.push(e);
    sum += e;
  }
  return exps.map((e) => e / sum);
}

function negativeLogLikelihood(scores: readonly ArrayLike<number>[], labels: readonly number[], temperature: number): number {
  let total = 0;
  for (let i = 0; i < scores.length; i++) total -= Math.log(Math.max(softmax(scores[i], temperature)[labels[i]], 1e-12));
  return total / Math.max(scores.length, 1);
}

/**
 * The temperature in [0.01, 10] that fits best, by golden-section search on its logarithm (the
 * likelihood is smooth and, in practice, has one minimum there). With no held-out examples,
 * 1.
 */
export function fitTemperature(scores: readonly ArrayLike<number>[], labels: readonly number[]): number {
  if (scores.length === 0) return 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(0.01);
  let hi = Math.log(10);
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = negativeLogLikelihood(scores, labels, Math.exp(a));
  let fb = negativeLogLikelihood(scores, labels, Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = negativeLogLikelihood(scores, labels, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = negativeLogLikelihood(scores, labels, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}
