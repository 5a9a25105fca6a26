/**
 * Training the learned router off the event loop (issue 18, item 5): how long the process's
 * event loop is held while the router trains on 8,000 of Endava's real tickets, on a worker
 * thread (what the `routing.train` job does) beside the same training in the main thread (the
 * baseline, as it was before), in the same run: a 10 ms interval timer notes the gaps between its
 * turns — a server answers requests only between turns of its event loop.
 *
 *   node --import tsx bench/routing-thread.ts     (BENCH_ROUTING_CSV to point at another copy of the file)
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { type Example, trainTextClassifier } from '../core/routing/classifier.js';
import { trainOnWorkerThread } from '../server/src/adapters/router-trainer.js';

const CSV = process.env.BENCH_ROUTING_CSV ?? new URL('../../shared/data/it_service_tickets_topic_group_v3.csv', import.meta.url).pathname;
const TICKETS = 8_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `train` while a 10 ms interval timer notes the gaps between its turns: the longest is how long the loop was held. */
async function measure(train: () => Promise<unknown>): Promise<{ seconds: number; maxGapMs: number; p99GapMs: number }> {
  const gaps: number[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 10);
  await sleep(50);
  const t0 = performance.now();
  await train();
  const seconds = (performance.now() - t0) / 1000;
  await sleep(30); // one more turn, so a hold that ends with the training is noted too
  clearInterval(ticker);
  const sorted = [...gaps].sort((a, b) => a - b);
  return { seconds, maxGapMs: sorted[sorted.length - 1], p99GapMs: sorted[Math.floor(0.99 * (sorted.length - 1))] };
}

const rows = parse(fs.readFileSync(CSV), { columns: true }) as { Document: string; Topic_group: string }[];
const examples: Example[] = rows.slice(0, TICKETS).map((r) => ({ text: r.Document, label: r.Topic_group }));
const inThread = await measure(async () => trainTextClassifier(examples));
const onWorker = await measure(() => trainOnWorkerThread(examples));
console.log(`Learned router training off the event loop — ${new Date().toISOString()}`);
console.log(`${examples.length} Endava tickets, same run; gaps between the turns of a 10 ms timer while training:`);
console.log(
  `  baseline, in the main thread: ${inThread.seconds.toFixed(1)} s, event loop held up to ${inThread.maxGapMs.toFixed(0)} ms (p99 gap ${inThread.p99GapMs.toFixed(0)} ms)`,
);
console.log(
  `  on a worker thread:           ${onWorker.seconds.toFixed(1)} s, event loop held up to ${onWorker.maxGapMs.toFixed(0)} ms (p99 gap ${onWorker.p99GapMs.toFixed(0)} ms)`,
);
