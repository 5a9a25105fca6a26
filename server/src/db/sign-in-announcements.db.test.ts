import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { type Database, rowsOf } from './client.js';

/**
 * Migration 0083 announces a change of an API token by the columns it names, so that recording a
 * token's last use announces nothing. A column added to api_tokens later changes who a token
 * signs in as, or whether: unless the trigger names it too, processes would keep the old answer.
 */
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe("an API token's announcement", () => {
  it('names every column of api_tokens but its last use', async () => {
    const columns = rowsOf<{ name: string }>(
      await database.db.execute(sql`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'api_tokens'`),
    ).map((r) => r.name);
    const announced = rowsOf<{ name: string }>(
      await database.db.execute(
        sql`SELECT event_object_column AS name FROM information_schema.triggered_update_columns WHERE trigger_name = 'api_tokens_config_change'`,
      ),
    ).map((r) => r.name);
    expect(announced.sort()).toEqual(columns.filter((c) => c !== 'last_used_at').sort());
  });
});
