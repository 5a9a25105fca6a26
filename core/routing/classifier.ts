import { fitTemperature, softmax } from './calibration.js';
import { type Evaluation, evaluate } from './evaluation.js';
import { countFeatures, DEFAULT_FEATURE_OPTIONS, dimensionOf, type FeatureOptions, fitIdf, vectorize } from './features.js';
import { DEFAULT_SVM_OPTIONS, decisionScores, type LinearWeights, type SvmOptions, trainLinearSvm } from './linear-svm.js';
import { stratifiedSplit } from './random.js';

/**
 * The learned router's text classifier (issue 18, item 5): TF-IDF features (features.ts), a
 * one-vs-rest linear SVM (linear-svm.ts), softmax confidences with a fitted temperature
 * (calibration.ts). Training holds out a stratified 20 % to measure the model it returns, so the
 * figures shown are those of the model in use.
 */

/**
 * The stored model's layout. Bump it whenever features, hashing or weights change meaning: a
 * stored model of another format is not loaded (the server retrains instead).
 */
export const ROUTER_MODEL_FORMAT = 1;

export interface TextModel {
  format: number;
  labels: string[];
  features: FeatureOptions;
  idf: Float32Array;
  svm: LinearWeights;
  temperature: number;
}

export interface Example {
  text: string;
  label: string;
}

export interface TrainOptions {
  seed: number;
  heldOutShare: number;
  features: FeatureOptions;
  svm: Omit<SvmOptions, 'seed'>;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 1,
  heldOutShare: 0.2,
  features: DEFAULT_FEATURE_OPTIONS,
  svm: DEFAULT_SVM_OPTIONS,
};

export interface LabelEvaluation extends Omit<Evaluation, 'mostConfused'> {
  trainedOn: number;
  mostConfused: { actual: string; predicted: string; count: number }[];
}

/** Why there is not enough history to train on, or null when there is. */
export function notEnoughHistory(labels: readonly string[], minExamples: number): string | null {
  const distinct = new Set(labels);
  if (labels.length < minExamples) return `only ${labels.length} resolved tickets to learn from; at least ${minExamples} are needed`;
  if (distinct.size < 2) return 'every resolved ticket went to the same place; there is nothing to choose between';
  return null;
}

export function trainTextClassifier(
  examples: readonly Example[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
): { model: TextModel; evaluation: LabelEvaluation } {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const indexOf = new Map(labels.map((label, i) => [label, i]));
  const y = examples.map((e) => indexOf.get(e.label) ?? 0);
  const { train, heldOut } = stratifiedSplit(y, options.heldOutShare, options.seed);
  const counts = examples.map((e) => countFeatures(e.text, options.features));
  const dimension = dimensionOf(options.features);
  // IDF from the training part only, so the held-out tickets are truly unseen.
  const idf = fitIdf(
    train.map((i) => counts[i]),
    dimension,
  );
  const xs = counts.map((c) => vectorize(c, idf, options.features));
  const svm = trainLinearSvm(
    train.map((i) => xs[i]),
    train.map((i) => y[i]),
    labels.length,
    dimension,
    { ...options.svm, seed: options.seed },
  );
  const heldOutScores = heldOut.map((i) => decisionScores(svm, xs[i]));
  const heldOutLabels = heldOut.map((i) => y[i]);
  // Fitted on the held-out margins: one parameter that keeps every ranking, so the accuracy and
  // F1 below are unaffected by it.
  const temperature = fitTemperature(heldOutScores, heldOutLabels);
  const predicted = heldOutScores.map(argmax);
  const majority = majorityOf(
    train.map((i) => y[i]),
    labels.length,
  );
  const raw = evaluate(heldOutLabels, predicted, labels.length, majority);
  const model: TextModel = { format: ROUTER_MODEL_FORMAT, labels, features: options.features, idf, svm, temperature };
  return {
    model,
    evaluation: {
      ...raw,
      trainedOn: train.length,
      mostConfused: raw.mostConfused.map((p) => ({ actual: labels[p.actual], predicted: labels[p.predicted], count: p.count })),
    },
  };
}

export interface Prediction {
  label: string;
  confidence: number;
}

/** Every label with its confidence, most likely first (ties in label order). */
export function predict(model: TextModel, text: string): Prediction[] {
  const x = vectorize(countFeatures(text, model.features), model.idf, model.features);
  const confidences = softmax(decisionScores(model.svm, x), model.temperature);
  return model.labels
    .map((label, i) => ({ label, confidence: confidences[i] }))
    .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1));
}

function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

function majorityOf(labels: readonly number[], classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]++;
  return argmax(counts);
}
