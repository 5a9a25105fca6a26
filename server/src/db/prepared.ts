import * as orm from 'drizzle-orm';
import { Column, type DriverValueDecoder, is, SQL, Subquery } from 'drizzle-orm';
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
      name: string | undefined,
      arrayMode: boolean,
      customResultMapper?: (rows: unknown[][]) => unknown[],
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

/** A query builder's statement with placeholders for its values, built once, with its name and how its rows are read. */
export interface ShapedStatement {
  /** Undefined: an unnamed statement, parsed and planned on every call. */
  name: string | undefined;
  query: unknown;
  mapRows: (rows: unknown[][]) => unknown[];
}

interface BuilderInternals {
  getSQL(): SQL;
  config: { returning?: SelectedField[]; fields?: Record<string, unknown>; joins?: unknown[] };
}

/**
 * Builds a query builder's statement once, to be run by `executeShaped` on any session (a
 * transaction's included): the ORM's own `prepare` binds a statement to the session that built
 * it, and each transaction is a new session. The builder's values must all be placeholders, so
 * one text serves every call. In an INSERT's or UPDATE's values, wrap each in `sql`
 * (sql`${sql.placeholder(name)}`): a bare placeholder there is encoded by the ORM's
 * `fillPlaceholders` through the column's `mapToDriverValue` without a null check (a timestamp's
 * null throws), so encode values yourself with the column's `mapToDriverValue`. Columns with
 * `$defaultFn` or `$onUpdate` must not be left out: the ORM computes those while it builds, once.
 * The text under one name must never change (node-postgres refuses it).
 */
export function shapedStatement(db: Db, builder: object, name: string | undefined): ShapedStatement {
  const internals = builder as BuilderInternals;
  if (internals.config.joins?.length)
    throw new Error(`shapedStatement ${name}: joins are not supported (their nulls need the ORM's mapping)`);
  return {
    name,
    query: (db as unknown as SessionInternals).dialect.sqlToQuery(internals.getSQL()),
    mapRows: compileRowMapper(internals.config.returning ?? orderSelectedFields(internals.config.fields ?? {})),
  };
}

/**
 * A shaped statement built on first use and kept for every database handle and transaction
 * after (its text does not depend on them: both engines speak the same dialect).
 */
export function shapedOnce(build: (db: Db) => ShapedStatement): (db: Db) => ShapedStatement {
  let built: ShapedStatement | undefined;
  return (db) => {
    if (!built) built = build(db);
    return built;
  };
}

/** Runs a shaped statement with its placeholders' values; rows come back as the builder would give them. */
export async function executeShaped(db: Db, statement: ShapedStatement, values: Record<string, unknown>): Promise<unknown[]> {
  const internals = db as unknown as SessionInternals;
  return (await internals.session
    // Rows come in array mode and are read by the statement's own mapper, so the ORM needs no fields.
    .prepareQuery(statement.query, undefined, statement.name, true, statement.mapRows)
    .execute(values)) as unknown[];
}

/** A field of a builder's ordered selection, as the ORM lists it (`orderSelectedFields`). */
interface SelectedField {
  path: string[];
  field: unknown;
}

/** The ORM's own ordering of a selection into fields (what its `prepare` passes on): exported, but not in its types. */
const orderSelectedFields = (orm as unknown as { orderSelectedFields(fields: Record<string, unknown>): SelectedField[] })
  .orderSelectedFields;

/** How the ORM reads a field's value from the driver (`mapResultRow`'s choice of decoder). */
function decoderOf(field: unknown): (raw: unknown) => unknown {
  if (is(field, Column)) return (raw) => field.mapFromDriverValue(raw);
  const sqlOf = is(field, SQL) ? field : is(field, Subquery) ? (field._.sql as SQL) : (field as { sql: SQL }).sql;
  // `decoder` is the ORM's internal name for what `.mapWith()` sets (the identity otherwise).
  const { decoder } = sqlOf as unknown as { decoder: DriverValueDecoder<unknown, unknown> };
  return (raw) => decoder.mapFromDriverValue(raw);
}

/**
 * Rows in array mode to objects, as the ORM's `mapResultRow` makes them, with the work per field
 * (which kind of field, which decoder, where it goes) done once per statement instead of once per
 * value: a page of 50 tickets is 2,850 values, and the ORM's per-value checks were a tenth of the
 * page's server CPU. Selections without joins, nested one level at most (`{ ticket: tickets, … }`).
 */
function compileRowMapper(fields: SelectedField[]): (rows: unknown[][]) => unknown[] {
  const plan = fields.map(({ path, field }) => {
    if (path.length > 2) throw new Error(`compileRowMapper: "${path.join('.')}" is nested more than one level`);
    return { parent: path.length === 2 ? path[0] : null, key: path[path.length - 1], decode: decoderOf(field) };
  });
  return (rows) =>
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < plan.length; i++) {
        const { parent, key, decode } = plan[i];
        const raw = row[i];
        const value = raw === null ? null : decode(raw);
        if (parent === null) out[key] = value;
        else {
          if (out[parent] === undefined) out[parent] = {};
          (out[parent] as Record<string, unknown>)[key] = value;
        }
      }
      return out;
    });
}
