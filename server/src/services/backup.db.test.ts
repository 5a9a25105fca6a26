import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { EVERY_BYTE, fillEveryTable } from '../../test/every-table.js';
import { TEST_PASSWORD_COST } from '../../test/password-cost.js';
import { FakeClock } from '../adapters/clock.js';
import { backupToFile, exportToFile, restoreFromFile } from '../cli-data.js';
import { type Database, type Db, openPglite, rowsOf } from '../db/client.js';
import { latestMigrationLevel } from '../db/migrate.js';
import * as schema from '../db/schema/index.js';
import { attachments } from '../db/schema/index.js';
import { listTables, readMigrationLevel, readSequences } from '../repositories/backup.repository.js';
import { readAttachmentBytes } from './attachment-storage.service.js';
import { BackupError } from './backup.service.js';
import { CONFIG_TABLES, ConfigCache, listenForConfigChanges } from './config-cache.js';

/**
 * A backup taken on the engine under test restores into a database with no schema at all, and
 * every table then holds the same rows. On the PostgreSQL run the restore is onto the embedded
 * engine (PGlite), so a backup crosses engines; on the PGlite run it is onto another PGlite
 * database, so the suite needs no PostgreSQL server where it has none.
 *
 * The desk is `fillEveryTable`'s: a few rows in every table, with the values a text format finds
 * hardest (every byte, quotes, line ends, unicode, JSON escapes, microseconds, NULLs). It replaced
 * the demo desk here, which left half the tables empty (attachments, knowledge, sessions, status
 * page …) and took most of this file's time to load; the demo's own test loads it.
 */
const NOW = new Date('2026-03-18T14:05:00Z');

let source: Database;
let target: Database;
let dir: string;
let backupFile: string;

/** An empty PGlite database (no schema at all): the other engine on the PostgreSQL run. */
const emptyEmbeddedDatabase = (): Promise<Database> => openPglite('memory');

