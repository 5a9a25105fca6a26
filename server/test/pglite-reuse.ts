import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { type Database, type Db, openPglite } from '../src/db/client.js';
import * as schema from '../src/db/schema/index.js';

/**
 * PGlite test databases handed from one test file to the next within a worker, put back to the
 * template's exact state in between, instead of a new engine per file.
 *
 * Why: starting a PGlite from the template's dump costs ~300 ms of CPU on a quiet machine and
 * ~800 ms when both workers are busy; the database tier cloned 57 times, about a third of
 * test:fast's CPU. Putting a used engine back costs tens of milliseconds: its written tables are
 * emptied, the template's rows and sequence positions restored, and the session's state dropped.
 *
 * Safety first: an engine goes back to the pool only when what a test can observe matches a fresh
 * clone — the catalogs' rows (tables, columns, functions and their bodies, triggers, constraints,
 * indexes, views, types and enum values, statistics), every relation's size on disk, the
 * template's rows and sequence positions — and its session was discarded. A file that changed the
 * schema, ran ANALYZE or left a transaction open closes its engine; the next file gets a fresh
 * clone. Not covered: what a file mutates inside the engine's JavaScript objects (say, its type
 * parsers); assignments made through the handle stay on the handle. The handle a file had is
 * revoked at close, so a loop it forgot to stop cannot write into the next file's database: it
 * gets an error, as from a closed engine.
 *
 * Only the tiers whose files share a worker's modules (`isolate: false`: database and http) reuse,
 * through the project's `provide: { reusePglite: true }`; an isolated tier would leak a pooled
 * engine with each file's module graph.
 */

/** What the template looked like, learnt from the first fresh clone of a worker. */
interface TemplateState {
  fingerprint: string;
  /** Tables that hold rows in the template (the migrations' journal, seeded incident roles), as JSON. */
  seeded: { table: string; columns: string[]; rows: string; digest: string }[];
  /** Each sequence's position as `setval` takes it back: its last value and whether it was drawn. */
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  /** The planner's size figures of every relation (a TRUNCATE resets them). */
  sizes: { oid: number; pages: number; tuples: number; allVisible: number }[];
}

interface Pooled {
  client: PGlite;
  template: TemplateState;
}

const USER_NAMESPACES = `(select oid from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_toast%' and nspname not like 'pg\\_temp%')`;

/**
 * Everything a test could change in the schema or in what the planner knows, as one string: the
 * catalogs' whole rows (less the columns every TRUNCATE changes: a relation's file number and
 * freeze horizons), so a function replaced in place, a trigger redefined, an enum value added, a
 * grant, a column default or a planner statistic all show; and every relation's size on disk,
 * which the planner reads beside its statistics.
 */
const wholeRows = (catalog: string, order: string, where = 'true') =>
  `(select md5(string_agg(to_jsonb(t)::text, ',' order by ${order})) from ${catalog} t where ${where})`;
const FINGERPRINT = `select concat_ws(' | ',
  (select md5(string_agg((to_jsonb(t) - 'relfilenode' - 'relfrozenxid' - 'relminmxid')::text || ':' || pg_relation_size(t.oid), ',' order by t.oid)) from pg_class t where relnamespace in ${USER_NAMESPACES}),
  (select md5(string_agg(concat_ws(':', attrelid, attnum, attname, atttypid, atttypmod, attndims, attnotnull, atthasdef, attidentity, attgenerated, attisdropped, attcollation, attacl::text, attoptions::text), ',' order by attrelid, attnum))
     from pg_attribute where attrelid in (select oid from pg_class where relnamespace in ${USER_NAMESPACES})),
  ${wholeRows('pg_attrdef', 'oid')},
  ${wholeRows('pg_proc', 'oid', `pronamespace in ${USER_NAMESPACES}`)},
  ${wholeRows('pg_trigger', 'oid')},
  ${wholeRows('pg_constraint', 'oid')},
  ${wholeRows('pg_index', 'indexrelid')},
  ${wholeRows('pg_rewrite', 'oid', `ev_class in (select oid from pg_class where relnamespace in ${USER_NAMESPACES})`)},
  (select md5(string_agg(t::text, ',' order by starelid, staattnum, stainherit)) from pg_statistic t),
  ${wholeRows('pg_namespace', 'oid')},
  ${wholeRows('pg_type', 'oid', `typnamespace in ${USER_NAMESPACES}`)},
  ${wholeRows('pg_enum', 'oid')},
  ${wholeRows('pg_extension', 'oid')},
  ${wholeRows('pg_sequence', 'seqrelid')},
  ${wholeRows('pg_db_role_setting', 'setdatabase, setrole')},
  ${wholeRows('pg_policy', 'oid')},
  ${wholeRows('pg_inherits', 'inhrelid, inhseqno')}
) as fingerprint`;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function rows<T>(client: PGlite, text: string): Promise<T[]> {
  return (await client.query<T>(text)).rows;
}

