import { parentPort, workerData } from 'node:worker_threads';
import { type Example, trainTextClassifier } from '../../../core/routing/classifier.js';

/**
 * The learned router's training, on its own thread (see router-trainer.ts): the examples in
 * through workerData, the model and its evaluation out as one message, the weights' buffers
 * transferred rather than copied.
 */
const { model, evaluation } = trainTextClassifier((workerData as { examples: Example[] }).examples);
parentPort?.postMessage({ model, evaluation }, [model.idf.buffer as ArrayBuffer, model.svm.weights.buffer as ArrayBuffer]);
