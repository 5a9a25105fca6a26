import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface ServerProcess {
  pid: number;
  url: string;
  /** From spawn to the first 200 from the health URL: what a user waits for after `npm start`. */
  startMs: number;
  /** Resident memory now, in MB, from /proc (the whole process: V8 heap, WebAssembly, buffers). */
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * Firebreak exactly as a user starts it (`npm start` without npm in between). `nodeArgs` go before
 * the rest (the memory bench's `--import` of its probe); `readyLine` is the output line that says
 * it serves (several processes print theirs once all are up).
 */
export function startFirebreak(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; readyLine?: string } = {},
): Promise<ServerProcess> {
  // BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of each Firebreak process, to find out why.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  return startServer(
    [...(options.nodeArgs ?? []), ...profile, 'server/launch.mjs', 'start'],
    '/api/v1/health',
    { FIREBREAK_LOG_LEVEL: 'warn', ...env },
    options.readyLine,
  );
}

export function startBaseline(mode: 'bare' | 'insert' | 'select', databaseUrl: string, nodeArgs: string[] = []): Promise<ServerProcess> {
  return startServer([...nodeArgs, '--import', 'tsx', 'bench/baseline-server.ts', mode], '/health', { DATABASE_URL: databaseUrl });
}

const children = new Set<ChildProcess>();

/** Kills whatever is still running when the bench fails half-way, so no server outlives it. */
export function killAllStarted(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Ready: `healthPath` answers 200 and, when given, the output has printed `readyLine` (several workers: all of them serve). */
async function startServer(args: string[], healthPath: string, env: Record<string, string>, readyLine?: string): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
    children.delete(child);
  });

  // Poll often: the interval is the resolution of the start-time measurement.
  while (true) {
    if (exitCode !== undefined) throw new Error(`${args.join(' ')} exited with ${exitCode} before serving:\n${output}`);
    // A first start on a loaded machine (migrations on PGlite) has taken over 120 s.
    if (performance.now() - started > 300_000) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not answer ${healthPath} within 300 s:\n${output}`);
    }
    const ok = await fetch(url + healthPath).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok && (!readyLine || output.includes(readyLine))) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const startMs = performance.now() - started;
  const pid = child.pid!;

  return {
    pid,
    url,
    startMs,
    rssMb: () => readRssMb(pid),
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0) throw new Error(`${args.join(' ')} stopped with exit code ${code}:\n${output}`);
    },
  };
}

function readRssMb(pid: number): number {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // stopped between two samples
  }
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
