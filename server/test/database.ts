import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openPglite, openPostgres } from '../src/db/client.js';
import { withDatabase } from './global-setup.js';

export const testEngine = () => inject('testEngine');

/**
 * A fresh, migrated database of the engine under test, cloned from the run's template.
 * Close it when done; on PostgreSQL that also drops it.
 */
export async function createTestDatabase(): Promise<Database> {
  if (inject('testEngine') === 'postgres') {
    const adminUrl = inject('postgresAdminUrl');
    const name = `firebreak_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplateDatabase')}`);
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
  const dump = fs.readFileSync(inject('pgliteTemplatePath'));
  return openPglite('memory', { loadDataDir: new Blob([dump]) });
}
