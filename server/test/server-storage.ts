import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { testEngine } from './database.js';
import { withDatabase } from './global-setup.js';

/**
 * Where a server process under test keeps its data, already migrated (a clone of the run's
 * template, made once by global-setup): a new PostgreSQL database made from the template
 * database, or a copy of a migrated PGlite data folder. Migrating from nothing costs every
 * server start 5–10 s of a busy machine's CPU (PGlite) or a few seconds (PostgreSQL); a clone
 * costs well under one. The server still migrates on start (nothing is left to do) and creates
 * its first admin, as on any first start. Removing it is pushed onto `cleanups`, run after the
 * file. A test of a start on an empty data folder makes its own (main.process.test.ts).
 */
export async function freshServerStorage(label: string, cleanups: (() => Promise<void> | void)[]): Promise<Record<string, string>> {
  if (testEngine() === 'postgres') {
    const adminUrl = inject('postgresAdminUrl');
    const name = `firebreak_${label}_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplateDatabase')}`);
    } finally {
      await client.end();
    }
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
  fs.cpSync(await migratedDataFolder(), dir, { recursive: true });
  return { FIREBREAK_DATA_DIR: dir };
}

/**
 * A PGlite data folder made once per test run from the migrated template (global-setup), kept
 * next to the template and shared by every file that starts servers; built aside and renamed
 * into place, so two files starting at once never copy a half-made one.
 */
async function migratedDataFolder(): Promise<string> {
  const template = inject('pgliteTemplatePath');
  const folder = path.join(path.dirname(template), 'data-folder');
  if (fs.existsSync(folder)) return folder;
  const staging = `${folder}.${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(staging, { recursive: true });
  const client = await PGlite.create({ dataDir: path.join(staging, 'pglite'), loadDataDir: new Blob([fs.readFileSync(template)]) });
  await client.close();
  try {
    fs.renameSync(staging, folder);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(folder)) throw err;
  }
  return folder;
}
