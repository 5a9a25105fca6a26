import cluster, { type Worker } from 'node:cluster';
import { systemClock } from '../adapters/clock.js';
import type { Config } from '../config.js';
import { redact } from '../db/client.js';
import { announceFirstAdmin, openAndMigrate } from '../main.js';
import { bootstrapFirstAdmin } from '../services/auth.service.js';
import { ensureWebBuild } from '../web-build.js';
import { isWorkerMessage, type PrimaryMessage } from './messages.js';
import { quickDeathsAfter, restartDelayMs } from './restart-backoff.js';

/**
 * The primary of `FIREBREAK_WORKERS=N` (node:cluster): it does the once-only start work, forks N
 * workers that share the HTTP port and the SMTP listener's port, replaces a worker that dies
 * (with backoff, logged), and on SIGTERM/SIGINT drains them all. It serves nothing itself.
 */
export async function runPrimary(config: Config, log: (line: string) => void = console.log): Promise<number> {
  let stopSignal: string | null = null;
  let onSignal = (signal: string) => {
    stopSignal = signal;
  };
  const handler = (signal: string) => onSignal(signal);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    await prepareOnce(config, log);
  } catch (err) {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    throw err;
  }
  if (stopSignal) return 0;

  const slots = Array.from({ length: config.workers }, (_, i) => ({
    slot: i + 1,
    worker: null as Worker | null,
    startedAt: 0,
    ready: false,
    quickDeaths: 0,
    restartTimer: undefined as NodeJS.Timeout | undefined,
  }));
  let stopping = false;
  let startedAll = false;
  let failedStart: string | null = null;
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const w of [...wakers]) w();
  };
  let firstLines: string[] | null = null;

  const fork = (entry: (typeof slots)[number]) => {
    entry.restartTimer = undefined;
    entry.ready = false;
    entry.startedAt = performance.now();
    const worker = cluster.fork();
    entry.worker = worker;
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'firebreak:hello') {
        worker.send({ type: 'firebreak:slot', slot: entry.slot } satisfies PrimaryMessage);
      } else if (message.type === 'firebreak:ready') {
        entry.ready = true;
        firstLines ??= message.lines;
        if (startedAll) log(`Worker ${entry.slot} is serving again (pid ${worker.process.pid}).`);
        wake();
      }
    });
    worker.on('exit', (code, signal) => {
      if (entry.worker === worker) entry.worker = null;
      wake();
      if (stopping) return;
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      if (!startedAll) {
        // A worker that cannot start (a taken port, an unreachable database) will not start on a
        // second try either: stop the others and end with its reason (the worker printed it).
        failedStart ??= `worker ${entry.slot} (pid ${worker.process.pid}) ${how} before it served`;
        return;
      }
      entry.quickDeaths = quickDeathsAfter(entry.quickDeaths, performance.now() - entry.startedAt);
      const delay = restartDelayMs(entry.quickDeaths);
      log(
        `Worker ${entry.slot} (pid ${worker.process.pid}) ${how}; starting a new one in ${delay / 1000} s${entry.quickDeaths > 1 ? ` (death ${entry.quickDeaths} in a row)` : ''}.`,
      );
      entry.restartTimer = setTimeout(() => fork(entry), delay);
    });
  };

  const stopAll = async (): Promise<number> => {
    stopping = true;
    let code = 0;
    await Promise.all(
      slots.map(async (entry) => {
        clearTimeout(entry.restartTimer);
        const worker = entry.worker;
        if (!worker || worker.isDead()) return;
        const exited = new Promise<void>((resolve) =>
          worker.once('exit', (exitCode, signal) => {
            if (exitCode !== 0 || signal) code = 1;
            resolve();
          }),
        );
        worker.process.kill('SIGTERM');
        await exited;
      }),
    );
    return code;
  };

  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        wakers.delete(check);
        resolve();
      };
      wakers.add(check);
      check();
    });

  for (const entry of slots) fork(entry);
  onSignal = (signal) => {
    stopSignal = signal;
    wake();
  };
  if (stopSignal) wake();
  await until(() => stopSignal !== null || failedStart !== null || slots.every((s) => s.ready));
  if (failedStart || stopSignal) {
    const code = await stopAll();
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    if (failedStart) throw new Error(`Firebreak did not start: ${failedStart}.`);
    log('Firebreak stopped.');
    return code;
  }
  startedAll = true;
  for (const line of firstLines ?? []) log(line);
  log(
    `${config.workers} worker processes serve it (pids ${slots.map((s) => s.worker?.process.pid).join(', ')}); this primary (pid ${process.pid}) replaces any that dies.`,
  );

  await until(() => stopSignal !== null);
  log(`${stopSignal} received: each worker finishes its requests in flight and closes its database connections…`);
  onSignal = () => {}; // a second signal while stopping changes nothing
  const code = await stopAll();
  process.off('SIGINT', handler);
  process.off('SIGTERM', handler);
  log('Firebreak stopped.');
  return code;
}

/**
 * Work done once however many workers start: the web build, migrations and the first admin (so
 * a generated password is made and printed once, not raced by N workers).
 */
async function prepareOnce(config: Config, log: (line: string) => void): Promise<void> {
  log(`Starting ${config.workers} worker processes on PostgreSQL at ${redact(config.databaseUrl ?? '')}…`);
  if (config.webUi) await ensureWebBuild(log);
  const database = await openAndMigrate(config);
  try {
    announceFirstAdmin(await bootstrapFirstAdmin({ db: database.db, clock: systemClock }, config.bootstrapAdmin), log);
  } finally {
    await database.close();
  }
}
