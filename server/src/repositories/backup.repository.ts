import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../db/client.js';

/**
 * The SQL of backup and restore: the catalogue (tables, columns, sequences, foreign keys, user
 * triggers) read from PostgreSQL's own system views, and rows as JSON — row_to_json out,
 * json_populate_recordset in — so one format serves both engines: each value goes out as its
 * type's text and comes back through the same type's input function.
 */

/** Table names are the catalogue's own, quoted here; never user text. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const ident = (name: string): SQL => sql.raw(quoted(name));

export interface MigrationLevel {
  /** Migrations applied. */
  count: number;
  /** The `when` (journal) of the last one applied, or 0 for none. */
  when: number;
}

/** How far the migrations went: drizzle's own record (absent before the first migration). */
export async function readMigrationLevel(db: Db): Promise<MigrationLevel> {
  const exists = rowsOf<{ found: string | null }>(await db.execute(sql`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS found`));
  if (!exists[0]?.found) return { count: 0, when: 0 };
  const [row] = rowsOf<{ count: string; when: string | null }>(
    await db.execute(sql`SELECT count(*)::text AS count, max(created_at)::text AS "when" FROM drizzle.__drizzle_migrations`),
  );
  return { count: Number(row.count), when: Number(row.when ?? 0) };
}

/** The application's tables, by name (what a backup holds; drizzle's own schema is not one). */
export async function listTables(db: Db): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`),
  );
  return rows.map((r) => r.name);
}

export async function listColumns(db: Db, table: string): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`SELECT attname AS name FROM pg_attribute
      WHERE attrelid = ${`public.${quoted(table)}`}::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`),
  );
  return rows.map((r) => r.name);
}

export interface SequenceValue {
  name: string;
  /** null: never drawn from. */
  value: number | null;
}

export async function readSequences(db: Db): Promise<SequenceValue[]> {
  const rows = rowsOf<{ name: string; value: string | null }>(
    await db.execute(
      sql`SELECT sequencename AS name, last_value::text AS value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
    ),
  );
  return rows.map((r) => ({ name: r.name, value: r.value === null ? null : Number(r.value) }));
}

/**
 * Every row of a table as JSON text, `batch` at a time through a cursor of the caller's
 * transaction (so memory holds one batch, and every table is read in the same snapshot).
 * Timestamps are written in UTC, whatever the session's zone.
 */
export async function* readTableRows(tx: Tx, table: string, batch: number): AsyncGenerator<string[]> {
  await tx.execute(sql`SET LOCAL TimeZone = 'UTC'`);
  await tx.execute(sql`DECLARE firebreak_backup_rows NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS r FROM ${ident(table)} t`);
  try {
    while (true) {
      const rows = rowsOf<{ r: string }>(await tx.execute(sql.raw(`FETCH ${batch} FROM firebreak_backup_rows`)));
      if (rows.length === 0) return;
      yield rows.map((row) => row.r);
    }
  } finally {
    await tx.execute(sql`CLOSE firebreak_backup_rows`);
  }
}

/** People and tickets: a database holding either is in use, not empty. */
export async function countPeopleAndTickets(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: string }>(
    await db.execute(sql`SELECT ((SELECT count(*) FROM users) + (SELECT count(*) FROM tickets))::text AS n`),
  );
  return Number(row.n);
}

export interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

export async function listForeignKeys(db: Db): Promise<ForeignKey[]> {
  return rowsOf<ForeignKey>(
    await db.execute(sql`SELECT c.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' ORDER BY c.relname, k.conname`),
  );
}

export async function dropForeignKey(tx: Tx, key: ForeignKey): Promise<void> {
  await tx.execute(sql`ALTER TABLE ${ident(key.table)} DROP CONSTRAINT ${ident(key.name)}`);
}

/** Adding a key back checks every row against it: a restore that breaks one fails whole. */
export async function addForeignKey(tx: Tx, key: ForeignKey): Promise<void> {
  await tx.execute(sql`ALTER TABLE ${ident(key.table)} ADD CONSTRAINT ${ident(key.name)} ${sql.raw(key.definition)}`);
}

/** Tables with triggers of their own (the timeline's append-only guard and its live announcement). */
export async function listTablesWithUserTriggers(db: Db): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`SELECT DISTINCT c.relname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT g.tgisinternal AND n.nspname = 'public' ORDER BY 1`),
  );
  return rows.map((r) => r.name);
}

export async function setUserTriggers(tx: Tx, table: string, enabled: boolean): Promise<void> {
  await tx.execute(sql`ALTER TABLE ${ident(table)} ${sql.raw(enabled ? 'ENABLE' : 'DISABLE')} TRIGGER USER`);
}

export async function truncateTables(tx: Tx, tables: string[]): Promise<void> {
  if (tables.length === 0) return;
  await tx.execute(
    sql`TRUNCATE ${sql.join(
      tables.map((t) => ident(t)),
      sql`, `,
    )}`,
  );
}

/**
 * The columns a restore writes: all but generated ones (a knowledge article's search vector),
 * which PostgreSQL refuses to be given and computes again from the row.
 */
export async function listStoredColumns(db: Db, table: string): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`SELECT attname AS name FROM pg_attribute
      WHERE attrelid = ${`public.${quoted(table)}`}::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`),
  );
  return rows.map((r) => r.name);
}

/** Rows as row_to_json wrote them, each value of `columns` through its column type's input. */
export async function insertJsonRows(tx: Tx, table: string, columns: string[], rows: string[]): Promise<void> {
  if (rows.length === 0) return;
  const list = sql.raw(columns.map(quoted).join(', '));
  await tx.execute(
    sql`INSERT INTO ${ident(table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${ident(table)}, ${`[${rows.join(',')}]`}::json)`,
  );
}

export async function setSequence(tx: Tx, sequence: SequenceValue): Promise<void> {
  const name = `public.${quoted(sequence.name)}`;
  if (sequence.value === null) await tx.execute(sql`SELECT setval(${name}::regclass, 1, false)`);
  else await tx.execute(sql`SELECT setval(${name}::regclass, ${sequence.value}::bigint, true)`);
}

/** Tells every process listening on `channel` (delivered when the transaction commits). */
export async function notifyListeners(tx: Tx, channel: string, payload: string): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${channel}, ${payload})`);
}
