import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** An arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 7_240_318_001;

/**
 * Applies pending migrations. On PostgreSQL several processes may start together: a
 * session-level advisory lock lets the first migrate while the others wait, then find nothing
 * left to do. PGlite serves one process (guarded by the data folder's lock file).
 */
export async function migrateDatabase(database: Database, options: { upToWhen?: number } = {}): Promise<void> {
  if (options.upToWhen !== undefined) {
    const folder = migrationsUpTo(options.upToWhen);
    try {
      return await migrateFrom(database, folder);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
  return migrateFrom(database, MIGRATIONS_FOLDER);
}

async function migrateFrom(database: Database, migrationsFolder: string): Promise<void> {
  if (database.raw.kind === 'pglite') {
    await migratePglite(drizzlePglite(database.raw.client), { migrationsFolder });
    return;
  }
  const client = await database.raw.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

function readJournal(): { entries: JournalEntry[] } {
  return JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
}

/** The level this version of Firebreak migrates to: how many migrations, and the last one's `when`. */
export function latestMigrationLevel(): { count: number; when: number } {
  const { entries } = readJournal();
  return { count: entries.length, when: entries.at(-1)?.when ?? 0 };
}

/**
 * A copy of the migrations folder whose journal stops at `when` (a restore first builds the
 * schema its backup was taken at, loads it, then migrates on). Refuses a level not in the journal.
 */
function migrationsUpTo(when: number): string {
  const journal = readJournal();
  const last = journal.entries.findIndex((e) => e.when === when);
  if (last < 0 && when !== 0) throw new Error(`migration level ${when} is not one this version of Firebreak knows`);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-migrations-'));
  fs.mkdirSync(path.join(folder, 'meta'));
  const entries = journal.entries.slice(0, last + 1);
  fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  return folder;
}
