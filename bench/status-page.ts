/**
 * The public status page under an outage's crowd (issue 15): `/status` (HTML) and
 * `/status/api/v2/summary.json` under 50 connections — uncompressed, and compressed as browsers
 * ask for it (brotli) — while the desk keeps updating the incident (a public update every 200 ms);
 * and how long a change takes to show on the page.
 *
 * Two baselines, both bare Fastify in its own process, measured in the same run:
 * - "bare JSON": `{"hello":"world"}` (17 bytes), once at the start — the old measure. On this
 *   2-core machine the load generator shares the cores and reading a 21 KB body costs it far more
 *   than a 17-byte one, so this ratio charges the body's size to the page.
 * - "bare, same bytes": a copy of Firebreak's answer as it was just before (its very bytes, type
 *   and coding, plain or compressed), measured in rounds alternating with Firebreak's (the median
 *   of the rounds' ratios) — the fair one: the least any server can do to send that page, against
 *   what Firebreak does. Same bytes, not just as many: until 2026-12-07 the load generator decoded
 *   each body into a string (bench/load.ts now skips that), and the page's few non-ASCII
 *   characters cost it twice what an "x"-filled body of the same size did — the uncompressed page
 *   was 45% of such a body and 100% of its own bytes. A copy leaves nothing of that kind to differ.
 * Each line also shows how busy the server process, the load generator (this process) and
 * PostgreSQL were (CPU time per second), and the load average.
 *
 *   node --import tsx bench/status-page.ts     (BENCH_ENGINES=pglite,postgres; BENCH_ROUNDS=4; BENCH_SECONDS=3)
 *
 * Targets: at least 50% of the bare route's rate, p99 under 20 ms, a change visible within 2 s.
 */
import fs from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { postgresCpuMs, processCpuMs } from './cpu.js';
import { ADMIN, createToken } from './firebreak-api.js';
import { killAllStarted, type ServerProcess, startBaseline, startFirebreak } from './firebreak-process.js';
import { type LoadResult, load } from './load.js';

/** Each measurement is ROUNDS rounds of SECONDS, alternating with its baseline's. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = 50;

const throwaway = { databases: [] as string[], dirs: [] as string[] };

async function pgQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function api<T = { id: string }>(base: string, token: string, method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** What a browser sends: it takes the page brotli-compressed (the server compresses once per page computation). */
const AS_BROWSERS_ASK = { 'accept-encoding': 'gzip, deflate, br, zstd' };

interface Measured extends LoadResult {
  /** CPU time of the server process per second of the run: 1.0 is one core fully busy. */
  serverBusy: number;
  /** The same for this process, which generates the load (autocannon) and reads every answer. */
  generatorBusy: number;
  /** The same for every PostgreSQL process (the desk's updates, the page's recomputations). */
  postgresBusy: number;
  load1: number;
}

