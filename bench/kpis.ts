/**
 * Every request the dashboard makes (one per tile and series) over a desk of 100,000 or 1,000,000
 * tickets (issue 16: p95 under 200 ms), through the service function the reports API calls (no
 * HTTP, so the figure is the query's): 30 days, 12 months and a partial period off the hour; every
 * team, one team, with priorities, a service, a category; UTC, Europe/Berlin and Asia/Kolkata.
 * Beside them, in the same run: a SELECT 1 round trip and a ticket read by id, and the machine load.
 *
 *   node --import tsx bench/kpis.ts   (BENCH_TICKETS=1000000, BENCH_ENGINES=postgres, BENCH_ZONES=UTC,Asia/Kathmandu,
 *                                      BENCH_PER_TICKET=1 for each request read per ticket too, BENCH_WRITES=0 to skip writes,
 *                                      BENCH_KEEP_DATABASE=bench_kpis_1m to seed once and read again, see openDatabase)
 *
 * Precomputed: the KPI facts the ticket-change pipeline keeps on each ticket row (migration 0051)
 * and, from them, the daily rollups (migration 0058: counts and sums per UTC day and team, service,
 * category, priority, kind), per-month duration histograms for the medians (migration 0062: the
 * median's bucket from the counts, then only that bucket's tickets, exact) and created/resolved
 * running totals per UTC day by quarter hour (migration 0071, for days in any time zone), all three
 * again by slice — the whole desk, one service, one category, by priority and kind (migration 0082,
 * what a report without a team filter reads) — kept by triggers in each writer's transaction. The
 * write cost of those triggers is measured last.
 * The seed (bench/seed-kpi-desk.ts) writes 100,000 tickets a statement with their KPI facts, events
 * and ratings, the rollup triggers off, then runs migrations 0058's, 0062's, 0071's and 0082's
 * backfills (timed), as an upgrade would.
 * Each request runs 3 times to warm up, then 20 times; the median and the 95th percentile are shown,
 * and the plans of the statements of any request whose p95 is over 200 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import { KPI_IDS } from '../core/kpis/catalogue.js';
import type { KpiFilter, KpiPeriod } from '../core/kpis/kpi-ticket.js';
import { type Database, openPostgres } from '../server/src/db/client.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../server/src/db/migrate.js';
import { computeKpiSql, type KpiSource } from '../server/src/services/reports.service.js';
import { BENCH_PG_URL, openScratchDatabase } from './scratch-database.js';
import type { Sql } from './seed.js';
import { seedKpiDesk } from './seed-kpi-desk.js';

const TOTAL = Number(process.env.BENCH_TICKETS ?? 100_000);
const DAY = 86_400_000;
/** The daily rollups' and duration histograms' triggers as migration 0070 left them (per statement; deletes per row). */
const ROLLUP_TRIGGERS = [
  ['tickets', 'kpi_rollups_on_tickets_inserted'],
  ['tickets', 'kpi_rollups_on_tickets_updated'],
  ['tickets', 'kpi_rollups_on_ticket_delete'],
  ['satisfaction_ratings', 'kpi_rollups_on_rating'],
];
/** Migration 0071's statement-level trigger of the quarter-hour rollups. */
const QUARTER_TRIGGERS = [
  ['tickets', 'kpi_quarter_rollups_on_insert'],
  ['tickets', 'kpi_quarter_rollups_on_update'],
  ['tickets', 'kpi_quarter_rollups_on_delete'],
];
/** Migration 0082's triggers of the rollups by slice (the whole desk, one service, one category). */
const SLICE_TRIGGERS = [
  ['tickets', 'kpi_dimension_rollups_on_tickets_inserted'],
  ['tickets', 'kpi_dimension_rollups_on_tickets_updated'],
  ['tickets', 'kpi_dimension_rollups_on_ticket_delete'],
  ['satisfaction_ratings', 'kpi_dimension_rollups_on_rating'],
];
const ALL_TRIGGERS = [...ROLLUP_TRIGGERS, ...QUARTER_TRIGGERS, ...SLICE_TRIGGERS];
const setTriggers = async (sql: Sql, triggers: string[][], on: boolean) => {
  for (const [table, trigger] of triggers) await sql.query(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
};

function rawSql(database: Database): Sql {
  return database.raw.kind === 'pglite' ? (database.raw.client as unknown as Sql) : (database.raw.pool as unknown as Sql);
}

/** The statements of a migration that fill existing rows (`pattern` picks them out). */
function backfillOf(file: string, pattern: RegExp): string[] {
  return fs
    .readFileSync(`${MIGRATIONS_FOLDER}/${file}`, 'utf8')
    .split('--> statement-breakpoint')
    .filter((statement) => pattern.test(statement));
}

async function timed(label: string, statements: string[], sql: Sql): Promise<void> {
  const at = performance.now();
  for (const statement of statements) await sql.query(statement);
  console.log(`${label}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
}

/**
 * What migrations 0058, 0062, 0071 and 0082 do to an existing desk: the rollups, histograms and
 * quarter-hour totals from the tickets, then the rollups by slice from them.
 */
async function backfillRollups(sql: Sql): Promise<void> {
  await timed('migration 0058 backfill (daily rollups)', backfillOf('0058_kpi_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily/), sql);
  await timed(
    'migration 0062 backfill (duration histograms)',
    backfillOf('0062_kpi_duration_buckets.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_monthly/),
    sql,
  );
  await timed(
    'migration 0071 backfill (quarter-hour rollups)',
    backfillOf('0071_kpi_quarter_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily_quarter/),
    sql,
  );
  await timed(
    'migration 0082 backfill (rollups by slice)',
    backfillOf('0082_kpi_dimension_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_(daily|monthly)_dimension/),
    sql,
  );
  await sql.query('VACUUM ANALYZE');
  for (const table of [
    'kpi_daily_team_rollups',
    'kpi_daily_rollups',
    'kpi_monthly_team_duration_buckets',
    'kpi_monthly_duration_buckets',
    'kpi_daily_quarter_rollups',
    'kpi_daily_dimension_rollups',
    'kpi_monthly_dimension_duration_buckets',
    'kpi_daily_dimension_quarter_rollups',
  ]) {
    const [{ rows }] = (await sql.query<{ rows: string }>(`SELECT count(*) AS rows FROM ${table}`)).rows;
    console.log(`${table} rows: ${rows}`);
  }
}

async function measure(run: () => Promise<unknown>, warmups: number, runs: number) {
  for (let i = 0; i < warmups; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p95: times[Math.ceil(0.95 * runs) - 1] };
}

/**
 * What the rollup triggers cost a writer: the same change (each resolved ticket's priority moved,
 * the worst case: every rollup row and histogram bucket of the ticket taken away and counted again),
 * one ticket per statement as the pipeline writes, with the triggers that exist now switched on one
 * group after another: none, migration 0070's per-statement daily rollups and duration histograms,
 * then 0071's quarter-hour running totals. Different tickets each time.
 */
async function writeCost(sql: Sql): Promise<void> {
  const N = Number(process.env.BENCH_WRITES ?? 500);
  const ids = (
    await sql.query<{ id: string }>(`SELECT id FROM tickets WHERE state IN ('resolved', 'closed') ORDER BY id LIMIT ${3 * N}`)
  ).rows.map((r) => r.id);
  const cases: [string, () => Promise<void>][] = [
    ['no rollup triggers', () => setTriggers(sql, ALL_TRIGGERS, false)],
    ['daily rollups and duration histograms, per statement (migration 0070)', () => setTriggers(sql, ROLLUP_TRIGGERS, true)],
    ['and the quarter-hour running totals (migration 0071)', () => setTriggers(sql, QUARTER_TRIGGERS, true)],
    ['and the rollups by slice (migration 0082)', () => setTriggers(sql, SLICE_TRIGGERS, true)],
  ];
  // Rounds, each case in turn, so a busy moment of the shared machine falls on all of them alike.
  const ROUNDS = 5;
  const per = Math.floor(N / ROUNDS);
  const spent = cases.map(() => 0);
  let next = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, prepare]] of cases.entries()) {
      await prepare();
      const at = performance.now();
      for (const id of ids.slice(next, next + per)) await sql.query(`UPDATE tickets SET priority = priority % 5 + 1 WHERE id = '${id}'`);
      spent[i] += performance.now() - at;
      next += per;
    }
  }
  console.log(`\n| write: ${per * ROUNDS} resolved tickets' priority changed per case, one UPDATE each | ms per ticket |`);
  console.log('|---|---:|');
  for (const [i, [label]] of cases.entries()) console.log(`| ${label} | ${(spent[i] / (per * ROUNDS)).toFixed(3)} |`);
}

/** The statements a request ran, with their times, for the plans of the slow ones. */
interface Recorded {
  text: string;
  params: unknown[];
  ms: number;
}

/** The database as the service sees it, recording every statement it runs while `recording` is set. */
function recordingDb(database: Database): { db: Database['db']; take: (run: () => Promise<unknown>) => Promise<Recorded[]> } {
  let recording: Recorded[] | null = null;
  const dialect = (database.db as unknown as { dialect: { sqlToQuery: (q: SQL) => { sql: string; params: unknown[] } } }).dialect;
  const db = new Proxy(database.db, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'execute') return value;
      return async (query: SQL) => {
        const at = performance.now();
        const result = await value.call(target, query);
        if (recording) recording.push({ ...toText(dialect.sqlToQuery(query)), ms: performance.now() - at });
        return result;
      };
    },
  });
  const toText = (q: { sql: string; params: unknown[] }) => ({ text: q.sql, params: q.params });
  return {
    db,
    take: async (run) => {
      recording = [];
      await run();
      const taken = recording;
      recording = null;
      return taken;
    },
  };
}

