import { inject } from 'vitest';
import type { Database } from '../src/db/client.js';
import { cloneTemplateDatabase, type TemplateSource } from './database-clone.js';

export const testEngine = () => inject('testEngine');

/** The run's template, as global-setup provided it (for a worker thread, which cannot inject). */
export function templateSource(): TemplateSource {
  return {
    testEngine: inject('testEngine'),
    pgliteTemplatePath: inject('pgliteTemplatePath'),
    postgresAdminUrl: inject('postgresAdminUrl'),
    postgresTemplateDatabase: inject('postgresTemplateDatabase'),
    reusePglite: inject('reusePglite') === true,
  };
}

/**
 * A fresh, migrated database of the engine under test, cloned from the run's template.
 * Close it when done; on PostgreSQL that also drops it.
 */
export function createTestDatabase(): Promise<Database> {
  return cloneTemplateDatabase(templateSource());
}