async function measure(server: ServerProcess, pathname: string, headers: Record<string, string>, seconds: number): Promise<Measured> {
  const cpu = processCpuMs(server.pid);
  const generatorCpu = processCpuMs(process.pid);
  const pgCpu = postgresCpuMs();
  const started = performance.now();
  const result = await load({ url: server.url, path: pathname, headers, connections: CONNECTIONS, seconds });
  const elapsed = performance.now() - started;
  const serverBusy = (processCpuMs(server.pid) - cpu) / elapsed;
  const generatorBusy = (processCpuMs(process.pid) - generatorCpu) / elapsed;
  const postgresBusy = (postgresCpuMs() - pgCpu) / elapsed;
  if (result.failed > 0) throw new Error(`${pathname}: ${result.failed} requests failed (${JSON.stringify(result.statusCodes)})`);
  return { ...result, serverBusy, generatorBusy, postgresBusy, load1: os.loadavg()[0] };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Rounds of one measurement: the median of each figure, and the worst p99. */
interface Summary {
  rps: number;
  p50: number;
  p99: number;
  worstP99: number;
  serverBusy: number;
  generatorBusy: number;
  postgresBusy: number;
  load1: number;
}
const summarise = (rounds: Measured[]): Summary => ({
  rps: median(rounds.map((r) => r.rps)),
  p50: median(rounds.map((r) => r.p50)),
  p99: median(rounds.map((r) => r.p99)),
  worstP99: Math.max(...rounds.map((r) => r.p99)),
  serverBusy: median(rounds.map((r) => r.serverBusy)),
  generatorBusy: median(rounds.map((r) => r.generatorBusy)),
  postgresBusy: median(rounds.map((r) => r.postgresBusy)),
  load1: median(rounds.map((r) => r.load1)),
});

/**
 * Firebreak's answer and the bare server sending a copy of it (the same bytes, type and coding),
 * measured in alternating rounds (page, bare, page, bare …) so both see the same moments of a
 * shared machine's load; the ratio is the median of the rounds' ratios. The page changes as the
 * desk posts: before each bare round the bare server is given the page as it is just then.
 */
async function measurePair(
  server: ServerProcess,
  bare: ServerProcess,
  pathname: string,
  headers: Record<string, string>,
): Promise<{ page: Summary; sameBytes: Summary; ratio: number; size: number }> {
  const copy = `/copies/${encodeURIComponent(`${pathname} ${JSON.stringify(headers)}`)}`;
  if (WARMUP > 0) {
    await load({ url: server.url, path: pathname, headers, connections: CONNECTIONS, seconds: WARMUP });
    await copyAnswer(server.url, pathname, headers, bare.url, copy);
    await load({ url: bare.url, path: copy, connections: CONNECTIONS, seconds: WARMUP });
  }
  const pages: Measured[] = [];
  const bares: Measured[] = [];
  const sizes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    pages.push(await measure(server, pathname, headers, SECONDS));
    sizes.push(await copyAnswer(server.url, pathname, headers, bare.url, copy));
    bares.push(await measure(bare, copy, {}, SECONDS));
  }
  return {
    page: summarise(pages),
    sameBytes: summarise(bares),
    ratio: median(pages.map((p, i) => p.rps / bares[i].rps)),
    size: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length),
  };
}

/**
 * Fetches Firebreak's answer as the load generator gets it (node:http, not fetch: fetch would
 * decompress it) and hands the bare server a copy: its bytes, type and coding. Returns its size.
 */