/**
 * BENCH_KEEP_DATABASE=name (PostgreSQL): seed into that database once and keep it, and on later runs
 * read it again after bringing its migrations up to date (a new migration's backfill runs on the
 * seeded desk, as an upgrade would), so a million-ticket desk is seeded once while iterating.
 */
const KEPT_DATABASE = process.env.BENCH_KEEP_DATABASE;

async function openDatabase(engine: 'pglite' | 'postgres'): Promise<{ database: Database; cleanup: () => Promise<void>; kept: boolean }> {
  if (engine !== 'postgres' || !KEPT_DATABASE) return { ...(await openScratchDatabase(engine, 'kpis')), kept: false };
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [KEPT_DATABASE])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${KEPT_DATABASE}`);
  await admin.end();
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${KEPT_DATABASE}`;
  const database = await openPostgres(url.toString(), 4);
  const seeded =
    exists &&
    (
      await rawSql(database).query<{ seeded: boolean }>(
        `SELECT to_regclass('tickets') IS NOT NULL AND EXISTS (SELECT 1 FROM tickets) AS seeded`,
      )
    ).rows[0].seeded;
  return { database, cleanup: () => database.close(), kept: Boolean(seeded) };
}

const load = () =>
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (uptime: 1, 5, 15 min), ${os.cpus().length} cores`;

/**
 * Every request the dashboard makes (web/src/desk/dashboard: one per tile and series, all at once),
 * for the periods it offers and a partial one, every team / one team / with filters, in UTC and two
 * zones whose days are not UTC days. Each row: the request's median and p95 (rollups, the default);
 * the baseline rows (a SELECT 1 round trip, a ticket read by id) are measured in the same run.
 */
async function runOn(engine: 'pglite' | 'postgres'): Promise<void> {
  const { database, cleanup, kept } = await openDatabase(engine);
  try {
    const migratedAt = performance.now();
    await migrateDatabase(database);
    const sql = rawSql(database);
    if (kept)
      console.log(
        `\n${engine}: kept database ${KEPT_DATABASE}, migrations brought up to date in ${((performance.now() - migratedAt) / 1000).toFixed(1)} s`,
      );
    else {
      const seededAt = performance.now();
      await setTriggers(sql, ALL_TRIGGERS, false);
      const count = await seedKpiDesk(sql, TOTAL, console.log);
      await backfillRollups(sql);
      await setTriggers(sql, ALL_TRIGGERS, true);
      console.log(`\n${engine}: ${count} tickets seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    }
    const team = (await sql.query<{ id: string }>(`SELECT id FROM teams WHERE name = 'Network'`)).rows[0].id;
    const service = (await sql.query<{ id: string }>(`SELECT id FROM services ORDER BY name LIMIT 1`)).rows[0].id;
    const category = (await sql.query<{ id: string }>(`SELECT id FROM categories ORDER BY name LIMIT 1`)).rows[0].id;
    const ticketIds = (await sql.query<{ id: string }>(`SELECT id FROM tickets ORDER BY random() LIMIT 200`)).rows.map((r) => r.id);
    const { db, take } = recordingDb(database);
    // As the dashboard asks: periods that end at the next full hour; and one a person typed, off the hour.
    const now = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const periods: [string, KpiPeriod][] = [
      ['30 days', { from: new Date(now.getTime() - 30 * DAY), to: now }],
      ['12 months', { from: new Date(now.getTime() - 365 * DAY), to: now }],
      ['partial: 45 days from 10:37', { from: new Date(now.getTime() - 45 * DAY - 23 * 60_000), to: new Date(now.getTime() - 2 * DAY) }],
    ];
    const scopes: [string, KpiFilter][] = [
      ['every team', { teamIds: null }],
      ['one team', { teamIds: [team] }],
      ['one team, priorities 1–2', { teamIds: [team], priority: [1, 2] }],
      ['one service', { teamIds: null, serviceId: service }],
      ['one category, incidents', { teamIds: null, categoryId: category, kind: ['incident'] }],
    ];
    const zones = (process.env.BENCH_ZONES ?? 'UTC,Europe/Berlin,Asia/Kolkata').split(',');
    const baseline = async () => {
      let i = 0;
      const one = await measure(() => sql.query('SELECT 1'), 20, 200);
      const byId = await measure(() => sql.query(`SELECT * FROM tickets WHERE id = '${ticketIds[i++ % ticketIds.length]}'`), 20, 200);
      console.log(`\n| baseline (${load()}) | median ms | p95 ms |\n|---|---:|---:|`);
      console.log(`| SELECT 1 round trip | ${one.median.toFixed(2)} | ${one.p95.toFixed(2)} |`);
      console.log(`| a ticket read by id | ${byId.median.toFixed(2)} | ${byId.p95.toFixed(2)} |`);
    };
    await baseline();
    const slow: { label: string; run: () => Promise<unknown> }[] = [];
    // Per ticket too (the reference, slow at a million): every request if asked, else the series in zones whose days
    // are not UTC days (read per ticket before migration 0071) up to 100,000 tickets.
    const perTicketAll = process.env.BENCH_PER_TICKET === '1';
    const perTicket = perTicketAll || TOTAL <= 100_000;
    console.log(`\n| request | scope | period | median ms | p95 ms |${perTicket ? ' per ticket p95 ms |' : ''}`);
    console.log(`|---|---|---|---:|---:|${perTicket ? '---:|' : ''}`);
    for (const [periodLabel, period] of periods) {
      for (const [scopeLabel, filter] of scopes) {
        const row = async (label: string, run: (source: KpiSource) => Promise<unknown>) => {
          const r = await measure(() => run('rollups'), 3, 20);
          const zoned = label.startsWith('created-vs-resolved') && !label.endsWith('UTC');
          const p = perTicketAll || (perTicket && zoned) ? await measure(() => run('tickets'), 1, 5) : null;
          console.log(
            `| ${label} | ${scopeLabel} | ${periodLabel} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} |${perTicket ? ` ${p ? p.p95.toFixed(1) : '–'} |` : ''}`,
          );
          if (r.p95 > 200) slow.push({ label: `${label}, ${scopeLabel}, ${periodLabel}`, run: () => run('rollups') });
        };
        for (const kpi of KPI_IDS) {
          // Only created-vs-resolved has days; the other KPIs read the same whatever the zone.
          for (const zone of kpi === 'created-vs-resolved' ? zones : ['UTC'])
            await row(`${kpi}${kpi === 'created-vs-resolved' ? `, ${zone}` : ''}`, (source) =>
              computeKpiSql(db, kpi, filter, period, now, zone, source),
            );
        }
        await row(`**the whole dashboard (all KPIs, ${zones[zones.length - 1]})**`, (source) =>
          Promise.all(KPI_IDS.map((kpi) => computeKpiSql(db, kpi, filter, period, now, zones[zones.length - 1], source))),
        );
      }
    }
    await baseline();
    // The plans of the slow requests: each statement of one run, slowest first, as EXPLAIN ANALYZE shows it.
    for (const { label, run } of slow) {
      const statements = (await take(run)).sort((a, b) => b.ms - a.ms).slice(0, 2);
      for (const st of statements) {
        console.log(`\n### plan: ${label} (${st.ms.toFixed(1)} ms)\n`);
        const plan = await (sql as unknown as { query: (t: string, p: unknown[]) => Promise<{ rows: Record<string, string>[] }> }).query(
          `EXPLAIN (ANALYZE, BUFFERS) ${st.text}`,
          st.params,
        );
        console.log(plan.rows.map((r) => `    ${Object.values(r)[0]}`).join('\n'));
      }
    }
    if (Number(process.env.BENCH_WRITES ?? 500) > 0) await writeCost(sql);
  } finally {
    await cleanup();
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
for (const engine of engines) await runOn(engine);
