/**
 * `node --import tsx bench/sla-reapply.ts`: what an admin waits for when an SLA policy is
 * created or changed on a big desk, now that every open ticket gets its clocks recomputed in
 * that transaction. Seeds BENCH_SLA_TICKETS (50,000) tickets, about a fifth open, on PGlite
 * (in memory) or, with BENCH_PG_URL set, on a fresh PostgreSQL database; then times creating a
 * business-hours policy that matches every ticket, and changing its resolution target.
 */
import pg from 'pg';
import { weekdayCalendar } from '../core/business-calendar.js';
import { systemClock } from '../server/src/adapters/clock.js';
import { type Database, openPglite, openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { createCalendar, createSlaPolicy, updateSlaPolicyById } from '../server/src/services/sla.service.js';
import { type Sql, seedTickets } from './seed.js';

const TICKETS = Number(process.env.BENCH_SLA_TICKETS ?? 50_000);
const PG_URL = process.env.BENCH_PG_URL;

async function open(): Promise<{ database: Database; sql: Sql; drop: () => Promise<void> }> {
  if (!PG_URL) {
    const database = await openPglite('memory');
    if (database.raw.kind !== 'pglite') throw new Error('expected PGlite');
    const client = database.raw.client;
    return { database, sql: { query: async (text) => client.query(text) as never }, drop: async () => {} };
  }
  const name = `firebreak_bench_sla_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 4);
  if (database.raw.kind !== 'postgres') throw new Error('expected PostgreSQL');
  const pool = database.raw.pool;
  return {
    database,
    sql: { query: async (text) => pool.query(text) as never },
    drop: async () => {
      const dropper = new pg.Client({ connectionString: PG_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

async function main() {
  const { database, sql, drop } = await open();
  try {
    await migrateDatabase(database);
    await seedTickets(sql, TICKETS);
    const open = (
      await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE state IN ('new','assigned','in_progress','on_hold')`)
    ).rows[0].n;
    const deps = { db: database.db, clock: systemClock };
    const calendar = await createCalendar(deps, {
      name: 'Office hours',
      ...weekdayCalendar('Europe/Berlin', [{ start: 8 * 60, end: 18 * 60 }]),
    });
    // Wall time is what the admin waits; the process's CPU time (all of it on PGlite, ours only on
    // PostgreSQL) is steadier on a shared machine.
    let t = performance.now();
    let cpu = process.cpuUsage();
    const policy = await createSlaPolicy(deps, {
      name: 'Everything',
      calendarId: calendar.id,
      firstResponseMinutes: 240,
      resolutionMinutes: 3 * 10 * 60,
    });
    const created = performance.now() - t;
    const createdCpu = process.cpuUsage(cpu);
    t = performance.now();
    cpu = process.cpuUsage();
    await updateSlaPolicyById(deps, policy.id, { resolutionMinutes: 2 * 10 * 60 });
    const changed = performance.now() - t;
    const changedCpu = process.cpuUsage(cpu);
    const seconds = (c: NodeJS.CpuUsage) => ((c.user + c.system) / 1e6).toFixed(2);
    const due = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE sla_due_at IS NOT NULL`)).rows[0].n;
    console.log(
      `${database.kind}: ${TICKETS} tickets, ${open} open (${due} with a due time after):` +
        ` create policy ${(created / 1000).toFixed(2)} s (CPU here ${seconds(createdCpu)} s),` +
        ` change its target ${(changed / 1000).toFixed(2)} s (CPU here ${seconds(changedCpu)} s)`,
    );
  } finally {
    await database.close();
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