async function copyAnswer(
  base: string,
  pathname: string,
  headers: Record<string, string>,
  bareBase: string,
  copyPath: string,
): Promise<number> {
  const answer = await new Promise<{ bytes: Buffer; type: string; coding: string | undefined }>((resolve, reject) => {
    request(`${base}${pathname}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          bytes: Buffer.concat(chunks),
          type: String(res.headers['content-type'] ?? 'application/octet-stream'),
          coding: res.headers['content-encoding'],
        }),
      );
    })
      .on('error', reject)
      .end();
  });
  const stored = await fetch(`${bareBase}${copyPath}`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/octet-stream',
      'x-copy-content-type': answer.type,
      ...(answer.coding ? { 'x-copy-content-encoding': answer.coding } : {}),
    },
    body: new Uint8Array(answer.bytes),
  });
  if (stored.status !== 204) throw new Error(`the bare server did not take the copy of ${pathname}: ${stored.status}`);
  return answer.bytes.length;
}

const rate = (r: { rps: number }) => String(Math.round(r.rps)).padStart(7);
const pct = (ratio: number) => `${(ratio * 100).toFixed(0).padStart(4)}%`;
const latency = (r: Summary) => `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms (worst ${r.worstP99.toFixed(0)})`;
/** CPU per answer: unlike the rate, it barely depends on how much of the machine others take (background work included). */
const busyAndLoad = (r: Summary) =>
  `server ${(r.serverBusy * 100).toFixed(0)}% busy (${Math.round((r.serverBusy * 1e6) / r.rps)} µs CPU/answer), load generator ${(r.generatorBusy * 100).toFixed(0)}%, PostgreSQL ${(r.postgresBusy * 100).toFixed(0)}%, load ${r.load1.toFixed(1)}`;

/** A status page of a real size: 30 public services (some components, some dependent), 90 days of past incidents, one outage now. */
export async function seed(base: string, token: string): Promise<{ incidentId: string; vpnId: string }> {
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const parentId = i % 5 !== 0 && ids.length > 0 ? ids[Math.floor(i / 5) * 5] : null;
    const dependsOnIds = i > 0 && i % 7 === 0 ? [ids[i - 1]] : [];
    ids.push((await api(base, token, 'POST', '/services', { name: `Service ${i}`, onStatusPage: true, parentId, dependsOnIds })).id);
  }
  for (let i = 0; i < 60; i++) {
    const past = await api(base, token, 'POST', '/tickets', {
      title: `Past outage ${i}`,
      serviceId: ids[i % ids.length],
      impact: 1 + (i % 2),
      urgency: 1,
      scope: 'global',
    });
    await api(base, token, 'POST', `/tickets/${past.id}/comments`, { body: `Investigating outage ${i}.`, visibility: 'public' });
    await api(base, token, 'POST', `/tickets/${past.id}/transitions`, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: `Outage ${i} fixed.`,
    });
  }
  const now = await api(base, token, 'POST', '/tickets', {
    title: 'VPN down for everyone',
    serviceId: ids[0],
    impact: 1,
    urgency: 1,
    scope: 'global',
  });
  return { incidentId: now.id, vpnId: ids[0] };
}

const METRICS_TOKEN = 'bench-status-page-metrics-token';

/**
 * Waits until the server's job queue is empty (nothing due, nothing running, read from /metrics):
 * seeding leaves a backlog of notifications, timers and fan-outs that would otherwise run during
 * the first measurement only. Returns how long that took.
 */
async function jobQueueSettled(base: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 180_000) {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    if (gauge('firebreak_jobs_due') === 0 && gauge('firebreak_jobs_running') === 0) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the job queue did not settle within 180 s after seeding');
}

/** From a public update's acknowledgement to the first /status that shows it. */
async function timeToShow(base: string, token: string, incidentId: string, n: number): Promise<number> {
  const marker = `Update ${n} ${Math.random().toString(36).slice(2)}`;
  const started = performance.now();
  await api(base, token, 'POST', `/tickets/${incidentId}/comments`, { body: marker, visibility: 'public' });
  while (true) {
    const html = await (await fetch(`${base}/status`)).text();
    if (html.includes(marker)) return performance.now() - started;
    if (performance.now() - started > 30_000) throw new Error('the update did not show within 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runEngine(engine: 'pglite' | 'postgres', bare: ServerProcess, bareJson: number): Promise<void> {
  let location: string;
  if (engine === 'postgres') {
    const name = `firebreak_bench_status_${process.pid}`;
    await pgQuery(`CREATE DATABASE ${name}`);
    throwaway.databases.push(name);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    location = url.toString();
  } else {
    location = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-status-'));
    throwaway.dirs.push(location);
  }
  const server: ServerProcess = await startFirebreak({
    ...(engine === 'postgres' ? { DATABASE_URL: location } : { FIREBREAK_DATA_DIR: location }),
    FIREBREAK_ADMIN_EMAIL: ADMIN.email,
    FIREBREAK_ADMIN_PASSWORD: ADMIN.password,
    FIREBREAK_METRICS_TOKEN: METRICS_TOKEN,
  });
  try {
    const token = await createToken(server.url);
    const { incidentId } = await seed(server.url, token);
    const settled = await jobQueueSettled(server.url);
    console.log(`  ${engine.padEnd(8)} ${'seeding jobs done after'.padEnd(30)} ${(settled / 1000).toFixed(1)} s (measured from then on)`);
    // The desk keeps working the incident while the crowd reads the page.
    let updates = 0;
    let writing = true;
    // A failed write ends the run with its reason after the measurement in progress (not as an
    // unhandled rejection that kills the bench and leaves its servers and databases behind).
    let writeFailed: unknown = null;
    const writer = (async () => {
      while (writing) {
        await api(server.url, token, 'POST', `/tickets/${incidentId}/comments`, {
          body: `Still investigating (${++updates}).`,
          visibility: 'public',
        });
        await new Promise((r) => setTimeout(r, 200));
      }
    })().catch((err) => {
      writeFailed = err;
    });
    for (const [what, pathname, headers] of [
      ['GET /status', '/status', {}],
      ['GET summary.json', '/status/api/v2/summary.json', {}],
      ['GET /status, as browsers ask', '/status', AS_BROWSERS_ASK],
      ['GET summary.json, compressed', '/status/api/v2/summary.json', AS_BROWSERS_ASK],
    ] as const) {
      const { page, sameBytes, ratio, size } = await measurePair(server, bare, pathname, headers);
      if (writeFailed) throw new Error(`the desk's updates failed during the load: ${String(writeFailed)}`);
      console.log(
        `  ${engine.padEnd(8)} ${what.padEnd(30)} ${rate(page)} req/s  ${pct(page.rps / bareJson)} of bare JSON ${pct(ratio)} of same bytes  ${latency(page)}  ${busyAndLoad(page)}`,
      );
      console.log(
        `  ${'baseline'.padEnd(8)} ${`  bare, same bytes (${size} B)`.padEnd(30)} ${rate(sameBytes)} req/s  ${pct(sameBytes.rps / bareJson)} of bare JSON                 ${latency(sameBytes)}  ${busyAndLoad(sameBytes)}`,
      );
    }
    writing = false;
    await writer;
    const shows: number[] = [];
    for (let i = 0; i < 5; i++) shows.push(await timeToShow(server.url, token, incidentId, i));
    console.log(`  ${engine.padEnd(8)} ${'desk updates during the load'.padEnd(30)} ${updates}`);
    console.log(
      `  ${engine.padEnd(8)} ${'a change shows on /status in'.padEnd(30)} ${shows.map((ms) => `${Math.round(ms)} ms`).join(', ')} (target: under 2,000 ms)`,
    );
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `Status page under ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('  Baselines: "bare JSON" answers {"hello":"world"} (17 B), the old measure; "bare, same bytes" answers a copy of');
  console.log(
    '  the Firebreak answer above it (its bytes, type and coding), in rounds alternating with it (the fair one). Both bare Fastify.',
  );
  const bare = await startBaseline('bare', PG_URL);
  try {
    if (WARMUP > 0) await load({ url: bare.url, path: '/json', connections: CONNECTIONS, seconds: WARMUP });
    const bareJson = summarise([await measure(bare, '/json', {}, SECONDS * ROUNDS)]);
    console.log(
      `  ${'baseline'.padEnd(8)} ${'bare JSON (17 B)'.padEnd(30)} ${rate(bareJson)} req/s  100% of bare JSON                ${latency(bareJson)}  ${busyAndLoad(bareJson)}`,
    );
    for (const engine of ENGINES) await runEngine(engine, bare, bareJson.rps);
  } finally {
    await bare.stop();
  }
  console.log(
    `Load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (the machine is shared: compare ratios within one run).`,
  );
  console.log('Targets: at least 50% of the bare rate (same bytes), p99 under 20 ms, a change visible within 2 s.');
}

// Run when started as a script; `seed` is imported by probes.
if (process.argv[1]?.endsWith('status-page.ts')) runMain();

function runMain() {
  main()
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(async () => {
      killAllStarted();
      for (const name of throwaway.databases) await pgQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(console.error);
      for (const dir of throwaway.dirs) fs.rmSync(dir, { recursive: true, force: true });
    });
}
