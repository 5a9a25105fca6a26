import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../src/db/client.js';
import { MIGRATIONS_FOLDER } from '../src/db/migrate.js';

/**
 * An earlier release's data, for the upgrade test: every table of that release's schema with its
 * rows (as `to_jsonb` gives them) and every sequence's position. Made by scripts/upgrade-fixture.ts
 * (the release's migrations, then its seed SQL); loaded onto the same schema by `loadFixture`, then
 * the current migrations run and `differencesFromFixture` names every row that did not survive.
 */
export interface UpgradeFixture {
  /** The commit whose schema this is, and its last migration. */
  release: { commit: string; migration: string; when: number };
  /** Parents before children (foreign keys), so each table loads after what it references. */
  tables: { name: string; columns: string[]; rows: Record<string, unknown>[] }[];
  sequences: { name: string; lastValue: number; isCalled: boolean }[];
}

export const FIXTURES_FOLDER = path.join(path.dirname(MIGRATIONS_FOLDER), 'upgrade-fixtures');

export function readFixture(file: string): UpgradeFixture {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The journal's `when` of a migration, by its tag. */
export function migrationWhen(tag: string): number {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  const entry = journal.entries.find((e) => e.tag === tag);
  if (!entry) throw new Error(`migration ${tag} is not in the journal`);
  return entry.when;
}

type Query = <T>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * Plain queries on the engine's own client, in UTC: `to_jsonb` writes timestamps in the session's
 * time zone, and the fixture's were written in UTC. PostgreSQL must be opened with one connection
 * (the SET holds for that session only).
 */
export async function rawQuery(database: Database): Promise<Query> {
  const query: Query =
    database.raw.kind === 'pglite'
      ? (() => {
          const client = database.raw.client;
          return async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows;
        })()
      : (() => {
          const pool = database.raw.pool;
          return async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];
        })();
  await query(`SET TIME ZONE 'UTC'`);
  return query;
}

/** The public schema's tables, parents before children; refuses a cycle of foreign keys. */
export async function tablesInLoadOrder(query: Query): Promise<string[]> {
  const tables = (await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map(
    (t) => t.name,
  );
  const edges = await query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace AND c.oid <> p.oid`,
  );
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && edges.every((e) => e.child !== t || placed.has(e.parent)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) {
      placed.add(t);
      order.push(t);
    }
  }
  return order;
}

async function columnsOf(query: Query, table: string, options: { storedOnly: boolean }): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
     ${options.storedOnly ? `AND attgenerated = ''` : ''} ORDER BY attnum`,
    [`public.${table}`],
  );
  return rows.map((r) => r.name);
}

/** Every table's rows and every sequence's position: what scripts/upgrade-fixture.ts writes. */
export async function dumpFixture(query: Query, release: UpgradeFixture['release']): Promise<UpgradeFixture> {
  const tables: UpgradeFixture['tables'] = [];
  for (const name of await tablesInLoadOrder(query)) {
    const rows = await query<{ r: Record<string, unknown> }>(`SELECT to_jsonb(t) AS r FROM "${name}" t ORDER BY ctid`);
    tables.push({ name, columns: await columnsOf(query, name, { storedOnly: false }), rows: rows.map((x) => x.r) });
  }
  const sequences: UpgradeFixture['sequences'] = [];
  for (const { name } of await query<{ name: string }>(
    `SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`,
  )) {
    const [s] = await query<{ last_value: string | number; is_called: boolean }>(`SELECT last_value, is_called FROM "${name}"`);
    sequences.push({ name, lastValue: Number(s.last_value), isCalled: s.is_called });
  }
  return { release, tables, sequences };
}

/** Loads the fixture onto a database at its release's schema: rows as they were, sequences where they were. */
export async function loadFixture(query: Query, fixture: UpgradeFixture): Promise<void> {
  // The fixture is each table's whole content: rows the migrations seeded (incident roles) are in
  // it as the release held them, so they go first (children before parents).
  for (const table of [...fixture.tables].reverse()) await query(`DELETE FROM "${table.name}"`);
  for (const table of fixture.tables) {
    if (table.rows.length === 0) continue;
    // Generated columns (a search vector) are computed again from the row, as the release did.
    const columns = (await columnsOf(query, table.name, { storedOnly: true })).map((c) => `"${c}"`).join(', ');
    await query(
      `INSERT INTO "${table.name}" (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::"${table.name}", $1::jsonb)`,
      [JSON.stringify(table.rows)],
    );
  }
  for (const s of fixture.sequences) await query(`SELECT setval($1, $2, $3)`, [`public.${s.name}`, s.lastValue, s.isCalled]);
}

/** JSON with keys sorted, so two rows compare by their values alone. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What an upgrade lost or changed: for each of the fixture's tables, its rows now, read through the
 * columns the release had, must be exactly the fixture's rows (none missing, none altered, none
 * added); each sequence must not have gone back. `expectedChanges` names the old columns a
 * migration rewrites on purpose (table → column → what every row must hold afterwards).
 */
export async function differencesFromFixture(
  query: Query,
  fixture: UpgradeFixture,
  expectedChanges: Record<string, Record<string, (row: Record<string, unknown>) => unknown>> = {},
): Promise<string[]> {
  const differences: string[] = [];
  const present = new Set(
    (await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`)).map((t) => t.name),
  );
  for (const table of fixture.tables) {
    if (!present.has(table.name)) {
      differences.push(`${table.name}: the table is gone (${table.rows.length} rows)`);
      continue;
    }
    const now = new Set(await columnsOf(query, table.name, { storedOnly: false }));
    const dropped = table.columns.filter((c) => !now.has(c));
    if (dropped.length > 0) differences.push(`${table.name}: columns gone: ${dropped.join(', ')}`);
    const changes = expectedChanges[table.name] ?? {};
    const project = (row: Record<string, unknown>) =>
      canonical(Object.fromEntries(table.columns.filter((c) => now.has(c)).map((c) => [c, row[c]])));
    const after = (await query<{ r: Record<string, unknown> }>(`SELECT to_jsonb(t) AS r FROM "${table.name}" t`)).map((x) => x.r);
    const left = new Map<string, number>();
    for (const row of after) {
      const key = project(row);
      left.set(key, (left.get(key) ?? 0) + 1);
    }
    for (const row of table.rows) {
      const key = project({ ...row, ...Object.fromEntries(Object.entries(changes).map(([c, f]) => [c, f(row)])) });
      const n = left.get(key) ?? 0;
      if (n === 0)
        differences.push(`${table.name}: row missing or changed: ${'id' in row ? `id ${row.id} ` : ''}${canonical(row).slice(0, 300)}`);
      else left.set(key, n - 1);
    }
    const extra = [...left.values()].reduce((a, b) => a + b, 0);
    if (extra > 0) differences.push(`${table.name}: ${extra} row(s) not in the fixture`);
  }
  for (const s of fixture.sequences) {
    const [row] = await query<{ last_value: string | number }>(
      `SELECT last_value FROM pg_sequences WHERE schemaname = 'public' AND sequencename = $1`,
      [s.name],
    );
    if (!row) differences.push(`sequence ${s.name} is gone`);
    else if (s.isCalled && Number(row.last_value ?? 0) < s.lastValue)
      differences.push(`sequence ${s.name} went back to ${row.last_value} from ${s.lastValue}`);
  }
  return differences;
}