/** A table's rows as jsonb text (not the backup's own row_to_json), in UTC, sorted. */
async function rowsOfTable(db: Db, table: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL TimeZone = 'UTC'`);
    const rows = rowsOf<{ r: string }>(await tx.execute(sql`SELECT to_jsonb(t)::text AS r FROM ${sql.raw(`"${table}"`)} t`));
    return rows.map((row) => row.r).sort();
  });
}

/** The tables drizzle's schema declares (what the application writes), by name, sorted. */
function schemaTableNames(): string[] {
  const values: unknown[] = Object.values(schema);
  return values
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableConfig(table).name)
    .sort();
}

async function countOf(db: Db, table: string): Promise<number> {
  const [row] = rowsOf<{ n: string }>(await db.execute(sql`SELECT count(*)::text AS n FROM ${sql.raw(`"${table}"`)}`));
  return Number(row.n);
}

/** Every table of `after` holds the rows of `before`, value for value; returns how many rows were compared. */
async function expectSameRows(before: Db, after: Db): Promise<number> {
  const tables = await listTables(before);
  expect(await listTables(after)).toEqual(tables);
  let compared = 0;
  for (const table of tables) {
    const [was, is] = await Promise.all([rowsOfTable(before, table), rowsOfTable(after, table)]);
    expect(is, `table ${table}`).toEqual(was);
    compared += was.length;
  }
  return compared;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-backup-test-'));
  backupFile = path.join(dir, 'desk.firebreak-backup.gz');
  [source, target] = await Promise.all([createTestDatabase(), emptyEmbeddedDatabase()]);
  await fillEveryTable({ db: source.db, clock: new FakeClock(NOW), passwordCost: TEST_PASSWORD_COST });
}, 120_000);

afterAll(async () => {
  await source?.close();
  await target?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('firebreak export FILE', () => {
  it('writes every ticket of the desk, each once, with its whole timeline (work notes included)', async () => {
    const file = path.join(dir, 'tickets.jsonl');
    const count = await exportToFile(source.db, file);
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; number: string; timeline: { internal: boolean }[] });
    expect(lines).toHaveLength(count);
    expect(count).toBe(await countOf(source.db, 'tickets'));
    expect(new Set(lines.map((l) => l.number)).size).toBe(count);
    const events = lines.reduce((n, l) => n + l.timeline.length, 0);
    expect(events).toBe(await countOf(source.db, 'timeline_events'));
    expect(lines.some((l) => l.timeline.some((e) => e.internal))).toBe(true);
  });
});

describe('backup and restore', () => {
  it('round-trips a desk with rows in every table into an empty database (PostgreSQL onto PGlite): every table, row by row, and the sequences', async () => {
    // Every table of the schema holds rows before the backup: one added later without a row in the fixture fails here by name.
    const tables = await listTables(source.db);
    expect([...tables].sort()).toEqual(schemaTableNames());
    const empty: string[] = [];
    for (const table of tables) if ((await countOf(source.db, table)) === 0) empty.push(table);
    expect(empty, 'tables without a row in server/test/every-table.ts').toEqual([]);

    const taken = await backupToFile(source, new FakeClock(NOW), backupFile);
    expect(taken.migration).toEqual(latestMigrationLevel());
    expect(fs.existsSync(`${backupFile}.partial`)).toBe(false);

    expect(await readMigrationLevel(target.db)).toEqual({ count: 0, when: 0 });
    const restored = await restoreFromFile(target, backupFile, { force: false });
    expect(restored.rows).toBe(taken.rows);
    expect(await readMigrationLevel(target.db)).toEqual(latestMigrationLevel());

    expect(await expectSameRows(source.db, target.db)).toBe(taken.rows);
    // The article's search vector is generated: restore leaves it out and PostgreSQL computes it again.
    const [found] = rowsOf<{ n: string }>(
      await target.db.execute(sql`SELECT count(*)::text AS n FROM kb_articles WHERE search @@ plainto_tsquery('english', 'mail queue')`),
    );
    expect(Number(found.n)).toBe(1);
    // The attachment's bytes read back through the service that serves downloads, every byte value intact.
    const [attachment] = await target.db.select().from(attachments);
    expect((await readAttachmentBytes(target.db, attachment)).equals(EVERY_BYTE)).toBe(true);
    const [nan] = rowsOf<{ n: string }>(await target.db.execute(sql`SELECT count(*)::text AS n FROM check_results WHERE z = 'NaN'`));
    expect(Number(nan.n)).toBe(1);
    expect(await countOf(target.db, 'tickets')).toBeGreaterThanOrEqual(3);
    expect(await readSequences(target.db)).toEqual(await readSequences(source.db));
  });

  it('restores onto the engine under test as well, into a migrated database that holds no one yet (PostgreSQL onto PostgreSQL)', async () => {
    const migrated = await createTestDatabase();
    // A server running on that database keeps its configuration cached: the restore must tell it.
    const cache = new ConfigCache();
    const heard = new Set<string>();
    cache.watch((table) => heard.add(table));
    const listener = await listenForConfigChanges(migrated, cache, () => {});
    try {
      const restored = await restoreFromFile(migrated, backupFile, { force: false });
      expect(await expectSameRows(source.db, migrated.db)).toBe(restored.rows);
      await vi.waitFor(() => expect([...heard].sort()).toEqual([...CONFIG_TABLES].sort()));
      expect(await readSequences(migrated.db)).toEqual(await readSequences(source.db));
    } finally {
      await listener.close();
      await migrated.close();
    }
  });

  it('refuses a database that holds data unless forced, and leaves it as it was', async () => {
    const tickets = await countOf(target.db, 'tickets');
    await expect(restoreFromFile(target, backupFile, { force: false })).rejects.toThrow(/already holds people or tickets.*--force/);
    expect(await countOf(target.db, 'tickets')).toBe(tickets);
  });

  it('is all or nothing: a file cut short changes nothing, even when forced', async () => {
    const whole = fs.readFileSync(backupFile);
    const text = (await import('node:zlib')).gunzipSync(whole).toString('utf8');
    const lines = text.split('\n').filter(Boolean);
    const cut = path.join(dir, 'cut.gz');
    // Everything but the last line: the file ends before its "complete" mark.
    fs.writeFileSync(cut, gzipSync(`${lines.slice(0, -1).join('\n')}\n`));
    const [tickets, events] = [await countOf(target.db, 'tickets'), await countOf(target.db, 'timeline_events')];
    await target.db.execute(sql`INSERT INTO teams (name, created_at) VALUES ('Only here', now())`);
    await expect(restoreFromFile(target, cut, { force: true })).rejects.toThrow(/cut short/);
    expect(await countOf(target.db, 'tickets')).toBe(tickets);
    expect(await countOf(target.db, 'timeline_events')).toBe(events);
    const [kept] = rowsOf<{ n: string }>(await target.db.execute(sql`SELECT count(*)::text AS n FROM teams WHERE name = 'Only here'`));
    expect(Number(kept.n)).toBe(1);

    // Forced with the whole file: the database becomes the backup again (the extra team gone).
    await restoreFromFile(target, backupFile, { force: true });
    expect(await rowsOfTable(target.db, 'teams')).toEqual(await rowsOfTable(source.db, 'teams'));
  });

  it('refuses a backup from a newer Firebreak, and a file that is not a backup', async () => {
    const latest = latestMigrationLevel();
    const newer = path.join(dir, 'newer.gz');
    const header = {
      firebreak: 'backup',
      format: 1,
      engine: 'pglite',
      takenAt: NOW.toISOString(),
      migration: { count: latest.count + 1, when: latest.when + 1 },
    };
    fs.writeFileSync(newer, gzipSync(`${JSON.stringify(header)}\n#{"complete":true,"tables":0,"rows":0}\n`));
    await expect(restoreFromFile(target, newer, { force: true })).rejects.toThrow(/newer Firebreak/);

    const notGzip = path.join(dir, 'tickets.csv');
    fs.writeFileSync(notGzip, 'number,title\nINC1,x\n');
    const refused = await restoreFromFile(target, notGzip, { force: true }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(BackupError);
    expect((refused as Error).message).toMatch(/not a gzip'd Firebreak backup/);

    const notBackup = path.join(dir, 'other.gz');
    fs.writeFileSync(notBackup, gzipSync('{"hello":"world"}\n'));
    await expect(restoreFromFile(target, notBackup, { force: true })).rejects.toThrow(/not a Firebreak backup/);
    expect(await countOf(target.db, 'tickets')).toBeGreaterThanOrEqual(3);
  });
});
