import type { Config } from '../config.js';
import { startServer } from '../main.js';
import type { PrimaryMessage, WorkerMessage } from './messages.js';

/**
 * One worker of `FIREBREAK_WORKERS=N`: a whole server (HTTP, SMTP listener, job runner, live
 * updates) whose listening sockets the primary shares with its siblings. It stops cleanly on
 * SIGTERM/SIGINT, and when the primary goes away (nobody would restart or stop it otherwise).
 */
export async function runWorker(config: Config): Promise<number> {
  const send = (message: WorkerMessage) => process.send?.(message);
  let stopRequested: string | null = null;
  let onStop = (why: string) => {
    stopRequested = why;
  };
  const handler = (signal: string) => onStop(`${signal} received`);
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  process.on('disconnect', () => onStop('the primary went away'));

  const slot = await new Promise<number>((resolve) => {
    const listener = (message: unknown) => {
      const m = message as PrimaryMessage;
      if (m?.type !== 'firebreak:slot') return;
      process.off('message', listener);
      resolve(m.slot);
    };
    process.on('message', listener);
    send({ type: 'firebreak:hello' });
  });
  const lines: string[] = [];
  const server = await startServer(config, (line) => lines.push(line)).catch((err: unknown) => {
    // The IPC channel would keep a worker that failed to start alive; the primary sees it exit.
    process.disconnect();
    throw err;
  });
  send({ type: 'firebreak:ready', lines });
  await new Promise<void>((resolve) => {
    onStop = (why) => {
      onStop = () => {};
      console.log(`Worker ${slot} (pid ${process.pid}): ${why}; finishing requests in flight…`);
      server.stop().then(resolve, (err) => {
        console.error(`Worker ${slot} (pid ${process.pid}): shutdown failed:`, err);
        process.exitCode = 1;
        resolve();
      });
    };
    if (stopRequested) onStop(stopRequested);
  });
  // The IPC channel would keep the process alive once everything else has closed.
  if (process.connected) process.disconnect();
  return 0;
}
