import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from '../src/db/client.js';
import { withDatabase } from './global-setup.js';
import { leasePglite } from './pglite-reuse.js';

/**
 * Where a run's migrated template is (what global-setup provides). Apart from `database.ts`
 * because a worker thread started by a test has no vitest `inject`: the test hands it this.
 */
export interface TemplateSource {
  testEngine: 'pglite' | 'postgres';
  pgliteTemplatePath: string;
  postgresAdminUrl: string;
  postgresTemplateDatabase: string;
  /** Hand PGlite engines from one file to the next, reset to the template (pglite-reuse.ts); only where files share modules. */
  reusePglite?: boolean;
}

/** A fresh, migrated database cloned from the template; closing it drops it on PostgreSQL. */
export async function cloneTemplateDatabase(source: TemplateSource): Promise<Database> {
  if (source.testEngine === 'postgres') {
    const adminUrl = source.postgresAdminUrl;
    const name = `firebreak_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source.postgresTemplateDatabase}`);
    } finally {
      await admin.end();
    }
    const database = await openPostgres(withDatabase(adminUrl, name), 10);
    return {
      ...database,
      close: async () => {
        await database.close();
        const dropper = new pg.Client({ connectionString: adminUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const dump = () => fs.readFileSync(source.pgliteTemplatePath);
  if (source.reusePglite) return leasePglite(source.pgliteTemplatePath, dump);
  return openPglite('memory', { loadDataDir: new Blob([dump()]) });
}
