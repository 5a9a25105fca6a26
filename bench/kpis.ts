/**
 * The dashboard's KPIs over a desk of 100,000 or 1,000,000 tickets (issue 16: p95 under 200 ms),
 * read as the reports API reads them (the daily rollups, the default) beside the per-ticket
 * queries that read every ticket of the period (the baseline), in the same run — through the
 * service function the reports API calls (no HTTP, so the figure is the query's).
 *
 *   node --import tsx bench/kpis.ts       (BENCH_TICKETS=1000000, BENCH_ENGINES=postgres to choose)
 *
 * Precomputed: the KPI facts the ticket-change pipeline keeps on each ticket row (migration 0051)
 * and, from them, the daily rollups (kpi_daily_rollups, migration 0058: counts and sums per UTC day
 * and team, service, category, priority, kind) with, for the medians, per-month duration histograms
 * (migration 0062: the median's bucket from the counts, then only that bucket's tickets, exact),
 * kept by triggers in each writer's transaction. The write cost of those triggers is measured last.
 * The seed writes tickets with SQL generate_series (a desk as an old database held it, the rollup
 * triggers off), then runs migration 0051's and 0058's backfills (timed), as an upgrade would.
 * Rollup cases run 3 times to warm up, then 20 times; the per-ticket baseline 1 + 5 times (it is
 * slow at a million); the median and the 95th percentile of the timed runs are shown.
 */
import fs from 'node:fs';
import { weekdayCalendar } from '../core/business-calendar.js';
import { KPI_IDS } from '../core/kpis/catalogue.js';
import type { KpiFilter, KpiPeriod } from '../core/kpis/kpi-ticket.js';
import type { Database } from '../server/src/db/client.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../server/src/db/migrate.js';
import { computeKpiSql, type KpiSource } from '../server/src/services/reports.service.js';
import { openScratchDatabase } from './scratch-database.js';
import { type Sql, seedTickets } from './seed.js';

const TOTAL = Number(process.env.BENCH_TICKETS ?? 100_000);
const DAY = 86_400_000;
const ROLLUP_TRIGGERS = [
  ['tickets', 'kpi_rollups_on_ticket_insert_delete'],
  ['tickets', 'kpi_rollups_on_ticket_update'],
  ['satisfaction_ratings', 'kpi_rollups_on_rating'],
];

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