async function learnTemplate(client: PGlite): Promise<TemplateState> {
  const [{ fingerprint }] = await rows<{ fingerprint: string }>(client, FINGERPRINT);
  const tables = await rows<{ name: string; oid: number }>(
    client,
    `select format('%I.%I', n.nspname, c.relname) as name, c.oid::int as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and c.relnamespace in ${USER_NAMESPACES} order by 1`,
  );
  const seeded: TemplateState['seeded'] = [];
  for (const table of tables) {
    const [{ n }] = await rows<{ n: number }>(client, `select count(*)::int as n from ${table.name}`);
    if (n === 0) continue;
    const columns = (
      await rows<{ name: string }>(
        client,
        `select attname as name from pg_attribute where attrelid = ${table.oid} and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
      )
    ).map((c) => c.name);
    const [{ json, digest }] = await rows<{ json: string; digest: string }>(
      client,
      `select json_agg(t)::text as json, ${digestOf(table.name)} as digest from ${table.name} t`,
    );
    seeded.push({ table: table.name, columns, rows: json, digest });
  }
  const sequences: TemplateState['sequences'] = [];
  for (const { name } of await rows<{ name: string }>(
    client,
    `select format('%I.%I', schemaname, sequencename) as name from pg_sequences`,
  )) {
    const [position] = await rows<{ lastValue: string; isCalled: boolean }>(
      client,
      `select last_value::text as "lastValue", is_called as "isCalled" from ${name}`,
    );
    sequences.push({ name, ...position });
  }
  const sizes = await rows<TemplateState['sizes'][number]>(
    client,
    `select oid::int as oid, relpages as pages, reltuples as tuples, relallvisible as "allVisible" from pg_class where relnamespace in ${USER_NAMESPACES}`,
  );
  return { fingerprint, seeded, sequences, sizes };
}

const digestOf = (table: string) => `(select md5(coalesce(string_agg(r::text, ',' order by r::text), '')) from ${table} r)`;

/**
 * Puts an engine back to the template's state; true when it now provably equals a fresh clone.
 * Its session state goes (DISCARD ALL); every table written
 * since (a table never written has no pages) is emptied, the template's rows go back in, and
 * sequences and planner sizes are set to the template's.
 */
async function resetToTemplate(client: PGlite, template: TemplateState): Promise<boolean> {
  // Settings, role and session authorization, listened channels, advisory locks, temporary
  // tables, cursors, prepared statements and cached plans: all of it, as a new session has none.
  // It fails inside a transaction left open: such an engine is not handed on.
  await client.exec('DISCARD ALL');
  const seededTables = new Set(template.seeded.map((s) => s.table));
  const written = await rows<{ name: string }>(
    client,
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and c.relnamespace in ${USER_NAMESPACES} and pg_relation_size(c.oid) > 0`,
  );
  const toEmpty = [...new Set([...written.map((t) => t.name), ...seededTables])];
  const refill = template.seeded
    .map(
      (s) =>
        `INSERT INTO ${s.table} (${s.columns.map(quoteIdent).join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${s.columns.map(quoteIdent).join(', ')} FROM json_populate_recordset(NULL::${s.table}, ${literal(s.rows)});`,
    )
    .join('\n');
  // Replica mode: the tables' own triggers (the timeline refuses TRUNCATE; rollups) stay quiet,
  // as they were when the template's rows were first written and counted.
  await client.exec(
    `BEGIN; SET LOCAL session_replication_role = replica;
     ${toEmpty.length > 0 ? `TRUNCATE ${toEmpty.join(', ')} CASCADE;` : ''}
     ${refill}
     COMMIT;`,
  );
  const sequenceResets = template.sequences.map((s) => `setval(${literal(s.name)}, ${s.lastValue}, ${s.isCalled})`);
  if (sequenceResets.length > 0) await client.exec(`SELECT ${sequenceResets.join(', ')}`);
  await client.query(
    `UPDATE pg_class c SET relpages = t.pages, reltuples = t.tuples, relallvisible = t.all_visible
     FROM unnest($1::oid[], $2::int[], $3::real[], $4::int[]) AS t(oid, pages, tuples, all_visible)
     WHERE c.oid = t.oid AND (c.relpages, c.reltuples, c.relallvisible) IS DISTINCT FROM (t.pages, t.tuples, t.all_visible)`,
    [
      template.sizes.map((s) => s.oid),
      template.sizes.map((s) => s.pages),
      template.sizes.map((s) => s.tuples),
      template.sizes.map((s) => s.allVisible),
    ],
  );
  const [{ fingerprint }] = await rows<{ fingerprint: string }>(client, FINGERPRINT);
  if (fingerprint !== template.fingerprint) return false;
  for (const s of template.seeded) {
    const [{ digest }] = await rows<{ digest: string }>(client, `select ${digestOf(s.table)} as digest`);
    if (digest !== s.digest) return false;
  }
  return true;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const idle = new Map<string, Pooled[]>();
const templates = new Map<string, Promise<TemplateState>>();
const MAX_IDLE = 2;
let warnedResetFailure = false;

/**
 * A database in the template's state: a pooled engine when one is idle, else a fresh clone from
 * `dump`. Closing it puts the engine back (or closes it when it cannot be made equal again).
 */
export async function leasePglite(templatePath: string, dump: () => Uint8Array<ArrayBuffer>): Promise<Database> {
  let pooled = idle.get(templatePath)?.pop();
  if (!pooled) {
    const database = await openPglite('memory', { loadDataDir: new Blob([dump()]) });
    if (database.raw.kind !== 'pglite') throw new Error('openPglite returned another engine');
    const client = database.raw.client;
    let template = templates.get(templatePath);
    if (!template) {
      template = learnTemplate(client);
      templates.set(templatePath, template);
      // A failure is the file's failure, not every later file's: the next lease learns again.
      template.catch(() => templates.delete(templatePath));
    }
    pooled = { client, template: await template };
  }
  return lease(templatePath, pooled);
}

function lease(templatePath: string, pooled: Pooled): Database {
  const { client } = pooled;
  let revoked = false;
  const refuseIfClosed = () => {
    if (revoked) throw new Error('this test database was closed; a late caller (a loop not stopped?) used it');
  };
  const unsubscribes: (() => Promise<void> | void)[] = [];
  // What a file assigns through its handle (a statement counter wrapping `query`) stays on the
  // handle: the engine handed on keeps its own methods.
  const assigned = new Map<PropertyKey, unknown>();
  const handle = new Proxy(client, {
    get(target, property) {
      refuseIfClosed();
      if (assigned.has(property)) return assigned.get(property);
      if (property === 'listen') {
        return async (...args: Parameters<PGlite['listen']>) => {
          const unsubscribe = await target.listen(...args);
          unsubscribes.push(unsubscribe);
          return unsubscribe;
        };
      }
      if (property === 'onNotification') {
        return (...args: Parameters<PGlite['onNotification']>) => {
          const unsubscribe = target.onNotification(...args);
          unsubscribes.push(unsubscribe);
          return unsubscribe;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(_target, property, value) {
      refuseIfClosed();
      assigned.set(property, value);
      return true;
    },
    defineProperty(_target, property, descriptor) {
      refuseIfClosed();
      assigned.set(property, descriptor.value);
      return true;
    },
  });
  let closing: Promise<void> | null = null;
  return {
    kind: 'pglite',
    db: drizzle(handle, { schema }) as unknown as Db,
    raw: { kind: 'pglite', client: handle },
    close() {
      closing ??= (async () => {
        revoked = true;
        for (const unsubscribe of unsubscribes) await unsubscribe();
        let reusable = false;
        try {
          reusable = await resetToTemplate(client, pooled.template);
        } catch (err) {
          // Not handed on (a transaction left open, a closed engine): the next file gets a fresh
          // clone. Said once per worker, so that reuse turning itself off does not go unnoticed.
          if (!warnedResetFailure) {
            warnedResetFailure = true;
            console.warn(`pglite-reuse: a test database could not be reset, so it was closed (${(err as Error).message})`);
          }
        }
        const pool = idle.get(templatePath) ?? [];
        idle.set(templatePath, pool);
        if (reusable && !client.closed && pool.length < MAX_IDLE) pool.push(pooled);
        else if (!client.closed) await client.close();
      })();
      return closing;
    },
  };
}
