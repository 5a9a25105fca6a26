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
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.raw.kind === 'pglite') {
    await migratePglite(drizzlePglite(database.raw.client), { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = await database.raw.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
