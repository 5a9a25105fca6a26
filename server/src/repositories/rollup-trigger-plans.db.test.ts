import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { type Database, rowsOf } from '../db/client.js';

/**
 * Every ticket written runs the KPI rollup triggers (migrations 0070, 0071) in the writer's
 * transaction. PostgreSQL keeps no plan of a LANGUAGE sql function's statements between calls:
 * written in SQL, the rollup functions planned their big INSERT … ON CONFLICT statements again for
 * every ticket created (~20 ms of a ~21 ms trigger, against ~0.8 ms once planned; migration 0078).
 * In PL/pgSQL each statement is prepared once per connection. A new rollup function written in SQL
 * would bring that cost back to every creation, silently: this names what must stay PL/pgSQL.
 */
const CALLED_PER_TICKET_STATEMENT = [
  'kpi_rollup_tickets',
  'kpi_rollup_ticket_durations',
  'kpi_quarter_rollups_apply',
  'kpi_running_counts',
  'kpi_add_running',
];

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('the rollup functions every ticket write calls', () => {
  it('are PL/pgSQL, whose statements are planned once per connection, not at every call', async () => {
    const languages = rowsOf<{ name: string; language: string }>(
      await database.db.execute(sql`
        SELECT p.proname AS name, l.lanname AS language FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
        WHERE p.proname IN (${sql.join(
          CALLED_PER_TICKET_STATEMENT.map((name) => sql`${name}`),
          sql`, `,
        )}) ORDER BY p.proname`),
    );
    expect(languages).toEqual(CALLED_PER_TICKET_STATEMENT.toSorted().map((name) => ({ name, language: 'plpgsql' })));
  });

  it('leaves no function that writes rows in SQL (each call would plan its statements anew)', async () => {
    const writers = rowsOf<{ name: string }>(
      await database.db.execute(sql`
        SELECT p.proname AS name FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND l.lanname = 'sql' AND p.prosrc ~* '\\m(insert|update|delete)\\M'`),
    );
    expect(writers).toEqual([]);
  });
});
