/**
 * The desk bench/lists.ts lists from: a PostgreSQL database `bench_lists_<tickets>` migrated and
 * seeded by bench/seed-kpi-desk.ts (100,000 tickets a statement, ten timeline events each), with
 * every user trigger of the written tables off during the seed (the KPI rollups and the live
 * announcements: the lists read neither, and a million rollup updates would double the seed).
 * The rollup tables stay empty: this desk is for lists, not for the dashboard (bench/kpis.ts).
 *
 * A seeded million takes tens of minutes, so with BENCH_LISTS_KEEP=1 the database is kept after
 * the run and the next run reuses it when it holds that many tickets.
 */
import pg from 'pg';
import { hashPassword } from '../server/src/adapters/secrets.js';
import { openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { ADMIN } from './firebreak-api.js';
import { BENCH_PG_URL } from './scratch-database.js';
import type { Sql } from './seed.js';
import { seedKpiDesk } from './seed-kpi-desk.js';

const SEEDED_TABLES = ['tickets', 'timeline_events', 'satisfaction_ratings'];

export interface ListsDesk {
  url: string;
  name: string;
  /** Drops the database, unless it is to be kept (BENCH_LISTS_KEEP=1). */
  cleanup: () => Promise<void>;
}

/** One statement on its own connection (CREATE/DROP DATABASE cannot share a pool's). */
export async function adminQuery<T = Record<string, unknown>>(text: string, url = BENCH_PG_URL): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** How many tickets a kept database holds, or null when there is none (or it is not a desk). */
async function ticketsIn(name: string): Promise<number | null> {
  const exists = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (exists.length === 0) return null;
  const rows = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM tickets`, urlOf(name)).catch(() => null);
  return rows ? Number(rows[0].n) : null;
}

export async function openListsDesk(
  tickets: number,
  options: { keep: boolean; eventsPerTicket: number; log: (line: string) => void },
): Promise<ListsDesk> {
  const name = `bench_lists_${tickets}`;
  const url = urlOf(name);
  const cleanup = async () => {
    if (!options.keep) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  if (options.keep && (await ticketsIn(name)) === tickets) {
    options.log(`  reusing ${name} (${tickets} tickets)`);
    // Migrations written since it was seeded (a new index) apply to it as to any upgraded desk.
    const database = await openPostgres(url, 2);
    await migrateDatabase(database).finally(() => database.close());
    await addAdmin(url);
    return { url, name, cleanup };
  }
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${name}`);
  const database = await openPostgres(url, 2);
  try {
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
  // One connection for the whole seed, so its session settings hold for every statement.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    for (const table of SEEDED_TABLES) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    const count = await seedKpiDesk(client as unknown as Sql, tickets, options.log, { eventsPerTicket: options.eventsPerTicket });
    for (const table of SEEDED_TABLES) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    const events = (await client.query<{ n: string }>(`SELECT count(*) AS n FROM timeline_events`)).rows[0].n;
    options.log(`  ${name}: ${count} tickets, ${events} timeline events seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
  await addAdmin(url);
  return { url, name, cleanup };
}

/**
 * The bench's admin (bench/firebreak-api.ts signs in as it): the server creates its first admin
 * only on a desk without people, and this desk has its seeded agents and requesters already.
 */
async function addAdmin(url: string): Promise<void> {
  const hash = await hashPassword(ADMIN.password);
  await adminQuery(
    `INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
     VALUES ('${ADMIN.email}', 'Bench admin', 'admin', '${hash}', now(), now()) ON CONFLICT DO NOTHING`,
    url,
  );
}
