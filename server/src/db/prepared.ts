import type { SQL } from 'drizzle-orm';
import type { Db } from './client.js';

/**
 * Hot queries run as named prepared statements: built by the ORM once per database handle and
 * planned by PostgreSQL once per connection, instead of both on every request. (Measured: a
 * ticket read's six-table query spent 0.67 ms planning for 0.05 ms executing.)
 */
export function preparedPerDb<P>(build: (db: Db) => P): (db: Db) => P {
  const cache = new WeakMap<Db, P>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}

interface SessionInternals {
  session: {
    prepareQuery(
      query: unknown,
      fields: unknown,
      name: string,
      arrayMode: boolean,
    ): { execute(placeholderValues?: Record<string, unknown>): Promise<unknown> };
  };
  dialect: { sqlToQuery(query: SQL): unknown };
}

/**
 * `db.execute(query)` as a named prepared statement, for hand-written SQL on the hottest path
 * (alert intake): PostgreSQL parses and plans it once per connection instead of on every call.
 * (Measured: the alert statements spent more time being planned than running.) The ORM offers
 * names only to its query builder, so this reaches its session the way `db.execute` itself does;
 * PGlite ignores the name. The text under one name must never change.
 */
export function executeNamed(db: Db, name: string, query: SQL): Promise<unknown> {
  const internals = db as unknown as SessionInternals;
  return internals.session.prepareQuery(internals.dialect.sqlToQuery(query), undefined, name, false).execute();
}

/** A query builder's statement with placeholders for its values, built once, with its name and the fields its rows map to. */
export interface ShapedStatement {
  name: string;
  query: unknown;
  fields: unknown;
}

interface BuilderInternals {
  getSQL(): SQL;
  config: { returning?: unknown; fields?: unknown };
}

/**
 * Builds a query builder's statement once, to be run by `executeShaped` on any session (a
 * transaction's included): the ORM's own `prepare` binds a statement to the session that built
 * it, and each transaction is a new session. The builder's values must all be placeholders
 * (`sql.placeholder` inside `sql`, so values go to the driver as given: encode them with the
 * column's `mapToDriverValue`), so that one text serves every call. The text under one name must
 * never change (node-postgres refuses it).
 */
export function shapedStatement(db: Db, builder: object, name: string): ShapedStatement {
  const internals = builder as BuilderInternals;
  return {
    name,
    query: (db as unknown as SessionInternals).dialect.sqlToQuery(internals.getSQL()),
    fields: internals.config.returning ?? internals.config.fields,
  };
}

/** Runs a shaped statement with its placeholders' values, rows mapped to its fields as the builder would. */
export async function executeShaped(db: Db, statement: ShapedStatement, values: Record<string, unknown>): Promise<unknown[]> {
  const internals = db as unknown as SessionInternals;
  return (await internals.session.prepareQuery(statement.query, statement.fields, statement.name, true).execute(values)) as unknown[];
}
