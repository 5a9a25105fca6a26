import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { testEngine } from './database.js';
import { withDatabase } from './global-setup.js';

/**
 * Where a server process under test keeps its data: a fresh PostgreSQL database on the engine
 * under test, or a fresh PGlite folder. Removing it is pushed onto `cleanups`, run after the file.
 */
export async function freshServerStorage(label: string, cleanups: (() => Promise<void> | void)[]): Promise<Record<string, string>> {
  if (testEngine() === 'postgres') {
    const adminUrl = inject('postgresAdminUrl');
    const name = `firebreak_${label}_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    return { DATABASE_URL: withDatabase(adminUrl, name) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `firebreak-${label}-`));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { FIREBREAK_DATA_DIR: dir };
}
