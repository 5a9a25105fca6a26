import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';

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
 * project's teardown removes it.
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
  const database = await openPglite('memory');
  await migrateDatabase(database);
  if (database.raw.kind !== 'pglite') throw new Error('unreachable');
  const dump = await database.raw.client.dumpDataDir('none');
  await database.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return {
    provided: { testEngine: 'pglite', pgliteTemplatePath: file, postgresAdminUrl: '', postgresTemplateDatabase: '' },
    remove: () => fs.rmSync(path.dirname(file), { recursive: true, force: true }),
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
