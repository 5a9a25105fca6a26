/**
 * Export, backup and restore (issue 16), on PGlite and PostgreSQL.
 *
 *   node --import tsx bench/export.ts     (BENCH_EXPORT_TICKETS, default 100,000; BENCH_ENGINES)
 *
 * Export: every ticket through the same service the API streams (`exportTickets`, keyset pages of
 * 500), as CSV and as JSON lines with timelines, written to a counting sink; rows/s and the
 * process's peak RSS while it runs. Baseline in the same run: one plain SELECT of the same rows
 * (which holds them all at once). Backup and restore: the demo desk, backed up to a gzip'd file
 * and restored into a new, empty database of the same engine; baseline: a plain SELECT * of every
 * table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../server/src/adapters/clock.js';
import { backupToFile, restoreFromFile } from '../server/src/cli-data.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { loadDemoData } from '../server/src/demo/demo-data.js';
import { TICKET_CSV_HEADER, ticketCsvLine, ticketJsonLine } from '../server/src/http/presenters/ticket-export.presenter.js';
import { listTables } from '../server/src/repositories/backup.repository.js';
import { exportTickets } from '../server/src/services/ticket-export.service.js';
import { openScratchDatabase } from './scratch-database.js';
import { type Sql, seedTickets } from './seed.js';

const TOTAL = Number(process.env.BENCH_EXPORT_TICKETS ?? 100_000);
const ADMIN = { id: '00000000-0000-0000-0000-000000000000', role: 'admin' as const };
const MB = 1024 * 1024;

/** Runs `work` while sampling the process's RSS every 20 ms: seconds taken and the peak. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number; startMb: number }> {
  const startMb = process.memoryUsage().rss / MB;
  let peak = startMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / MB);
  }, 20);
  const began = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss / MB);
    return { result, seconds: (performance.now() - began) / 1000, peakMb: peak, startMb };
  } finally {
    clearInterval(timer);
  }
}

function row(what: string, count: number, m: { seconds: number; peakMb: number; startMb: number }, extra = '') {
  const rate = count > 0 ? Math.round(count / m.seconds).toLocaleString('en') : '–';
  console.log(
    `| ${what} | ${count.toLocaleString('en')} | ${m.seconds.toFixed(2)} | ${rate} | ${m.startMb.toFixed(0)} → ${m.peakMb.toFixed(0)} | ${extra} |`,
  );
}

async function benchExport(engine: 'pglite' | 'postgres'): Promise<void> {
  const { database, cleanup } = await openScratchDatabase(engine, 'export');
  try {
    await migrateDatabase(database);
    const sql = (database.raw.kind === 'pglite' ? database.raw.client : database.raw.pool) as unknown as Sql;
    const seededAt = performance.now();
    const count = await seedTickets(sql, TOTAL);
    // The seed draws times in SQL (microseconds); the application writes JavaScript Dates
    // (milliseconds), and a page's cursor holds milliseconds: so do the seeded tickets.
    await sql.query(
      `UPDATE tickets SET opened_at = date_trunc('milliseconds', opened_at), updated_at = date_trunc('milliseconds', updated_at)`,
    );
    await sql.query('VACUUM ANALYZE tickets');
    console.log(`\n${engine}: ${count.toLocaleString('en')} tickets seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    console.log('| case | tickets | s | tickets/s | RSS MB (start → peak) | output |');
    console.log('|---|---:|---:|---:|---|---|');
    for (const format of ['csv', 'jsonl'] as const) {
      let bytes = 0;
      const m = await measured(async () => {
        let n = 0;
        if (format === 'csv') bytes += Buffer.byteLength(TICKET_CSV_HEADER);
        const pages = await exportTickets(database.db, ADMIN, { sort: 'openedAt' }, { timelines: format === 'jsonl' });
        for await (const page of pages) {
          n += page.length;
          // Counted the way a socket would take it: one string per page, then dropped.
          bytes += Buffer.byteLength(page.map(format === 'csv' ? ticketCsvLine : ticketJsonLine).join(''));
        }
        return n;
      });
      row(`export ${format === 'csv' ? 'CSV' : 'JSON lines + timelines'}`, m.result, m, `${(bytes / MB).toFixed(1)} MB`);
      if (m.result !== count) console.log(`| **wrong: exported ${m.result} of ${count} tickets** | | | | | |`);
    }
    const baseline = await measured(async () => {
      const result = await database.db.execute('SELECT * FROM tickets ORDER BY opened_at, id');
      return (result as unknown as { rows: unknown[] }).rows.length;
    });
    row('baseline: one plain SELECT of the same rows (all in memory)', baseline.result, baseline);
  } finally {
    await cleanup();
  }
}

async function benchBackup(engine: 'pglite' | 'postgres'): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-backup-'));
  const file = path.join(dir, 'demo.backup.gz');
  const source = await openScratchDatabase(engine, 'backup_src');
  const target = await openScratchDatabase(engine, 'backup_dst');
  try {
    await migrateDatabase(source.database);
    const loadedAt = performance.now();
    await loadDemoData({ db: source.database.db, clock: systemClock });
    console.log(`\n${engine}: demo desk loaded in ${((performance.now() - loadedAt) / 1000).toFixed(1)} s`);
    console.log('| case | rows | s | rows/s | RSS MB (start → peak) | file |');
    console.log('|---|---:|---:|---:|---|---|');
    const backup = await measured(() => backupToFile(source.database, systemClock, file));
    row('backup (gzip’d file)', backup.result.rows, backup, `${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
    const restore = await measured(() => restoreFromFile(target.database, file, { force: false }));
    row('restore into an empty database (schema built, loaded, keys checked)', restore.result.rows, restore);
    const baseline = await measured(async () => {
      let rows = 0;
      for (const table of await listTables(source.database.db)) {
        const result = await source.database.db.execute(`SELECT * FROM "${table}"`);
        rows += (result as unknown as { rows: unknown[] }).rows.length;
      }
      return rows;
    });
    row('baseline: plain SELECT * of every table', baseline.result, baseline);
  } finally {
    await source.cleanup();
    await target.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
for (const engine of engines) {
  await benchExport(engine);
  await benchBackup(engine);
}
