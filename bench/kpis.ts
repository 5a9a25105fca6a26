/**
 * The dashboard's KPIs over a desk of 100,000 tickets (issue 16), beside a plain count of the
 * same period's resolved tickets as the baseline — through the same service function the reports
 * API calls (no HTTP, so the figure is the query's), on PGlite and PostgreSQL.
 *
 *   node --import tsx bench/kpis.ts            (both engines; BENCH_TICKETS to change the size)
 *
 * Precomputed: the KPI facts the ticket-change pipeline keeps on each ticket row — the counters
 * (reassignment_count, reopen_count, staff_reply_count), the business hours to first response and
 * to resolution (business_acknowledge_ms, business_resolve_ms) and the SLA breach flag
 * (sla_breached) — so no timeline is replayed and no calendar walked per request. The seed writes
 * tickets and breach notes in SQL as an old database held them, then runs migration 0051's backfill
 * (timed). "before:" rows are the same KPIs computed as they were before 0051 (bench/kpis-before.ts).
 * Each case runs 3 times to warm up, then 20 times; the median and the 95th percentile are shown.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { weekdayCalendar } from '../core/business-calendar.js';
import { KPI_IDS, type KpiId } from '../core/kpis/catalogue.js';
import type { KpiFilter } from '../core/kpis/kpi-ticket.js';
import { type Database, openPglite, openPostgres } from '../server/src/db/client.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../server/src/db/migrate.js';
import { computeKpiSql } from '../server/src/services/reports.service.js';
import { durationBefore, slaComplianceBefore } from './kpis-before.js';
import { type Sql, seedTickets } from './seed.js';

const TOTAL = Number(process.env.BENCH_TICKETS ?? 100_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY = 86_400_000;

function rawSql(database: Database): Sql {
  return database.raw.kind === 'pglite' ? (database.raw.client as unknown as Sql) : (database.raw.pool as unknown as Sql);
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
  // What migration 0051 does to an existing desk: fill the KPI facts from the timelines and calendars.
  const backfillAt = performance.now();
  const statements = fs
    .readFileSync(`${MIGRATIONS_FOLDER}/0051_reports_precomputed_and_saved.sql`, 'utf8')
    .split('--> statement-breakpoint')
    .filter((statement) => /^\s*(--.*\n)*\s*UPDATE "tickets"/.test(statement));
  for (const statement of statements) await sql.query(statement);
  console.log(`migration 0051 backfill: ${((performance.now() - backfillAt) / 1000).toFixed(1)} s`);
  // The UPDATEs above rewrote every row: vacuum, as autovacuum would have long since on a live desk.
  await sql.query('VACUUM ANALYZE');
}

async function measure(run: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[10], p95: times[18] };
}

async function runOn(engine: 'pglite' | 'postgres'): Promise<void> {
  let database: Database;
  let cleanup: () => Promise<void>;
  if (engine === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-kpis-'));
    database = await openPglite(dir);
    cleanup = async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const name = `firebreak_bench_kpis_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    database = await openPostgres(url.toString(), 4);
    cleanup = async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  try {
    await migrateDatabase(database);
    const seededAt = performance.now();
    const sql = rawSql(database);
    const count = await seedTickets(sql, TOTAL);
    await seedKpiFacts(sql);
    console.log(`\n${engine}: ${count} tickets seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    const team = (await sql.query<{ id: string }>(`SELECT id FROM teams WHERE name = 'Network'`)).rows[0].id;
    const now = new Date();
    const periods = [
      ['30 days', { from: new Date(now.getTime() - 30 * DAY), to: now }],
      ['12 months', { from: new Date(now.getTime() - 365 * DAY), to: now }],
    ] as const;
    const scopes: [string, KpiFilter][] = [
      ['every team', { teamIds: null }],
      ['one team', { teamIds: [team] }],
    ];
    console.log('| KPI | scope | period | median ms | p95 ms |');
    console.log('|---|---|---|---:|---:|');
    for (const [periodLabel, period] of periods) {
      const baseline = await measure(() =>
        sql.query(
          `SELECT count(*) FROM tickets WHERE resolved_at >= '${period.from.toISOString()}' AND resolved_at < '${period.to.toISOString()}'`,
        ),
      );
      console.log(
        `| baseline: count of resolved tickets | every team | ${periodLabel} | ${baseline.median.toFixed(1)} | ${baseline.p95.toFixed(1)} |`,
      );
      for (const [scopeLabel, filter] of scopes) {
        const all: number[] = [];
        const before = {
          'time-to-acknowledge': () => durationBefore(database.db, filter, period, 'acknowledge'),
          'time-to-resolve': () => durationBefore(database.db, filter, period, 'resolve'),
          'sla-compliance': () => slaComplianceBefore(database.db, filter, period),
        };
        for (const [kpi, run] of Object.entries(before)) {
          const r = await measure(run);
          console.log(`| before: ${kpi} | ${scopeLabel} | ${periodLabel} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} |`);
        }
        for (const kpi of KPI_IDS as readonly KpiId[]) {
          const r = await measure(() => computeKpiSql(database.db, kpi, filter, period, now, 'Europe/London'));
          all.push(r.p95);
          console.log(`| ${kpi} | ${scopeLabel} | ${periodLabel} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} |`);
        }
        const whole = await measure(() =>
          Promise.all(KPI_IDS.map((kpi) => computeKpiSql(database.db, kpi, filter, period, now, 'Europe/London'))),
        );
        console.log(
          `| **the whole dashboard (all KPIs)** | ${scopeLabel} | ${periodLabel} | ${whole.median.toFixed(1)} | ${whole.p95.toFixed(1)} |`,
        );
      }
    }
  } finally {
    await cleanup();
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
for (const engine of engines) await runOn(engine);
