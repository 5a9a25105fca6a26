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
 * Safety first: an engine goes back to the pool only when it provably equals a fresh clone — its
 * catalogs (tables, columns, functions and their bodies, triggers and whether they fire,
 * constraints, indexes, views, planner statistics, sizes the planner reads) fingerprint exactly as
 * the template's did, and the template's rows are back. A file that changed the schema, ran
 * ANALYZE or left anything else behind closes its engine; the next file gets a fresh clone. The
 * handle a file had is revoked at close, so a loop it forgot to stop cannot write into the next
 * file's database: it gets an error, as from a closed engine.
 *
 * Only the `database` tier reuses (its files share a worker's modules, `isolate: false`); the
 * isolated tiers would leak a pooled engine with their module graph.
 */

/** What the template looked like, learnt from the first fresh clone of a worker. */
interface TemplateState {
  fingerprint: string;
  /** Tables that hold rows in the template (the migrations' journal, seeded incident roles), as JSON. */
  seeded: { table: string; columns: string[]; rows: string; digest: string }[];
  sequences: { name: string; lastValue: string | null; start: string }[];
  /** The planner's size figures of every relation (a TRUNCATE resets them). */
  sizes: { oid: number; pages: number; tuples: number; allVisible: number }[];
}

interface Pooled {
  client: PGlite;
  template: TemplateState;
}

const USER_NAMESPACES = `(select oid from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_toast%' and nspname not like 'pg\\_temp%')`;

/**
 * Everything a test could change in the schema or in what the planner knows, as one string.
 * Object identities (oids) change when anything is dropped and created again; bodies, enabled
 * flags and statistics are compared by content.
 */
const FINGERPRINT = `select concat_ws(' | ',
  (select md5(string_agg(concat_ws(':', oid, relname, relkind, relnamespace, relpages, reltuples, relallvisible, relhasindex, relhastriggers, relrowsecurity, relpersistence), ',' order by oid)) from pg_class where relnamespace in ${USER_NAMESPACES}),
  (select md5(string_agg(concat_ws(':', attrelid, attnum, attname, atttypid, attnotnull, atthasdef, attisdropped, attgenerated), ',' order by attrelid, attnum)) from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relnamespace in ${USER_NAMESPACES}),
  (select md5(string_agg(concat_ws(':', oid, adrelid, adnum, adbin::text), ',' order by oid)) from pg_attrdef),
  (select md5(string_agg(concat_ws(':', oid, proname, prosrc, proconfig::text), ',' order by oid)) from pg_proc where pronamespace in ${USER_NAMESPACES}),
  (select md5(string_agg(concat_ws(':', oid, tgname, tgenabled, tgrelid), ',' order by oid)) from pg_trigger),
  (select md5(string_agg(concat_ws(':', oid, conname, convalidated, conrelid), ',' order by oid)) from pg_constraint),
  (select md5(string_agg(concat_ws(':', indexrelid, indisvalid, indisready), ',' order by indexrelid)) from pg_index),
  (select md5(string_agg(concat_ws(':', oid, ev_class, ev_enabled, ev_action::text), ',' order by oid)) from pg_rewrite where ev_class in (select oid from pg_class where relnamespace in ${USER_NAMESPACES})),
  (select md5(string_agg(concat_ws(':', starelid, staattnum, stainherit, stanullfrac, stawidth, stadistinct), ',' order by starelid, staattnum, stainherit)) from pg_statistic),
  (select md5(string_agg(concat_ws(':', oid, nspname), ',' order by oid)) from pg_namespace),
  (select md5(string_agg(concat_ws(':', oid, typname), ',' order by oid)) from pg_type where typnamespace in ${USER_NAMESPACES}),
  (select md5(string_agg(concat_ws(':', oid, extname, extversion), ',' order by oid)) from pg_extension),
  (select md5(string_agg(concat_ws(':', seqrelid, seqstart, seqincrement, seqmax, seqmin, seqcycle), ',' order by seqrelid)) from pg_sequence),
  (select count(*) from pg_db_role_setting),
  (select count(*) from pg_policy)
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
  const sequences = await rows<{ name: string; lastValue: string | null; start: string }>(
    client,
    `select format('%I.%I', schemaname, sequencename) as name, last_value::text as "lastValue", start_value::text as start from pg_sequences`,
  );
  const sizes = await rows<TemplateState['sizes'][number]>(
    client,
    `select oid::int as oid, relpages as pages, reltuples as tuples, relallvisible as "allVisible" from pg_class where relnamespace in ${USER_NAMESPACES}`,
  );
  return { fingerprint, seeded, sequences, sizes };
}

const digestOf = (table: string) => `(select md5(coalesce(string_agg(r::text, ',' order by r::text), '')) from ${table} r)`;

/**
 * Puts an engine back to the template's state; true when it now provably equals a fresh clone.
 * Its listeners, session settings, advisory locks and temporary tables go; every table written
 * since (a table never written has no pages) is emptied, the template's rows go back in, and
 * sequences and planner sizes are set to the template's.
 */
async function resetToTemplate(client: PGlite, template: TemplateState): Promise<boolean> {
  await client.exec('UNLISTEN *; RESET ALL; SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES');
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
  const sequenceResets = template.sequences.map((s) =>
    s.lastValue === null ? `setval(${literal(s.name)}, ${s.start}, false)` : `setval(${literal(s.name)}, ${s.lastValue}, true)`,
  );
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
    }
    pooled = { client, template: await template };
  }
  return lease(templatePath, pooled);
}

function lease(templatePath: string, pooled: Pooled): Database {
  const { client } = pooled;
  let revoked = false;
  const unsubscribes: (() => Promise<void> | void)[] = [];
  const handle = new Proxy(client, {
    get(target, property) {
      if (revoked) throw new Error('this test database was closed; a late caller (a loop not stopped?) used it');
      const value = Reflect.get(target, property, target);
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
      return typeof value === 'function' ? value.bind(target) : value;
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
        } catch {
          // An engine that cannot be reset (an aborted transaction, a closed engine) is not reused.
          reusable = false;
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
