/**
 * How good a router is, in the figures the admin page shows (issue 18): accuracy and macro-F1
 * on examples it did not train on, beside what always answering the biggest class would score,
 * and which pairs of classes it mixes up most.
 */

export interface ConfusedPair {
  /** The true class. */
  actual: number;
  /** What the router said instead. */
  predicted: number;
  count: number;
}

export interface Evaluation {
  examples: number;
  accuracy: number;
  macroF1: number;
  /** Accuracy of always answering the most frequent class of the training set. */
  majorityBaseline: number;
  mostConfused: ConfusedPair[];
}

export function evaluate(
  actual: readonly number[],
  predicted: readonly number[],
  classes: number,
  majorityClass: number,
  topPairs = 5,
): Evaluation {
  const n = actual.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  let majority = 0;
  for (let i = 0; i < n; i++) {
    confusion[actual[i]][predicted[i]]++;
    if (actual[i] === predicted[i]) correct++;
    if (actual[i] === majorityClass) majority++;
  }
  // Macro-F1 over the classes present in the held-out set or predicted: a class nobody asked
  // about and nobody answered has no F1 to average.
  let f1Sum = 0;
  let f1Count = 0;
  for (let c = 0; c < classes; c++) {
    const tp = confusion[c][c];
    let actualC = 0;
    let predictedC = 0;
    for (let k = 0; k < classes; k++) {
      actualC += confusion[c][k];
      predictedC += confusion[k][c];
    }
    if (actualC === 0 && predictedC === 0) continue;
    f1Sum += actualC + predictedC === 0 ? 0 : (2 * tp) / (actualC + predictedC);
    f1Count++;
  }
  const pairs: ConfusedPair[] = [];
  for (let a = 0; a < classes; a++)
    for (let p = 0; p < classes; p++) if (a !== p && confusion[a][p] > 0) pairs.push({ actual: a, predicted: p, count: confusion[a][p] });
  pairs.sort((x, y) => y.count - x.count || x.actual - y.actual || x.predicted - y.predicted);
  return {
    examples: n,
    accuracy: n === 0 ? 0 : correct / n,
    macroF1: f1Count === 0 ? 0 : f1Sum / f1Count,
    majorityBaseline: n === 0 ? 0 : majority / n,
    mostConfused: pairs.slice(0, topPairs),
  };
}
