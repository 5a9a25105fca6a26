import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTicketNumber } from '../../core/ticket-number.js';
import { FakeClock } from '../src/adapters/clock.js';
import { type Database, openPglite } from '../src/db/client.js';
import { templateSource, testEngine } from './database.js';
import { createTestPerson, reportTestTicket } from './factories.js';
import { leasePglite } from './pglite-reuse.js';
import { countStatements } from './statement-counter.js';

/**
 * The database and http tiers hand a PGlite engine from one file to the next (pglite-reuse.ts). What a
 * file gets must be indistinguishable from a fresh clone of the template, whatever the file
 * before it did; an engine that cannot be made so is not handed on.
 */
describe.runIf(testEngine() === 'pglite')('PGlite engines handed from file to file', () => {
  const templatePath = templateSource().pgliteTemplatePath;
  const dump = () => fs.readFileSync(templatePath);
  const clock = new FakeClock('2026-05-04T08:00:00Z');
  const opened: Database[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });

  const clientOf = (database: Database): PGlite => {
    if (database.raw.kind !== 'pglite') throw new Error('expected PGlite');
    return database.raw.client;
  };
  const one = async <T>(database: Database, text: string): Promise<T> => (await clientOf(database).query<T>(text)).rows[0];
  /** Which engine this is: each engine's start time is its own. */
  const engineOf = (database: Database) => one<{ started: string }>(database, 'select pg_postmaster_start_time()::text as started');

  /** What a test could see of the state: every table's rows, sequences, session settings, channels. */
  async function observableState(database: Database) {
    const client = clientOf(database);
    const tables = (
      await client.query<{ name: string }>(
        `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1`,
      )
    ).rows;
    const rowsPerTable: Record<string, string> = {};
    for (const { name } of tables) {
      rowsPerTable[name] = (
        await client.query<{ d: string }>(
          `select count(*) || ':' || md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as d from ${name} t`,
        )
      ).rows[0].d;
    }
    const sequences = (await client.query(`select schemaname, sequencename, last_value from pg_sequences order by 1, 2`)).rows;
    const session = await one(
      database,
      // Unset and once-set-then-reset read alike (''), as on a pooled PostgreSQL connection; the triggers read it so.
      `select coalesce(current_setting('firebreak.defer_rollups', true), '') as defer, current_setting('timezone') as zone, (select count(*) from pg_listening_channels()) as channels`,
    );
    const objects = await one(
      database,
      `select (select count(*) from pg_class) as relations, (select count(*) from pg_statistic) as statistics`,
    );
    return { rowsPerTable, sequences, session, objects };
  }

  it('gives the next file the template exactly as a fresh clone is, whatever the file before did', async () => {
    const fresh = await openPglite('memory', { loadDataDir: new Blob([dump()]) });
    opened.push(fresh);
    const expected = await observableState(fresh);

    const first = await leasePglite(templatePath, dump);
    const engine = await engineOf(first);
    const firstFilesLog = countStatements(first); // wraps the handle's query, exec and transaction
    const deps = { db: first.db, clock };
    const agent = await createTestPerson(deps, 'agent', { email: 'reuse@test.test', name: 'Rhea' });
    for (let i = 0; i < 3; i++) await reportTestTicket(deps, agent, `Printer ${i} jammed`);
    const client = clientOf(first);
    await client.exec(`SET firebreak.defer_rollups = 'on'; SET timezone = 'Asia/Kolkata'; DELETE FROM incident_roles WHERE true`);
    let heardLate = 0;
    await client.listen('reuse_test', () => {
      heardLate += 1;
    });
    expect((await observableState(first)).rowsPerTable).not.toEqual(expected.rowsPerTable);
    await first.close();

    const second = await leasePglite(templatePath, dump);
    opened.push(second);
    expect(await engineOf(second)).toEqual(engine); // the same engine, handed on
    expect(await observableState(second)).toEqual(expected);
    // Numbering starts again as in a fresh database; the earlier file's listener hears nothing.
    const agent2 = await createTestPerson({ db: second.db, clock }, 'agent', { email: 'reuse@test.test', name: 'Rhea' });
    expect((await reportTestTicket({ db: second.db, clock }, agent2, 'A new one')).number).toBe(formatTicketNumber('incident', 1));
    await clientOf(second).query(`NOTIFY reuse_test, 'hello'`);
    expect(heardLate).toBe(0);
    // What the earlier file wrapped stayed with its handle: its statement log heard nothing more.
    expect(firstFilesLog.statements.some((statement) => statement.includes('reuse_test'))).toBe(false);
  });

  it('refuses the closed handle to a late caller, so it cannot write into the next file', async () => {
    const database = await leasePglite(templatePath, dump);
    const late = clientOf(database);
    await database.close();
    expect(() => late.query('select 1')).toThrow(/closed/);
  });

  it('does not hand on an engine whose schema or planner statistics a file changed', async () => {
    for (const change of ['CREATE INDEX reuse_probe ON tickets (title)', 'ANALYZE teams']) {
      const changed = await leasePglite(templatePath, dump);
      const engine = await engineOf(changed);
      await clientOf(changed).exec(`INSERT INTO teams (name, created_at) VALUES ('Probe', now()); ${change}`);
      await changed.close();
      const next = await leasePglite(templatePath, dump);
      opened.push(next);
      expect(await engineOf(next)).not.toEqual(engine);
      expect(await one(next, `select to_regclass('reuse_probe') as probe, (select count(*)::int from teams) as teams`)).toEqual({
        probe: null,
        teams: 0,
      });
    }
  });
});
