/**
 * The public status page under an outage's crowd (issue 15): `/status` (HTML) and
 * `/status/api/v2/summary.json` under 50 connections — uncompressed, and gzip-compressed as browsers
 * and most HTTP clients ask for it — beside the bare Fastify JSON route measured
 * in the same run, while the desk keeps updating the incident (a public update every 200 ms); and
 * how long a change takes to show on the page.
 *
 *   node --import tsx bench/status-page.ts     (BENCH_ENGINES=pglite,postgres; BENCH_SECONDS=8)
 *
 * Targets: at least 50% of the bare route's rate, p99 under 20 ms, a change visible within 2 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ADMIN, createToken } from './firebreak-api.js';
import { killAllStarted, type ServerProcess, startBaseline, startFirebreak } from './firebreak-process.js';
import { type LoadResult, load } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
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

/** What a browser sends: it takes the page gzip-compressed (the server compresses once per page computation). */
const AS_BROWSERS_ASK = { 'accept-encoding': 'gzip, deflate, br, zstd' };

async function measure(url: string, pathname: string, headers: Record<string, string> = {}): Promise<LoadResult> {
  if (WARMUP > 0) await load({ url, path: pathname, headers, connections: CONNECTIONS, seconds: WARMUP });
  const result = await load({ url, path: pathname, headers, connections: CONNECTIONS, seconds: SECONDS });
  if (result.failed > 0) throw new Error(`${pathname}: ${result.failed} requests failed (${JSON.stringify(result.statusCodes)})`);
  return result;
}

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

async function runEngine(engine: 'pglite' | 'postgres', bareRps: number): Promise<void> {
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
  });
  try {
    const token = await createToken(server.url);
    const { incidentId } = await seed(server.url, token);
    // The desk keeps working the incident while the crowd reads the page.
    let updates = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await api(server.url, token, 'POST', `/tickets/${incidentId}/comments`, {
          body: `Still investigating (${++updates}).`,
          visibility: 'public',
        });
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const html = await measure(server.url, '/status');
    const summary = await measure(server.url, '/status/api/v2/summary.json');
    const htmlGzip = await measure(server.url, '/status', AS_BROWSERS_ASK);
    const summaryGzip = await measure(server.url, '/status/api/v2/summary.json', AS_BROWSERS_ASK);
    writing = false;
    await writer;
    const shows: number[] = [];
    for (let i = 0; i < 5; i++) shows.push(await timeToShow(server.url, token, incidentId, i));
    const line = (what: string, r: LoadResult) =>
      `  ${engine.padEnd(8)} ${what.padEnd(28)} ${String(Math.round(r.rps)).padStart(7)} req/s  ${((r.rps / bareRps) * 100).toFixed(0).padStart(4)}% of bare  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`;
    console.log(line('GET /status', html));
    console.log(line('GET summary.json', summary));
    console.log(line('GET /status, gzip', htmlGzip));
    console.log(line('GET summary.json, gzip', summaryGzip));
    console.log(`  ${engine.padEnd(8)} ${'desk updates during the load'.padEnd(28)} ${updates}`);
    console.log(
      `  ${engine.padEnd(8)} ${'a change shows on /status in'.padEnd(28)} ${shows.map((ms) => `${Math.round(ms)} ms`).join(', ')} (target: under 2,000 ms)`,
    );
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `Status page under ${CONNECTIONS} connections, ${SECONDS} s each, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`,
  );
  const bare = await startBaseline('bare', PG_URL);
  let bareResult: LoadResult;
  try {
    bareResult = await measure(bare.url, '/json');
  } finally {
    await bare.stop();
  }
  console.log(
    `  baseline ${'bare Fastify JSON'.padEnd(28)} ${String(Math.round(bareResult.rps)).padStart(7)} req/s  100% of bare  p50 ${bareResult.p50.toFixed(1)} ms  p99 ${bareResult.p99.toFixed(1)} ms`,
  );
  for (const engine of ENGINES) await runEngine(engine, bareResult.rps);
  console.log('Targets: at least 50% of the bare rate, p99 under 20 ms, a change visible within 2 s.');
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
