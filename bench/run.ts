/**
 * `npm run bench`: Firebreak over HTTP on PostgreSQL and PGlite, beside three baselines measured
 * in the same run (bare Fastify JSON, one raw pg INSERT, one raw pg primary-key SELECT). Ratios
 * to those baselines hold on noisy machines where absolute numbers do not.
 *
 * Environment: BENCH_SECONDS (8) per scenario, BENCH_WARMUP_SECONDS (2), BENCH_TICKETS (100000)
 * for the list scenarios, BENCH_ENGINES (postgres,pglite), BENCH_PG_URL (the maintenance
 * database of the PostgreSQL server to create throwaway databases on).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite } from '../server/src/db/client.js';
import { postgresCpuMs, processCpuMs } from './cpu.js';
import { ADMIN, createRoutedService, createToken, listTicketIds } from './firebreak-api.js';
import { killAllStarted, ROOT, type ServerProcess, startBaseline, startFirebreak } from './firebreak-process.js';
import { type LoadOptions, type LoadResult, load } from './load.js';
import { type Engine, type EngineFacts, formatReport, type Measured, type Results, type Row } from './report.js';
import { createBaselineTable, findTeamId, type Sql, seedTickets } from './seed.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',') as Engine[];
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = 50;
/** The latency bound of every target: p99 for creation and reads, p95 for the lists. */
const TARGET_MS = 50;

const throwaway = { databases: [] as string[], dirs: [] as string[] };

