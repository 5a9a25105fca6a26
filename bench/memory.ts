/**
 * Memory at idle (issue 19, item 5): the real server, started as `npm start` starts it in production
 * (NODE_ENV=production), on a new PostgreSQL database and on a new PGlite folder (first start:
 * migrations and the first admin), then again on the same data (restart). Each is measured once
 * it is idle — answering its health check, then its event loop idle for 3 s (probe in
 * memory-probe.mjs) — beside a bare Fastify server started the same way in the same run.
 * Targets: PostgreSQL under 150 MB resident, PGlite under 450 MB (first start and restart).
 *
 *   node --import tsx bench/memory.ts     (BENCH_ENGINES=postgres,pglite; BENCH_PG_URL)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { webSourceHash } from '../server/src/web-build.js';
import { killAllStarted, ROOT, type ServerProcess, startBaseline, startFirebreak } from './firebreak-process.js';

const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_MB: Record<string, number> = { postgres: 150, pglite: 450 };
const MB = 1024 * 1024;

interface Idle {
  scenario: string;
  startMs: number;
  quietAfterMs: number;
  quiet: boolean;
  rss: number;
  peakRss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  targetMb?: number;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-memory-'));
// Where the probe in each server writes its figures (inherited by every server this starts).
process.env.BENCH_MEMORY_DIR = scratch;
const probe = ['--import', './bench/memory-probe.mjs'];
const databases: string[] = [];

/** Asks the probe inside the server for its memory once idle; the file appears when it is. */
async function idleMemory(server: ServerProcess): Promise<Omit<Idle, 'scenario' | 'startMs'>> {
  const file = path.join(scratch, `${server.pid}.json`);
  process.kill(server.pid, 'SIGWINCH');
  const deadline = performance.now() + 90_000;
  while (!fs.existsSync(file)) {
    if (performance.now() > deadline) throw new Error('the server never reported its memory');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const usage = JSON.parse(fs.readFileSync(file, 'utf8')) as NodeJS.MemoryUsage & { quietAfterMs: number; quiet: boolean };
  fs.rmSync(file);
  const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const peakKb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  return {
    quietAfterMs: usage.quietAfterMs,
    quiet: usage.quiet,
    rss: usage.rss / MB,
    peakRss: peakKb / 1024,
    heapUsed: usage.heapUsed / MB,
    heapTotal: usage.heapTotal / MB,
    external: usage.external / MB,
    arrayBuffers: usage.arrayBuffers / MB,
  };
}

async function measure(scenario: string, start: () => Promise<ServerProcess>, targetMb?: number): Promise<Idle> {
  const server = await start();
  try {
    return { scenario, startMs: server.startMs, ...(await idleMemory(server)), targetMb };
  } finally {
    await server.stop();
  }
}

async function pgQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function cleanUp(): Promise<void> {
  killAllStarted();
  for (const name of databases.splice(0)) await pgQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(console.error);
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});

const production = { NODE_ENV: 'production' };
// npm start compiles the sources once per change (server/launch.mjs); do that before measuring, so
// a source edited since the last run does not add its compilation to the first start's time.
const compiled = spawnSync(process.execPath, ['server/launch.mjs', 'help'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (compiled.status !== 0) throw new Error('compiling the server failed');
const webBuilt = fs.existsSync(path.join(ROOT, 'web', 'dist', webSourceHash(), 'index.html'));
const rows: Idle[] = [];
try {
  rows.push(await measure('bare Fastify (baseline)', () => startBaseline('bare', '', probe)));
  for (const engine of ENGINES) {
    let env: Record<string, string>;
    if (engine === 'postgres') {
      const name = `firebreak_bench_memory_${process.pid}`;
      databases.push(name);
      await pgQuery(`CREATE DATABASE ${name}`);
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      env = { ...production, DATABASE_URL: url.toString() };
    } else {
      env = { ...production, FIREBREAK_DATA_DIR: path.join(scratch, 'pglite') };
    }
    const start = () => startFirebreak(env, { nodeArgs: probe });
    rows.push(await measure(`${engine}, first start`, start, TARGET_MB[engine]));
    rows.push(await measure(`${engine}, restart`, start, TARGET_MB[engine]));
    // The same restart run through tsx, as npm start did before: what compiling first saves.
    if (engine === 'postgres')
      rows.push(
        await measure(`${engine}, restart through tsx`, () => startFirebreak({ ...env, FIREBREAK_FROM_SOURCE: 'on' }, { nodeArgs: probe })),
      );
  }
} finally {
  await cleanUp();
}

const cell = (v: number) => `${Math.round(v)} MB`;
const header = [
  'scenario',
  'start',
  'quiet after',
  'RSS',
  'peak RSS',
  'heap used',
  'heap total',
  'external',
  'array buffers',
  'target',
  'result',
];
const table = rows.map((r) => [
  r.scenario,
  `${(r.startMs / 1000).toFixed(1)} s`,
  r.quiet ? `${(r.quietAfterMs / 1000).toFixed(1)} s` : 'never quiet',
  cell(r.rss),
  cell(r.peakRss),
  cell(r.heapUsed),
  cell(r.heapTotal),
  cell(r.external),
  cell(r.arrayBuffers),
  r.targetMb ? `< ${r.targetMb} MB` : '—',
  r.targetMb ? (r.rss < r.targetMb ? 'PASS' : 'MISS') : r.scenario.includes('tsx') ? 'info' : 'baseline',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(
  `Firebreak memory at idle — ${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`,
);
console.log(
  `Production mode (NODE_ENV=production), started as npm start does; web UI build ${webBuilt ? 'already present' : 'made during the first start measured'}.`,
);
console.log('');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(line(r));
console.log('');
console.log(
  'How to read: RSS is the resident memory of the whole process (/proc), measured after the health check answers and the event loop has been idle (under 5% busy) for 3 s; peak RSS is its high-water mark since the spawn; heap = V8 heap of JavaScript objects; external = memory V8 objects hold outside the heap (PGlite’s WebAssembly memory is most of it); array buffers is the part of external in Buffers. The bare Fastify server (bench/baseline-server.ts, run through tsx like the baselines of the other benches) answers JSON only: what the runtime costs before Firebreak adds anything. "through tsx" is the same server run from its TypeScript sources (FIREBREAK_FROM_SOURCE=on), as npm start did before it compiled them first.',
);
