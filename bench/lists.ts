/**
 * `npm run bench:lists` (PostgreSQL; issue 19 item 2): the desk's queues and its text search over
 * HTTP at 100,000 and 1,000,000 tickets with ten timeline events each (bench/lists-desk.ts seeds
 * them with bench/seed-kpi-desk.ts), at 50 connections (target: p95 under 50 ms) and alone, each
 * beside baselines measured at the same size in the same run: a raw `pg` primary-key SELECT
 * behind Fastify (baseline-server.ts `select`), and a bare Fastify route answering a prebuilt body
 * as long as the queue's page (what moving the page's bytes costs at the least). Then the
 * PostgreSQL statements each queue runs, with EXPLAIN (ANALYZE, BUFFERS), as the service sends
 * them (recorded from the pool while `searchTickets` answers the same query).
 *
 *   node --import tsx bench/lists.ts   (BENCH_LISTS_TICKETS=100000,1000000, BENCH_SECONDS=8,
 *     BENCH_WARMUP_SECONDS=2, BENCH_EVENTS_PER_TICKET=10, BENCH_LISTS_KEEP=1 keeps the seeded
 *     databases bench_lists_<n> and reuses them next time)
 *
 * Server and PostgreSQL CPU per request are read from /proc: the server's process, and only the
 * PostgreSQL backends connected to the bench's databases (the server is shared).
 */
import os from 'node:os';
import pg from 'pg';
import { ListTicketsQuery } from '../core/contracts/tickets.js';
import type { Actor } from '../core/permissions.js';
import { openPostgres } from '../server/src/db/client.js';
import { searchTickets } from '../server/src/services/ticket-query.service.js';
import { processCpuMs } from './cpu.js';
import { ADMIN, createToken } from './firebreak-api.js';
import { killAllStarted, type ServerProcess, startBaseline, startFirebreak } from './firebreak-process.js';
import { adminQuery, openListsDesk } from './lists-desk.js';
import { type LoadOptions, load } from './load.js';
import { BENCH_PG_URL } from './scratch-database.js';
import { createBaselineTable, type Sql } from './seed.js';

