/**
 * Loaded into a measured server by bench/memory.ts (`node --import ./bench/memory-probe.mjs …`):
 * asked with SIGWINCH (which Node otherwise ignores), it waits until the server is idle — its
 * event loop busy less than 5% of the time for three 1-second windows in a row, i.e. start-up
 * work and first sweeps have settled (the job worker's poll each second still runs, as it does
 * on any idle server) — then writes process.memoryUsage() as JSON to
 * $BENCH_MEMORY_DIR/<pid>.json. Plain JavaScript, so it loads the same way with or without tsx.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dir = process.env.BENCH_MEMORY_DIR;
const file = dir && path.join(dir, `${process.pid}.json`);
const WINDOW_MS = 1_000;
const CALM_WINDOWS = 3;
const BUSY_AT_MOST = 0.05;
const GIVE_UP_MS = 60_000;

async function waitForQuiet() {
  const started = performance.now();
  let calm = 0;
  while (calm < CALM_WINDOWS && performance.now() - started < GIVE_UP_MS) {
    const before = performance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    calm = performance.eventLoopUtilization(before).utilization < BUSY_AT_MOST ? calm + 1 : 0;
  }
  return { quietAfterMs: performance.now() - started, quiet: calm >= CALM_WINDOWS };
}

if (file) {
  process.on('SIGWINCH', () => {
    void waitForQuiet().then((idle) => {
      // Written whole, then renamed: the bench never reads half a file.
      fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...process.memoryUsage(), ...idle }));
      fs.renameSync(`${file}.tmp`, file);
    });
  });
}