/** No server, database or data folder outlives a run, even one stopped with Ctrl-C. */
async function cleanUp(): Promise<void> {
  killAllStarted();
  for (const name of throwaway.databases.splice(0)) {
    await pgQuery(PG_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(console.error);
  }
  for (const dir of throwaway.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});

type MeasureOptions = Omit<LoadOptions, 'seconds' | 'connections'> & { connections?: number; seconds?: number; pid: number };

/** Warm up (JIT, pools, caches), then measure. Every server gets the same treatment. */
async function measure({ pid, ...options }: MeasureOptions): Promise<Measured> {
  const connections = options.connections ?? CONNECTIONS;
  if (WARMUP > 0) await load({ ...options, connections, seconds: WARMUP, onSample: undefined });
  const server = processCpuMs(pid);
  const postgres = postgresCpuMs();
  const result = await load({ ...options, connections, seconds: options.seconds ?? SECONDS });
  return {
    ...result,
    serverCpuMs: (processCpuMs(pid) - server) / result.ok,
    postgresCpuMs: (postgresCpuMs() - postgres) / result.ok,
  };
}

let sequence = 0;
/** A fresh ticket body per request, as an integration reporting incidents would send. */
function ticketBody(serviceId: string): string {
  const n = ++sequence;
  return JSON.stringify({
    title: `VPN drops for remote staff #${n}`,
    description: 'Users on the Lyon site lose the VPN tunnel every few minutes since the 09:00 change.',
    impact: 1 + (n % 3),
    urgency: 1 + ((n >> 2) % 3),
    serviceId,
  });
}

function rotating(ids: string[], prefix: string) {
  let i = 0;
  return (request: object) => ({ ...request, path: `${prefix}${ids[i++ % ids.length]}` });
}

async function pgQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function createDatabase(suffix: string): Promise<string> {
  const name = `firebreak_bench_${process.pid}_${suffix}`;
  await pgQuery(PG_URL, `CREATE DATABASE ${name}`);
  throwaway.databases.push(name);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` with a direct connection to the engine's data, while no server holds it. */
async function withDirectSql<T>(engine: Engine, location: string, work: (db: Sql) => Promise<T>): Promise<T> {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      return await work(client as unknown as Sql);
    } finally {
      await client.end();
    }
  }
  // The server's own way of opening a data folder: its extensions, its bytea codec, its lock.
  const database = await openPglite(location);
  try {
    if (database.raw.kind !== 'pglite') throw new Error('expected PGlite');
    return await work(database.raw.client as unknown as Sql);
  } finally {
    await database.close();
  }
}

async function runBaselines(results: Results): Promise<Record<'bare' | 'insert' | 'select', number>> {
  const url = await createDatabase('baseline');
  const ids = await withDirectSql('postgres', url, createBaselineTable);
  const rps = { bare: 0, insert: 0, select: 0 };
  const scenarios = [
    { mode: 'bare', name: 'baseline: bare Fastify JSON', path: '/json' },
    { mode: 'insert', name: 'baseline: raw pg INSERT', path: '/rows', method: 'POST', body: true },
    { mode: 'select', name: 'baseline: raw pg PK SELECT', path: '/rows/', rotate: true },
  ] as const;
  for (const s of scenarios) {
    const server = await startBaseline(s.mode, url);
    let peak = 0;
    try {
      const result = await measure({
        pid: server.pid,
        url: server.url,
        method: 'method' in s ? s.method : 'GET',
        path: 'rotate' in s ? `${s.path}${ids[0]}` : s.path,
        body: 'body' in s ? ticketBody('00000000-0000-4000-8000-000000000002') : undefined,
        setupRequest:
          'rotate' in s
            ? rotating(ids, s.path)
            : 'body' in s
              ? (r) => ({ ...r, body: ticketBody('00000000-0000-4000-8000-000000000002') })
              : undefined,
        onSample: () => (peak = Math.max(peak, server.rssMb())),
      });
      results.rows.push({ scenario: s.name, engine: 'baseline', connections: CONNECTIONS, ...result });
      results.baselineRssMb[s.mode] = peak;
      results.baselineStartMs[s.mode] = server.startMs;
      rps[s.mode] = result.rps;
      console.error(`  ${s.name}: ${Math.round(result.rps)} req/s`);
    } finally {
      await server.stop();
    }
  }
  return rps;
}

async function runEngine(engine: Engine, baseline: Record<'bare' | 'insert' | 'select', number>, results: Results): Promise<void> {
  const facts: EngineFacts = { engine };
  results.engines.push(facts);
  const location = engine === 'postgres' ? await createDatabase('firebreak') : fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-'));
  if (engine === 'pglite') throwaway.dirs.push(location);
  const env = {
    ...(engine === 'postgres' ? { DATABASE_URL: location } : { FIREBREAK_DATA_DIR: location }),
    FIREBREAK_ADMIN_EMAIL: ADMIN.email,
    FIREBREAK_ADMIN_PASSWORD: ADMIN.password,
  };
  const isTarget = engine === 'postgres';
  let peak = 0;
  const row = (scenario: string, result: Measured, extra: Partial<Row> = {}): void => {
    results.rows.push({ scenario, engine, connections: CONNECTIONS, ...result, ...extra });
    console.error(
      `  ${engine} ${scenario}${extra.connections === 1 ? ' (1 conn)' : ''}: ${Math.round(result.rps)} req/s, p95 ${result.p95.toFixed(1)} ms`,
    );
  };

  // 1. Fresh start, then ticket creation and single-ticket reads.
  let server: ServerProcess = await startFirebreak(env);
  facts.firstStartMs = server.startMs;
  try {
    const token = await createToken(server.url);
    const serviceId = await createRoutedService(server.url, token);
    const auth = { authorization: `Bearer ${token}` };
    await new Promise((r) => setTimeout(r, 1000));
    facts.rssIdleMb = server.rssMb();
    const sample = () => (peak = Math.max(peak, server.rssMb()));

    const create = await measure({
      pid: server.pid,
      url: server.url,
      method: 'POST',
      path: '/api/v1/tickets',
      headers: auth,
      body: ticketBody(serviceId),
      setupRequest: (r) => ({ ...r, body: ticketBody(serviceId) }),
      onSample: sample,
    });
    const createRatio = create.rps / baseline.insert;
    row('create ticket', create, {
      baseline: 'raw INSERT',
      ratio: createRatio,
      ...(isTarget ? { target: `≥50%, p99<${TARGET_MS}`, pass: createRatio >= 0.5 && create.p99 < TARGET_MS } : {}),
    });

    const ids = await listTicketIds(server.url, token, 1000);
    const read = await measure({
      pid: server.pid,
      url: server.url,
      path: `/api/v1/tickets/${ids[0]}`,
      headers: auth,
      setupRequest: rotating(ids, '/api/v1/tickets/'),
      onSample: sample,
    });
    const readRatio = read.rps / baseline.select;
    row('read ticket', read, {
      baseline: 'raw SELECT',
      ratio: readRatio,
      ...(isTarget ? { target: `≥60%, p99<${TARGET_MS}`, pass: readRatio >= 0.6 && read.p99 < TARGET_MS } : {}),
    });
  } finally {
    await server.stop();
  }

  // 2. Grow the table to TICKETS with SQL while the server is down, then time a restart on it.
  const seedStarted = performance.now();
  const { tickets, teamId } = await withDirectSql(engine, location, async (db) => ({
    tickets: await seedTickets(db, TICKETS),
    teamId: await findTeamId(db, 'Network'),
  }));
  facts.seedMs = performance.now() - seedStarted;
  facts.tickets = tickets;

  server = await startFirebreak(env);
  facts.restartMs = server.startMs;
  try {
    const token = await createToken(server.url);
    const auth = { authorization: `Bearer ${token}` };
    await new Promise((r) => setTimeout(r, 1000));
    facts.rssIdleSeededMb = server.rssMb();

    // 3. Filtered lists over the full table: under load (the target), and alone (query cost).
    const lists = [
      { name: 'list: open P1-P2 by priority', query: 'state=open&priority=1,2&sort=priority&limit=50' },
      { name: "list: a team's open queue", query: `teamId=${teamId}&state=open&sort=priority&limit=50` },
      { name: 'list: text search "vpn disc"', query: 'q=vpn%20disc&limit=50' },
    ];
    for (const list of lists) {
      const options = { pid: server.pid, url: server.url, path: `/api/v1/tickets?${list.query}`, headers: auth };
      const target = (r: LoadResult) => (isTarget ? { target: `p95<${TARGET_MS}`, pass: r.p95 < TARGET_MS } : {});
      const loaded = await measure({ ...options, onSample: () => (peak = Math.max(peak, server.rssMb())) });
      row(list.name, loaded, target(loaded));
      const alone = await measure({ ...options, connections: 1, seconds: Math.max(2, SECONDS / 2) });
      row(list.name, alone, { connections: 1, ...target(alone) });
    }
  } finally {
    await server.stop();
  }
  facts.rssLoadMb = peak;
}

async function main(): Promise<number> {
  const postgresVersion = await (async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    await client.end();
    return `PostgreSQL ${rows[0].v.split(' ')[0]}`;
  })();
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, postgres: postgresVersion },
    seconds: SECONDS,
    warmupSeconds: WARMUP,
    connections: CONNECTIONS,
    baselineRssMb: {},
    baselineStartMs: {},
    rows: [],
    engines: [],
  };
  let crashed = false;
  try {
    console.error('Baselines…');
    const baseline = await runBaselines(results);
    for (const engine of ENGINES) {
      console.error(`Firebreak on ${engine}…`);
      try {
        await runEngine(engine, baseline, results);
      } catch (err) {
        // Keep the other engine's results: report the failure, then exit non-zero.
        crashed = true;
        killAllStarted();
        const facts = results.engines.find((e) => e.engine === engine);
        if (facts) facts.error = (err as Error).stack ?? String(err);
        console.error(err);
      }
    }
  } finally {
    await cleanUp();
  }

  fs.mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatReport(results));
  console.log('Results written to .bench/results.json');
  const failedRequests = results.rows.some((r) => r.failed > 0);
  return crashed || failedRequests ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    killAllStarted();
    process.exit(1);
  },
);
