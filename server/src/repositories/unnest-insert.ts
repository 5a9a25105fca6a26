import { type Column, getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Many rows in one statement with one parameter per column, not one per value:
 * `INSERT INTO t (a, b) SELECT u.a::type_a, u.b::type_b FROM unnest($1::text[], $2::text[]) AS u(a, b)`.
 * Each value is mapped to its driver form as the column maps it (a Date to ISO text, JSON to its
 * text) and sent as text, cast to the column's type in the statement, so both engines read the
 * same thing. Compared with a multi-row VALUES list this sends a few large arrays instead of tens
 * of thousands of parameters, and builds no per-value query objects (an import's batch, issue 16).
 *
 * The columns are those any row sets; a row that leaves out one of them gets its plain default
 * (false, 0) or else NULL, as a VALUES list would give it.
 * `expressions` replaces a column's value by SQL over the unnest's columns (`u.name`), e.g. a
 * number drawn from a sequence where the row has none.
 */
export function unnestInsert<T extends PgTable>(
  table: T,
  rows: readonly Record<string, unknown>[],
  expressions: Partial<Record<string, (value: SQL) => SQL>> = {},
): SQL {
  const columns = getTableColumns(table) as Record<string, Column>;
  const keys = Object.keys(columns).filter((k) => expressions[k] || rows.some((r) => r[k] !== undefined));
  // A row that leaves out a column with a plain default (false, 0) gets that default, as VALUES
  // would give it; a default computed in SQL cannot be given per row here, so it is refused.
  const fallback = new Map<string, unknown>();
  for (const k of keys) {
    const column = columns[k];
    if (!column.hasDefault || expressions[k] || rows.every((r) => r[k] !== undefined)) continue;
    if (column.default === undefined || is(column.default, SQL))
      throw new Error(`unnestInsert: ${column.name} has a default computed in SQL, and some rows leave it out`);
    fallback.set(k, column.default);
  }
  const arrays = keys.map((k) => {
    const column = columns[k];
    return rows.map((r) => {
      const v = r[k] === undefined ? fallback.get(k) : r[k];
      if (v === undefined || v === null) return null;
      const driven = column.mapToDriverValue(v);
      if (typeof driven === 'string') return driven;
      if (typeof driven === 'number' || typeof driven === 'boolean' || typeof driven === 'bigint') return String(driven);
      if (driven instanceof Date) return driven.toISOString();
      throw new Error(`unnestInsert: ${column.name} maps to a value that is not text`);
    });
  });
  const names = keys.map((k) => sql.identifier(columns[k].name));
  const selected = keys.map((k) => {
    const column = columns[k];
    const value = sql`u.${sql.identifier(column.name)}::${sql.raw(castable(column))}`;
    return expressions[k]?.(value) ?? value;
  });
  return sql`INSERT INTO ${table} (${sql.join(names, sql`, `)})
    SELECT ${sql.join(selected, sql`, `)}
    FROM unnest(${sql.join(
      arrays.map((a) => sql`${sql.param(a)}::text[]`),
      sql`, `,
    )}) AS u(${sql.join(names, sql`, `)})`;
}

/** serial types are not types a value can be cast to: their integer is. */
const castable = (column: Column) =>
  column
    .getSQLType()
    .replace(/^bigserial$/, 'bigint')
    .replace(/^serial$/, 'integer');
