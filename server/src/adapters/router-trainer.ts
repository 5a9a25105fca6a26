import { Worker } from 'node:worker_threads';
import type { Example, LabelEvaluation, TextModel } from '../../../core/routing/classifier.js';

/** Trains the router's classifier on examples; how (which thread) is the adapter's business. */
export type TrainClassifier = (examples: readonly Example[]) => Promise<{ model: TextModel; evaluation: LabelEvaluation }>;

/**
 * Trains on a worker thread, so the process keeps answering requests and running jobs while it
 * trains (a minute of CPU on a large history would otherwise hold its event loop).
 */
export const trainOnWorkerThread: TrainClassifier = (examples) =>
  new Promise((resolve, reject) => {
    const worker = startWorker(examples);
    let answered = false;
    worker.once('message', (result: { model: TextModel; evaluation: LabelEvaluation }) => {
      answered = true;
      resolve(result);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the router's training thread stopped (exit code ${code}) before it answered`));
    });
  });

/**
 * From source (node --import tsx, and the tests) the worker is the TypeScript file itself. A
 * worker thread does not inherit the main thread's module hooks on Node 20, so a two-line bootstrap
 * registers tsx's loader in the thread first and then imports it.
 */
function startWorker(examples: readonly Example[]): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./router-train.worker.js', import.meta.url), { workerData: { examples } });
  const entry = new URL('./router-train.worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { examples } });
}
