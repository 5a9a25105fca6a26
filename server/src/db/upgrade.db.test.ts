import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testEngine } from '../../test/database.js';
import { withDatabase } from '../../test/global-setup.js';
import {
  differencesFromFixture,
  FIXTURES_FOLDER,
  loadFixture,
  rawQuery,
  readFixture,
  tablesInLoadOrder,
} from '../../test/upgrade-fixture.js';
import { type Database, openPglite, openPostgres } from './client.js';
import { migrateDatabase } from './migrate.js';

/**
 * An upgrade from an earlier release: a desk's data as the schema of commit 60c6317 (migration
 * 0057) held it — server/src/db/upgrade-fixtures/0057.json, made by scripts/upgrade-fixture.ts —
 * loaded onto that schema, then this version's migrations applied. Every table of that release
 * must keep every row and value (bar what a migration rewrites on purpose, named below); the
 * columns added since hold what upgraded rows are meant to hold; the summaries a migration
 * backfills count the old tickets; every constraint and index is valid.
 */

/**
 * Columns added since the release to tables it had, and what every upgraded row must hold.
 * A new migration adding a column to an old table makes this test name it: say here what old rows get.
 */
const NEW_COLUMNS_ON_OLD_TABLES: Record<string, unknown> = {
  'sessions.oidc_id_token': null,
  'sessions.oidc_session_id': null,
  'teams.assignment_strategy': null,
  'teams.assignment_cap': null,
  'teams.shift_schedule_id': null,
  'teams.working_hours_calendar_id': null,
  'teams.last_fair_assignee_id': null,
  'tickets.public_workaround': null,
};

const FIXTURE = readFixture(path.join(FIXTURES_FOLDER, '0057.json'));

/** An empty database of the engine under test (not the run's migrated template). */
async function emptyDatabase(): Promise<Database> {
  if (testEngine() === 'pglite') return openPglite('memory');
  const adminUrl = inject('postgresAdminUrl');
  const name = `firebreak_upgrade_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  // One connection: rawQuery's time zone holds for the session.
  const database = await openPostgres(withDatabase(adminUrl, name), 1);
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

describe(`upgrading a desk from commit ${FIXTURE.release.commit} (migration ${FIXTURE.release.migration})`, () => {
  let database: Database;
  let query: Awaited<ReturnType<typeof rawQuery>>;
  let oldTables: string[];
  beforeAll(async () => {
    database = await emptyDatabase();
    await migrateDatabase(database, { upToWhen: FIXTURE.release.when });
    query = await rawQuery(database);
    oldTables = await tablesInLoadOrder(query);
    await loadFixture(query, FIXTURE);
    await migrateDatabase(database);
  }, 120_000);
  afterAll(() => database?.close());

  it('the fixture is that release: one entry per table its schema had, most of them with rows', () => {
    expect(FIXTURE.tables.map((t) => t.name).sort()).toEqual([...oldTables].sort());
    const filled = FIXTURE.tables.filter((t) => t.rows.length > 0).map((t) => t.name);
    expect(filled).toEqual(
      expect.arrayContaining(['users', 'teams', 'services', 'tickets', 'timeline_events', 'kb_articles', 'satisfaction_ratings']),
    );
    expect(filled.length).toBeGreaterThanOrEqual(25);
  });

  it('keeps every row of every old table, value for value, and no sequence goes back', async () => {
    expect(await differencesFromFixture(query, FIXTURE)).toEqual([]);
  });

  it('gives the columns added to old tables what upgraded rows are meant to hold', async () => {
    const added: string[] = [];
    for (const table of FIXTURE.tables) {
      const now = await query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [`public.${table.name}`],
      );
      for (const { name } of now) if (!table.columns.includes(name)) added.push(`${table.name}.${name}`);
    }
    expect(added.sort()).toEqual(Object.keys(NEW_COLUMNS_ON_OLD_TABLES).sort());
    for (const [column, expected] of Object.entries(NEW_COLUMNS_ON_OLD_TABLES)) {
      const [table, name] = column.split('.');
      const values = await query<{ v: unknown }>(`SELECT to_jsonb("${name}") AS v FROM "${table}"`);
      const rows = FIXTURE.tables.find((t) => t.name === table)?.rows.length;
      expect({ column, values: values.map((r) => r.v) }).toEqual({ column, values: Array(rows).fill(expected) });
    }
  });

  it('backfills the dashboard rollups from the old tickets (3 opened, 1 resolved and rated 4)', async () => {
    const totals = async (table: string) =>
      (
        await query<Record<string, number>>(
          `SELECT sum(created)::int AS created, sum(resolved)::int AS resolved, sum(rated_4)::int AS rated_4,
                  (sum(rated_1) + sum(rated_2) + sum(rated_3) + sum(rated_5))::int AS other_ratings FROM ${table}`,
        )
      )[0];
    const expected = { created: 3, resolved: 1, rated_4: 1, other_ratings: 0 };
    expect(await totals('kpi_daily_team_rollups')).toEqual(expected);
    expect(await totals('kpi_daily_rollups')).toEqual(expected);
    // The one resolved ticket took 2 h 30 min from opening: its duration sits in the monthly histograms.
    const buckets = await query<{ duration: string; n: number }>(
      `SELECT duration, sum(count)::int AS n FROM kpi_monthly_team_duration_buckets GROUP BY 1 ORDER BY 1`,
    );
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) expect(b.n).toBe(1);
  });

  it('leaves every constraint validated and every index valid, and the upgraded desk takes new rows', async () => {
    expect(await query(`SELECT conrelid::regclass::text AS t, conname FROM pg_constraint WHERE NOT convalidated`)).toEqual([]);
    expect(await query(`SELECT indexrelid::regclass::text AS i FROM pg_index WHERE NOT indisvalid OR NOT indisready`)).toEqual([]);
    // Sequences went on from where the release left them: a new event and ticket number do not collide.
    const [event] = await query<{ id: number }>(
      `INSERT INTO timeline_events (ticket_id, type, at, internal, body) VALUES ('00000000-0000-4000-9000-000000000002', 'comment', now(), false, 'after the upgrade') RETURNING id::int AS id`,
    );
    const oldIds = FIXTURE.tables.find((t) => t.name === 'timeline_events')?.rows.map((r) => Number(r.id)) ?? [];
    expect(event.id).toBeGreaterThan(Math.max(...oldIds));
    const [next] = await query<{ n: number }>(`SELECT nextval('ticket_number_incident')::int AS n`);
    expect(next.n).toBe(2);
  });

  it('would notice a migration that dropped or altered old data', async () => {
    // What a careless migration might do: rewrite a column of one table, empty another.
    await query(`UPDATE tickets SET title = 'not what the release stored' WHERE number = 'INC0000001'`);
    await query(`DELETE FROM ticket_followers`);
    const differences = await differencesFromFixture(query, FIXTURE);
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tickets: row missing or changed: id 00000000-0000-4000-9000-000000000001 /),
        expect.stringMatching(/^tickets: 1 row\(s\) not in the fixture/),
        expect.stringMatching(/^ticket_followers: row missing or changed/),
      ]),
    );
  });
});
