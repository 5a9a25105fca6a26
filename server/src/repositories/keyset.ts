import { Column, is, type SQL, sql } from 'drizzle-orm';

/** A column of a keyset order, or an expression the order sorts by (with its index), e.g. lower(email). */
export type KeyColumn = Column | SQL;

/** serial types are not types a value can be cast to: their integer is. */
const castable = (sqlType: string) => sqlType.replace(/^bigserial$/, 'bigint').replace(/^serial$/, 'integer');

function bound(column: KeyColumn, value: unknown): SQL {
  if (is(column, Column) && typeof value === 'string' && column.getSQLType().startsWith('timestamp')) {
    // An instant from a cursor is exact ISO text (microseconds): compared as it is, not through a Date.
    return sql`${value}::timestamptz`;
  }
  if (is(column, Column)) {
    // Mapped as the column maps its own values (a Date to its text), and cast to its type so the
    // comparison never depends on how each driver guesses a parameter's type.
    return sql`${sql.param(value, column)}::${sql.raw(castable(column.getSQLType()))}`;
  }
  return sql`${value instanceof Date ? value.toISOString() : value}`;
}

/**
 * The rows after a keyset position in a list ordered by `columns`, all ascending or all
 * descending (the last column unique, usually the id): `(a, b) > (x, y)` — one row-value
 * comparison that PostgreSQL answers by starting its walk of the matching index at the key.
 * The one place a page's "after this row" is written; the key comes from a decoded cursor.
 */
export function afterKey(columns: readonly KeyColumn[], key: readonly unknown[], direction: 'asc' | 'desc'): SQL {
  if (columns.length !== key.length || columns.length === 0) throw new Error(`a keyset of ${columns.length} columns needs as many values`);
  const operator = sql.raw(direction === 'asc' ? '>' : '<');
  if (columns.length === 1) return sql`${columns[0]} ${operator} ${bound(columns[0], key[0])}`;
  const left = sql.join(
    columns.map((c) => sql`${c}`),
    sql`, `,
  );
  const right = sql.join(
    columns.map((c, i) => bound(c, key[i])),
    sql`, `,
  );
  return sql`(${left}) ${operator} (${right})`;
}

/**
 * A timestamptz column's exact value as ISO text in UTC, to the microsecond (`…T08:00:00.123456Z`):
 * what a keyset cursor carries for an instant. A Date read from the row keeps only milliseconds,
 * and a key rounded so falls between rows written within one millisecond (core/cursors.ts).
 */
export function exactInstant(column: Column | SQL): SQL<string> {
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