/** What the pipeline would have kept and written over two years: counters, SLA policies and breaches, ratings, major incidents. */
async function seedKpiFacts(sql: Sql): Promise<void> {
  const office = weekdayCalendar('Europe/London', [{ start: 9 * 60, end: 17 * 60 }]);
  const [calendar] = (
    await sql.query<{ id: string }>(
      `INSERT INTO business_calendars (name, time_zone, week, holidays, created_at)
       VALUES ('Office', 'Europe/London', '${JSON.stringify(office.week)}', '[]', now()) RETURNING id`,
    )
  ).rows;
  const [policy] = (
    await sql.query<{ id: string }>(
      `INSERT INTO sla_policies (name, position, match, calendar_id, resolution_minutes, pause_on_hold_reasons, created_at)
       VALUES ('Office hours', 1, '{}', '${calendar.id}', 960, '[]', now()) RETURNING id`,
    )
  ).rows;
  // Answered after a minute to about 18 hours (log-uniform), as desks answer: the seed's fixed 20 minutes
  // would put every ticket in one histogram bucket.
  await sql.query(`UPDATE tickets SET first_response_at = LEAST(opened_at + exp(random() * 7) * interval '1 minute',
      coalesce(resolved_at, 'infinity')) WHERE first_response_at IS NOT NULL`);
  await sql.query(`UPDATE tickets SET
      reassignment_count = CASE WHEN random() < 0.2 THEN 1 + floor(random() * 3)::int ELSE 0 END,
      reopen_count = CASE WHEN random() < 0.05 THEN 1 ELSE 0 END,
      staff_reply_count = floor(random() * 4)::int,
      sla_policy_id = CASE WHEN random() < 0.6 THEN '${policy.id}'::uuid END,
      major_since = CASE WHEN random() < 0.001 THEN opened_at + interval '10 minutes' END`);
  await sql.query(`INSERT INTO timeline_events (ticket_id, type, actor_id, at, internal, data)
      SELECT id, 'sla_breached', NULL, opened_at + interval '16 hours', true, '{}'::jsonb
      FROM tickets WHERE sla_policy_id IS NOT NULL AND random() < 0.15`);
  await sql.query(`INSERT INTO satisfaction_ratings (ticket_id, user_id, rating, answered_at, changed_at)
      SELECT id, requester_id, 1 + floor(random() * 5)::int, closed_at, closed_at
      FROM tickets WHERE state = 'closed' AND random() < 0.2`);
  // What migrations 0051 and 0058 do to an existing desk: the KPI facts from the timelines and
  // calendars, then the daily rollups from the facts.
  await timed(
    'migration 0051 backfill (KPI facts)',
    backfillOf('0051_reports_precomputed_and_saved.sql', /^\s*(--.*\n)*\s*UPDATE "tickets"/),
    sql,
  );
  await timed('migration 0058 backfill (daily rollups)', backfillOf('0058_kpi_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily/), sql);
  await timed(
    'migration 0062 backfill (duration histograms)',
    backfillOf('0062_kpi_duration_buckets.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_monthly/),
    sql,
  );
  // The UPDATEs above rewrote every row: vacuum, as autovacuum would have long since on a live desk.
  await sql.query('VACUUM ANALYZE');
  for (const table of [
    'kpi_daily_team_rollups',
    'kpi_daily_rollups',
    'kpi_monthly_team_duration_buckets',
    'kpi_monthly_duration_buckets',
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

/** A statement of a migration (the first that `pattern` finds), made replaceable. */
function statementOf(file: string, pattern: RegExp): string {
  const [statement] = backfillOf(file, pattern);
  return statement.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
}

/**
 * What the rollup triggers cost a writer: the same change (each resolved ticket's priority moved,
 * the worst case: every rollup row and histogram bucket of the ticket taken away and counted again),
 * one ticket per statement as the pipeline writes, without rollup triggers, with migration 0058's
 * (sums and counts) and with 0062's (also the duration histograms). Different tickets each time.
 */
async function writeCost(sql: Sql): Promise<void> {
  const N = Number(process.env.BENCH_WRITES ?? 500);
  const ids = (
    await sql.query<{ id: string }>(`SELECT id FROM tickets WHERE state IN ('resolved', 'closed') ORDER BY id LIMIT ${3 * N}`)
  ).rows.map((r) => r.id);
  const withHistograms = statementOf('0062_kpi_duration_buckets.sql', /CREATE OR REPLACE FUNCTION kpi_rollups_on_ticket\(\)/);
  const sumsOnly = statementOf('0058_kpi_rollups.sql', /CREATE FUNCTION kpi_rollups_on_ticket\(\)/);
  const cases: [string, () => Promise<void>][] = [
    [
      'no rollup triggers',
      async () => {
        for (const [table, trigger] of ROLLUP_TRIGGERS) await sql.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
      },
    ],
    [
      'rollup triggers, sums and counts only (migration 0058)',
      async () => {
        for (const [table, trigger] of ROLLUP_TRIGGERS) await sql.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
        await sql.query(sumsOnly);
      },
    ],
    [
      'rollup triggers with duration histograms (migration 0062)',
      async () => {
        await sql.query(withHistograms);
      },
    ],
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

const SOURCES: [KpiSource, number, number][] = [
  ['rollups', 3, 20],
  ['tickets', 1, 5],
];

async function runOn(engine: 'pglite' | 'postgres'): Promise<void> {
  const { database, cleanup } = await openScratchDatabase(engine, 'kpis');
  try {
    await migrateDatabase(database);
    const seededAt = performance.now();
    const sql = rawSql(database);
    for (const [table, trigger] of ROLLUP_TRIGGERS) await sql.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
    const count = await seedTickets(sql, TOTAL);
    await seedKpiFacts(sql);
    for (const [table, trigger] of ROLLUP_TRIGGERS) await sql.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
    console.log(`\n${engine}: ${count} tickets seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    const team = (await sql.query<{ id: string }>(`SELECT id FROM teams WHERE name = 'Network'`)).rows[0].id;
    // As the dashboard asks: periods that end at the next full hour.
    const now = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const periods: [string, KpiPeriod][] = [
      ['30 days', { from: new Date(now.getTime() - 30 * DAY), to: now }],
      ['12 months', { from: new Date(now.getTime() - 365 * DAY), to: now }],
    ];
    const scopes: [string, KpiFilter][] = [
      ['every team', { teamIds: null }],
      ['one team', { teamIds: [team] }],
    ];
    console.log('| KPI | scope | period | rollups median ms | rollups p95 ms | per ticket (baseline) p95 ms |');
    console.log('|---|---|---|---:|---:|---:|');
    for (const [periodLabel, period] of periods) {
      for (const [scopeLabel, filter] of scopes) {
        const row = async (label: string, run: (source: KpiSource) => Promise<unknown>) => {
          const r = [];
          for (const [source, warmups, runs] of SOURCES) r.push(await measure(() => run(source), warmups, runs));
          console.log(
            `| ${label} | ${scopeLabel} | ${periodLabel} | ${r[0].median.toFixed(1)} | ${r[0].p95.toFixed(1)} | ${r[1].p95.toFixed(1)} |`,
          );
        };
        for (const kpi of KPI_IDS) await row(kpi, (source) => computeKpiSql(database.db, kpi, filter, period, now, 'UTC', source));
        // A time zone whose days are not UTC days (London in summer): created-vs-resolved falls back to the tickets.
        await row('created-vs-resolved, Europe/London (per ticket in both)', (source) =>
          computeKpiSql(database.db, 'created-vs-resolved', filter, period, now, 'Europe/London', source),
        );
        await row('**the whole dashboard (all KPIs, UTC)**', (source) =>
          Promise.all(KPI_IDS.map((kpi) => computeKpiSql(database.db, kpi, filter, period, now, 'UTC', source))),
        );
      }
    }
    await writeCost(sql);
  } finally {
    await cleanup();
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
for (const engine of engines) await runOn(engine);
