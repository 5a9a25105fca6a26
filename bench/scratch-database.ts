import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from '../server/src/db/client.js';

/** The benches' PostgreSQL server (a throwaway database is made there for each run). */
export const BENCH_PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * An empty database on the engine asked for, just for one bench run: a PGlite folder in the
 * system's temporary folder, or a PostgreSQL database named after `label` and this process.
 * `cleanup` closes it and removes the folder or drops the database. Not migrated: the bench does.
 * `connections`: the PostgreSQL pool's size (a bench of many concurrent writers wants more).
 * `url`: the PostgreSQL database's address, for a server process the bench starts on it (null on PGlite).
 */
export async function openScratchDatabase(
  engine: 'pglite' | 'postgres',
  label: string,
  connections = 4,
): Promise<{ database: Database; url: string | null; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `firebreak-bench-${label}-`));
    const database = await openPglite(dir);
    return {
      database,
      url: null,
      cleanup: async () => {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `firebreak_bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), connections);
  return {
    database,
    url: url.toString(),
    cleanup: async () => {
      await database.close();
      // The pool's end() resolves before its sockets have closed: a FORCE drop would then cut
      // connections that are on their way out, and the pool reports each as a failed connection
      // (an error line at the end of every bench on PostgreSQL). Wait for them to be gone first.
      for (let waited = 0; waited < 5_000; waited += 20) {
        const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
