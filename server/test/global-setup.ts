import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../src/db/client.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../src/db/migrate.js';

/**
 * Migrates once per run, then every test file clones the result: PGlite from a dumped data
 * folder, PostgreSQL from a template database. DATABASE_URL selects PostgreSQL (the server it
 * names is where throwaway test databases are created); without it, tests use PGlite.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    testEngine: 'pglite' | 'postgres';
    pgliteTemplatePath: string;
    postgresAdminUrl: string;
    postgresTemplateDatabase: string;
    /** Set by the database and http projects (vitest.config.ts), whose files share modules: see server/test/pglite-reuse.ts. */
    reusePglite?: boolean;
  }
}

interface Template {
  provided: { [K in keyof ProvidedContext]: ProvidedContext[K] };
  remove: () => Promise<void> | void;
}

/**
 * Each project that needs a database (database, http, process, e2e) names this setup, and vitest
 * runs it once per project; they all run in vitest's one main process, so the first makes the
 * template and the others share it (migrating costs seconds of a busy machine's CPU). The last
 * project's teardown removes PostgreSQL's template database; PGlite's dump is kept for the next
 * run (cachedPgliteTemplate).
 */
const shared = globalThis as typeof globalThis & { firebreakTestTemplate?: { template: Promise<Template>; users: number } };

export default async function setup(project: TestProject) {
  shared.firebreakTestTemplate ??= { template: makeTemplate(), users: 0 };
  const entry = shared.firebreakTestTemplate;
  entry.users += 1;
  const template = await entry.template;
  for (const [key, value] of Object.entries(template.provided)) project.provide(key as keyof ProvidedContext, value as never);
  return async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    shared.firebreakTestTemplate = undefined;
    await template.remove();
  };
}

async function makeTemplate(): Promise<Template> {
  const url = process.env.DATABASE_URL;
  if (url) {
    // Named per run so that two checkouts can run their suites against one server at once.
    const TEMPLATE_DATABASE = `firebreak_test_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const template = await openPostgres(withDatabase(url, TEMPLATE_DATABASE), 2);
    await migrateDatabase(template);
    await template.close();
    return {
      provided: { testEngine: 'postgres', postgresAdminUrl: url, postgresTemplateDatabase: TEMPLATE_DATABASE, pgliteTemplatePath: '' },
      remove: async () => {
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  return {
    provided: {
      testEngine: 'pglite',
      pgliteTemplatePath: await cachedPgliteTemplate(),
      postgresAdminUrl: '',
      postgresTemplateDatabase: '',
    },
    remove: () => {},
  };
}

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Inside node_modules: a fresh install (CI's `npm ci`) starts without it. */
const PGLITE_TEMPLATES = path.join(ROOT, 'node_modules', '.cache', 'firebreak-test-template');
const KEEP_OLDER_TEMPLATES = 3;

/** What a migrated template depends on: the migrations, the code that applies them, and the locked PGlite. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(ROOT, full));
        hash.update(fs.readFileSync(full));
      }
    }
  };
  walk(MIGRATIONS_FOLDER);
  for (const file of ['server/src/db/migrate.ts', 'server/src/db/client.ts', 'package-lock.json'])
    hash.update(fs.readFileSync(path.join(ROOT, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The migrated PGlite template (a dump of its data folder), kept between runs while the
 * migrations stay the same: migrating from nothing costs about 4 s of CPU before any test can
 * start, on every `npm run test:fast`. Made aside and renamed into place, so two runs at once
 * never read a half-written one; files never write to it (each clones it). The few newest are kept.
 */
async function cachedPgliteTemplate(): Promise<string> {
  const dir = path.join(PGLITE_TEMPLATES, migrationsHash());
  const file = path.join(dir, 'template.tar');
  if (fs.existsSync(file)) return file;
  const database = await openPglite('memory');
  await migrateDatabase(database);
  if (database.raw.kind !== 'pglite') throw new Error('unreachable');
  const dump = await database.raw.client.dumpDataDir('none');
  await database.close();
  const staging = `${dir}.${process.pid}-${Date.now()}`;
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, 'template.tar'), Buffer.from(await dump.arrayBuffer()));
  try {
    fs.renameSync(staging, dir);
  } catch (err) {
    // Another run made the same template first: use theirs.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(file)) throw err;
  }
  const older = fs
    .readdirSync(PGLITE_TEMPLATES)
    .filter((name) => !name.includes('.') && name !== path.basename(dir))
    .map((name) => ({ name, mtime: fs.statSync(path.join(PGLITE_TEMPLATES, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of older.slice(KEEP_OLDER_TEMPLATES)) fs.rmSync(path.join(PGLITE_TEMPLATES, name), { recursive: true, force: true });
  return file;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
