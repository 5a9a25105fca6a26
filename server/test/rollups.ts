import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../src/db/client.js';
import { migrationStatements } from './kpi-fixtures.js';

/**
 * Every rollup kept from the tickets (migrations 0058, 0062, 0071) and their definitions: the
 * backfill statements of those migrations, computed afresh from the tickets as they stand. A test
 * compares the rows kept with the rows defined (tables listed in migration 0074's contract).
 */
export const ROLLUP_TABLES = [
  'kpi_daily_team_rollups',
  'kpi_daily_rollups',
  'kpi_monthly_team_duration_buckets',
  'kpi_monthly_duration_buckets',
  'kpi_daily_quarter_rollups',
];

const BACKFILL = [
  ...migrationStatements('0058_kpi_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily/),
  ...migrationStatements('0062_kpi_duration_buckets.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_monthly/),
  ...migrationStatements('0071_kpi_quarter_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily_quarter_rollups/),
];

export type RollupRows = Record<string, string[]>;

/** The rows of every rollup that count something (of one team, the team left out, when given), sorted. */
export async function rollupRows(db: Db, teamId?: string): Promise<RollupRows> {
  const out: RollupRows = {};
  const counts = (v: unknown) => (Array.isArray(v) ? v.some((x) => Number(x) !== 0) : typeof v === 'number' && v !== 0);
  for (const table of ROLLUP_TABLES) {
    const rows = rowsOf<{ row: Record<string, unknown> }>(
      await db.execute(
        teamId
          ? sql.raw(`SELECT to_jsonb(r) - 'team_id' AS row FROM ${table} r WHERE team_id = '${teamId}'`)
          : sql.raw(`SELECT to_jsonb(r) AS row FROM ${table} r`),
      ),
    );
    out[table] = rows
      .map(({ row }) => row)
      // Rows brought back to zero are left in place; they count nothing.
      .filter((row) => Object.entries(row).some(([k, v]) => !['priority', 'bucket'].includes(k) && counts(v)))
      .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Number(v) : v]))))
      .sort();
  }
  return out;
}

class RolledBack extends Error {}

/** The same rows as the backfills compute them from the tickets (in a transaction rolled back). */
export async function backfilledRollupRows(db: Db, teamId?: string): Promise<RollupRows> {
  let rows: RollupRows | undefined;
  await db
    .transaction(async (tx) => {
      for (const table of ROLLUP_TABLES) await tx.execute(sql.raw(`DELETE FROM ${table}`));
      for (const statement of BACKFILL) await tx.execute(sql.raw(statement));
      rows = await rollupRows(tx, teamId);
      throw new RolledBack();
    })
    .catch((err) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  if (!rows) throw new Error('the backfill gave nothing');
  return rows;
}

/** Migration 0082's small rollups by slice (whole desk, service, category), which have no team column. */
export const DIMENSION_ROLLUP_TABLES = [
  'kpi_daily_dimension_rollups',
  'kpi_monthly_dimension_duration_buckets',
  'kpi_daily_dimension_quarter_rollups',
] as const;

const DIMENSION_BACKFILL = migrationStatements(
  '0082_kpi_dimension_rollups.sql',
  /^\s*(--.*\n)*\s*INSERT INTO kpi_(daily|monthly)_dimension/,
);

/** The rows of the small rollups that count something, numbers as numbers, sorted. */
export async function dimensionRollupRows(db: Db): Promise<RollupRows> {
  const out: RollupRows = {};
  const counts = (v: unknown) => (Array.isArray(v) ? v.some((x) => Number(x) !== 0) : Number(v) !== 0);
  const keys = ['dimension', 'dimension_id', 'day', 'month', 'priority', 'kind', 'duration', 'bucket'];
  for (const table of DIMENSION_ROLLUP_TABLES) {
    const rows = rowsOf<{ row: Record<string, unknown> }>(await db.execute(sql.raw(`SELECT to_jsonb(r) AS row FROM ${table} r`)));
    out[table] = rows
      .map(({ row }) => row)
      // Rows brought back to zero are left in place; they count nothing.
      .filter((row) => Object.entries(row).some(([k, v]) => !keys.includes(k) && counts(v)))
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, keys.includes(k) ? v : Array.isArray(v) ? v : Number(v)])),
        ),
      )
      .sort();
  }
  return out;
}

/**
 * The same rows as migration 0082's backfill defines them (in a transaction rolled back): summed per
 * slice from the other rollups as they are kept (`from: 'rollups'`: so a ticket no rollup counts
 * yet, one listed by an import, is left out here too), or from the tickets as they stand (`from:
 * 'tickets'`: every rollup computed afresh by migrations 0058, 0062 and 0071 first).
 */
export async function definedDimensionRollupRows(db: Db, from: 'rollups' | 'tickets'): Promise<RollupRows> {
  let rows: RollupRows | undefined;
  await db
    .transaction(async (tx) => {
      const tables = from === 'tickets' ? [...ROLLUP_TABLES, ...DIMENSION_ROLLUP_TABLES] : DIMENSION_ROLLUP_TABLES;
      for (const table of tables) await tx.execute(sql.raw(`DELETE FROM ${table}`));
      if (from === 'tickets') for (const statement of BACKFILL) await tx.execute(sql.raw(statement));
      for (const statement of DIMENSION_BACKFILL) await tx.execute(sql.raw(statement));
      rows = await dimensionRollupRows(tx);
      throw new RolledBack();
    })
    .catch((err) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  if (!rows) throw new Error('the backfill gave nothing');
  return rows;
}
