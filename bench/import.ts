/**
 * Import from ServiceNow (issue 16): a generated event-log export of BENCH_IMPORT_ROWS rows
 * (default 150,000: 25,000 incidents of 6 updates each — opened, assigned, on hold, worked,
 * resolved, closed; one in ten reassigned, one in twenty reopened) imported through the real
 * service (`importServiceNow`, the CLI's path) into a fresh database, on PGlite and PostgreSQL.
 * Beside it, in the same run, the baseline: the same file read by the same CSV reader and its rows
 * written as plain multi-row INSERTs of text into a scratch table (no history, no tickets).
 * Shown: seconds, rows/s and the process's peak resident memory during each.
 *
 *   node --import tsx bench/import.ts        (BENCH_IMPORT_ROWS, BENCH_PG_URL, BENCH_ENGINES=pglite,postgres)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsv } from '../core/import/csv-source.js';
import { FakeClock } from '../server/src/adapters/clock.js';
import type { Database } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { importServiceNow } from '../server/src/services/servicenow-import.service.js';
import { SERVICENOW_EXPORT_COLUMNS, type ServiceNowExportRow, serviceNowCsvLine } from '../server/test/servicenow-export.js';
import { openScratchDatabase } from './scratch-database.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 150_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];

/** D/M/YYYY HH:mm, as the public ServiceNow event log writes its dates. */
function snDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** A seeded pseudo-random sequence, so every run imports the same file. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

async function generate(file: string, rows: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`${SERVICENOW_EXPORT_COLUMNS.join(',')}\n`);
  const rnd = random(42);
  const perIncident = 6;
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < Math.ceil(rows / perIncident); i++) {
    const number = `INC${String(1_000_000 + i).padStart(7, '0')}`;
    const opened = start + Math.floor(rnd() * 360 * 86_400_000);
    const group = `Group ${1 + Math.floor(rnd() * 60)}`;
    const other = `Group ${61 + Math.floor(rnd() * 20)}`;
    const resolver = `Resolver ${1 + Math.floor(rnd() * 200)}`;
    const reassigned = rnd() < 0.1;
    const reopened = rnd() < 0.05;
    const impact = 1 + Math.floor(rnd() * 3);
    const urgency = 1 + Math.floor(rnd() * 3);
    const base = {
      number,
      active: 'true',
      made_sla: rnd() < 0.9 ? 'true' : 'false',
      caller_id: `Caller ${Math.floor(rnd() * 5000)}`,
      opened_by: `Opened by ${Math.floor(rnd() * 200)}`,
      opened_at: snDate(opened),
      sys_created_by: 'Created by 1',
      sys_created_at: snDate(opened),
      contact_type: rnd() < 0.9 ? 'Phone' : 'IVR',
      location: `Location ${Math.floor(rnd() * 200)}`,
      category: `Category ${Math.floor(rnd() * 50)}`,
      subcategory: `Subcategory ${Math.floor(rnd() * 200)}`,
      u_symptom: `Symptom ${Math.floor(rnd() * 500)}`,
      cmdb_ci: '?',
      impact: `${impact} - ${['High', 'Medium', 'Low'][impact - 1]}`,
      urgency: `${urgency} - ${['High', 'Medium', 'Low'][urgency - 1]}`,
      priority: `${Math.min(4, impact + urgency - 1)} - ${['Critical', 'High', 'Moderate', 'Low'][Math.min(4, impact + urgency - 1) - 1]}`,
      knowledge: 'false',
      u_priority_confirmation: 'false',
      notify: 'Do Not Notify',
      problem_id: '?',
      rfc: '?',
      vendor: '?',
      caused_by: '?',
    } as Record<string, string>;
    const t = (h: number) => opened + h * 3_600_000;
    const steps: Record<string, string>[] = [
      { incident_state: 'New', sys_updated_at: snDate(t(0)), sys_updated_by: base.opened_by, assignment_group: '?', assigned_to: '?' },
      { incident_state: 'Active', sys_updated_at: snDate(t(1)), sys_updated_by: resolver, assignment_group: group, assigned_to: resolver },
      {
        incident_state: 'Awaiting User Info',
        sys_updated_at: snDate(t(3)),
        sys_updated_by: resolver,
        assignment_group: group,
        assigned_to: resolver,
      },
      reassigned
        ? {
            incident_state: 'Active',
            sys_updated_at: snDate(t(20)),
            sys_updated_by: resolver,
            assignment_group: other,
            assigned_to: '?',
            reassignment_count: '1',
          }
        : {
            incident_state: 'Active',
            sys_updated_at: snDate(t(20)),
            sys_updated_by: resolver,
            assignment_group: group,
            assigned_to: resolver,
          },
      {
        incident_state: 'Resolved',
        sys_updated_at: snDate(t(30)),
        sys_updated_by: resolver,
        resolved_by: resolver,
        resolved_at: snDate(t(30)),
        closed_code: 'code 5',
      },
      reopened
        ? { incident_state: 'Active', sys_updated_at: snDate(t(40)), sys_updated_by: resolver, reopen_count: '1' }
        : {
            incident_state: 'Closed',
            sys_updated_at: snDate(t(150)),
            sys_updated_by: 'system',
            resolved_by: resolver,
            resolved_at: snDate(t(30)),
            closed_at: snDate(t(150)),
            closed_code: 'code 5',
          },
    ];
    let carried: Record<string, string> = { reassignment_count: '0', reopen_count: '0', assignment_group: '?', assigned_to: '?' };
    for (let m = 0; m < steps.length; m++) {
      carried = { ...carried, ...steps[m] };
      const row: ServiceNowExportRow = { ...base, ...carried, sys_mod_count: String(m) };
      await write(`${serviceNowCsvLine(row)}\n`);
    }
  }
  await new Promise<void>((r) => out.end(r));
}

function peakRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** The baseline: the same rows, as read by the same reader, written as plain text rows 1,000 per INSERT. */
async function plainInsert(database: Database, file: string): Promise<number> {
  const q = (text: string, params?: unknown[]) =>
    database.raw.kind === 'pglite' ? database.raw.client.query(text, params) : database.raw.pool.query(text, params as unknown[]);
  await q(`CREATE TABLE bench_plain (${SERVICENOW_EXPORT_COLUMNS.map((c) => `${c} text`).join(', ')})`);
  let batch: string[][] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const params: string[] = [];
    const tuples = batch.map((r) => `(${r.map((v) => `$${params.push(v)}`).join(',')})`);
    await q(`INSERT INTO bench_plain VALUES ${tuples.join(',')}`, params);
    batch = [];
  };
  for await (const record of readCsv(fs.createReadStream(file, { highWaterMark: 256 * 1024 }))) {
    rows++;
    // 36 columns × 1,000 rows stays under PostgreSQL's 65,535 parameters.
    batch.push(SERVICENOW_EXPORT_COLUMNS.map((c) => record.values[c] ?? ''));
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return rows;
}

async function main(): Promise<void> {
  const file = path.join(os.tmpdir(), `firebreak-bench-import-${ROWS}.csv`);
  if (!fs.existsSync(file)) await generate(file, ROWS);
  const mb = fs.statSync(file).size / 1024 / 1024;
  console.log(`Import from ServiceNow: ${ROWS.toLocaleString('en')} rows (${mb.toFixed(1)} MB, event-log form, 6 rows per incident)`);
  console.log('| engine | what | seconds | rows/s | peak RSS MB |');
  console.log('|---|---|---:|---:|---:|');
  for (const engine of ENGINES) {
    {
      const { database, cleanup } = await openScratchDatabase(engine, 'import');
      try {
        await migrateDatabase(database);
        const rss = peakRss();
        const started = performance.now();
        const rows = await plainInsert(database, file);
        const s = (performance.now() - started) / 1000;
        console.log(
          `| ${engine} | baseline: plain INSERT of the rows | ${s.toFixed(1)} | ${Math.round(rows / s).toLocaleString('en')} | ${(rss.stop() / 1048576).toFixed(0)} |`,
        );
      } finally {
        await cleanup();
      }
    }
    const { database, cleanup } = await openScratchDatabase(engine, 'import');
    try {
      await migrateDatabase(database);
      const rss = peakRss();
      const started = performance.now();
      const report = await importServiceNow(
        { db: database.db, clock: new FakeClock('2026-01-05T09:00:00Z') },
        {
          open: () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
          dryRun: false,
          dateFormat: 'D/M/YYYY HH:mm',
          timeZone: 'UTC',
          holder: 'bench',
        },
      );
      const s = (performance.now() - started) / 1000;
      if (report.refused.length > 0 || report.created !== Math.ceil(ROWS / 6))
        throw new Error(`unexpected report: ${JSON.stringify({ ...report, refused: report.refused.slice(0, 3) })}`);
      console.log(
        `| ${engine} | import servicenow (${report.created.toLocaleString('en')} tickets) | ${s.toFixed(1)} | ${Math.round(report.rows / s).toLocaleString('en')} | ${(rss.stop() / 1048576).toFixed(0)} |`,
      );
    } finally {
      await cleanup();
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