const SIZES = (process.env.BENCH_LISTS_TICKETS ?? '100000,1000000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const EVENTS_PER_TICKET = Number(process.env.BENCH_EVENTS_PER_TICKET ?? 10);
const KEEP = process.env.BENCH_LISTS_KEEP === '1';
const CONNECTIONS = 50;
const TARGET_P95_MS = 50;

interface Queue {
  name: string;
  query: string;
}

/** The desk's standard queues (web/src/desk/queues.ts) as the web asks for them, and the search box. */
function queuesOf(teamId: string, agentId: string): Queue[] {
  return [
    { name: 'All open, most urgent first', query: 'state=open&sort=priority&limit=50' },
    { name: 'Open P1–P2', query: 'state=open&priority=1,2&sort=priority&limit=50' },
    { name: "A team's open queue", query: `teamId=${teamId}&state=open&sort=priority&limit=50` },
    { name: 'Unassigned', query: 'assigneeId=none&state=open&sort=priority&limit=50' },
    { name: "An agent's open tickets", query: `assigneeId=${agentId}&state=open&sort=priority&limit=50` },
    { name: 'Recently resolved', query: 'state=resolved,closed&sort=-updatedAt&limit=50' },
    { name: 'Text search "vpn disc"', query: 'q=vpn%20disc&limit=50' },
  ];
}

interface Measured {
  p50: number;
  p95: number;
  rps: number;
  failed: number;
  serverCpuMs: number;
  postgresCpuMs: number;
}

/** lists-desk's one-statement connection, the database named first. */
const adminRows = <T>(url: string, text: string): Promise<T[]> => adminQuery<T>(text, url);

/** The PostgreSQL backends serving `databases` (from /proc), by process id. */
async function backendPids(databases: string[]): Promise<number[]> {
  const rows = await adminRows<{ pid: number }>(
    BENCH_PG_URL,
    `SELECT pid FROM pg_stat_activity WHERE datname IN (${databases.map((d) => `'${d}'`).join(', ')})`,
  );
  return rows.map((r) => r.pid);
}

/** Warm up, then measure; CPU per answered request in the server and in its PostgreSQL backends. */
async function measure(server: ServerProcess, databases: string[], options: Omit<LoadOptions, 'seconds'>): Promise<Measured> {
  if (WARMUP > 0) await load({ ...options, seconds: WARMUP });
  const before = new Map((await backendPids(databases)).map((pid) => [pid, processCpuMs(pid)]));
  const serverBefore = processCpuMs(server.pid);
  const result = await load({ ...options, seconds: options.connections === 1 ? Math.max(2, SECONDS / 2) : SECONDS });
  const serverMs = processCpuMs(server.pid) - serverBefore;
  let postgresMs = 0;
  for (const pid of new Set([...before.keys(), ...(await backendPids(databases))]))
    postgresMs += processCpuMs(pid) - (before.get(pid) ?? 0);
  return {
    p50: result.p50,
    p95: result.p95,
    rps: result.rps,
    failed: result.failed,
    serverCpuMs: serverMs / result.ok,
    postgresCpuMs: postgresMs / result.ok,
  };
}

const loadNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

function line(name: string, connections: number, m: Measured, target: boolean): string {
  const verdict = target && connections === CONNECTIONS ? (m.p95 < TARGET_P95_MS ? 'yes' : 'no') : '';
  return `| ${name} | ${connections} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${Math.round(m.rps)} | ${m.serverCpuMs.toFixed(2)} | ${m.postgresCpuMs.toFixed(2)} | ${verdict} |`;
}

/** A plan's line cut to a readable length (a page's 50 ids would run to 2,000 characters). */
const clip = (line: string) => (line.length > 240 ? `${line.slice(0, 240)} …` : line);

/** The statements `searchTickets` sends for a queue, recorded from the pool, each with its plan. */
async function plansOf(url: string, queues: Queue[], actor: Actor): Promise<string[]> {
  const database = await openPostgres(url, 2);
  if (database.raw.kind !== 'postgres') throw new Error('expected PostgreSQL');
  const pool = database.raw.pool;
  const recorded: { text: string; values: unknown[] }[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    if (typeof first === 'string') recorded.push({ text: first, values: second ?? [] });
    else recorded.push({ text: first.text, values: first.values ?? second ?? [] });
    return query(...args);
  };
  const out: string[] = [];
  try {
    for (const queue of queues) {
      const parsed = ListTicketsQuery.parse(Object.fromEntries(new URLSearchParams(queue.query)));
      await searchTickets(database.db, actor, parsed); // warm the cache, as the loaded server's is
      recorded.length = 0;
      await searchTickets(database.db, actor, parsed);
      const statements = recorded.splice(0);
      for (const [i, st] of statements.entries()) {
        const plan = (await query(`EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, st.values)) as { rows: Record<string, string>[] };
        out.push(`\n#### ${queue.name}: statement ${i + 1} of ${statements.length}\n`);
        out.push(clip(`    ${st.text.replace(/\s+/g, ' ')}`));
        out.push(clip(`    -- parameters: ${JSON.stringify(st.values)}`));
        out.push(plan.rows.map((r) => clip(`    ${Object.values(r)[0]}`)).join('\n'));
      }
    }
  } finally {
    await database.close();
  }
  return out;
}

async function runSize(tickets: number, baselineUrl: string, baselineIds: string[]): Promise<string[]> {
  const out: string[] = [];
  console.error(`${tickets} tickets: seeding (or reusing)…`);
  const desk = await openListsDesk(tickets, { keep: KEEP, eventsPerTicket: EVENTS_PER_TICKET, log: (l) => console.error(l) });
  const databases = [desk.name, new URL(baselineUrl).pathname.slice(1)];
  try {
    const [facts] = await adminRows<{ tickets: string; events: string; open: string; size: string }>(
      desk.url,
      `SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM timeline_events) AS events,
              (SELECT count(*) FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')) AS open,
              pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    const [team] = await adminRows<{ id: string }>(desk.url, `SELECT id FROM teams WHERE name = 'Network'`);
    const [agent] = await adminRows<{ id: string }>(desk.url, `SELECT id FROM users WHERE email = 'bench-agent-1@example.test'`);
    out.push(
      `\n### ${Number(facts.tickets).toLocaleString('en')} tickets, ${Number(facts.events).toLocaleString('en')} timeline events (${Number(facts.open).toLocaleString('en')} open; database ${facts.size})\n`,
    );
    out.push(`| request | connections | p50 ms | p95 ms | req/s | server CPU ms/req | PostgreSQL CPU ms/req | p95 < ${TARGET_P95_MS} ms |`);
    out.push('|---|---:|---:|---:|---:|---:|---:|:-:|');
    const loads = [loadNow()];

    const select = await startBaseline('select', baselineUrl);
    try {
      let i = 0;
      const rotate = (request: object) => ({ ...request, path: `/rows/${baselineIds[i++ % baselineIds.length]}` });
      for (const connections of [CONNECTIONS, 1]) {
        const m = await measure(select, databases, { url: select.url, path: `/rows/${baselineIds[0]}`, setupRequest: rotate, connections });
        out.push(line('baseline: raw pg primary-key SELECT', connections, m, false));
        console.error(`  baseline select, ${connections} conn: p95 ${m.p95.toFixed(1)} ms`);
      }
    } finally {
      await select.stop();
    }

    const server = await startFirebreak({
      DATABASE_URL: desk.url,
      FIREBREAK_ADMIN_EMAIL: ADMIN.email,
      FIREBREAK_ADMIN_PASSWORD: ADMIN.password,
    });
    const queues = queuesOf(team.id, agent.id);
    const pageBytes = new Map<string, number>();
    let adminId = '';
    try {
      const token = await createToken(server.url);
      const headers = { authorization: `Bearer ${token}` };
      const me = (await (await fetch(`${server.url}/api/v1/me`, { headers })).json()) as { id: string };
      adminId = me.id;
      for (const queue of queues) {
        const path = `/api/v1/tickets?${queue.query}`;
        const body = await (await fetch(`${server.url}${path}`, { headers })).text();
        pageBytes.set(queue.name, Buffer.byteLength(body));
        for (const connections of [CONNECTIONS, 1]) {
          const m = await measure(server, databases, { url: server.url, path, headers, connections });
          if (m.failed > 0) throw new Error(`${queue.name}: ${m.failed} requests failed`);
          out.push(line(queue.name, connections, m, true));
          console.error(`  ${queue.name}, ${connections} conn: p50 ${m.p50.toFixed(1)} p95 ${m.p95.toFixed(1)} ms`);
        }
      }
    } finally {
      await server.stop();
    }
    loads.push(loadNow());

    const bare = await startBaseline('bare', baselineUrl);
    try {
      const sizes = [...new Set(pageBytes.values())].sort((a, b) => b - a).slice(0, 1);
      for (const size of sizes) {
        const m = await measure(bare, databases, { url: bare.url, path: `/bytes/${size}`, connections: CONNECTIONS });
        out.push(line(`baseline: bare Fastify, a prebuilt ${Math.round(size / 1024)} KB body (the largest page)`, CONNECTIONS, m, false));
      }
    } finally {
      await bare.stop();
    }
    loads.push(loadNow());
    out.push(`\nLoad average (1 / 5 / 15 min) before, after the queues, at the end: ${loads.join(' → ')}; ${os.cpus().length} cores.`);
    out.push(`Page sizes: ${queues.map((q) => `${q.name} ${Math.round((pageBytes.get(q.name) ?? 0) / 1024)} KB`).join(', ')}.`);

    out.push('\n#### Plans (EXPLAIN (ANALYZE, BUFFERS) of each statement a queue runs, as staff)');
    out.push(...(await plansOf(desk.url, queues, { id: adminId, role: 'admin' })));
  } finally {
    await desk.cleanup();
  }
  return out;
}

async function main(): Promise<void> {
  const name = `bench_lists_baseline_${process.pid}`;
  await adminRows(BENCH_PG_URL, `CREATE DATABASE ${name}`);
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  const output: string[] = [
    `The desk's queues over HTTP, ${CONNECTIONS} connections and alone, ${SECONDS} s each after ${WARMUP} s of warm-up (alone: ${Math.max(2, SECONDS / 2)} s).`,
  ];
  try {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const ids = await createBaselineTable(client as unknown as Sql).finally(() => client.end());
    for (const size of SIZES) output.push(...(await runSize(size, url.toString(), ids)));
  } finally {
    killAllStarted();
    await adminRows(BENCH_PG_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  console.log(output.join('\n'));
}

process.once('SIGINT', () => {
  killAllStarted();
  process.exit(130);
});

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    killAllStarted();
    process.exit(1);
  },
);
