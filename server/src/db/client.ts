import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** A database handle or an open transaction: repositories accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/**
 * An open transaction, for functions whose writes only make sense together with the caller's
 * (a ticket row and its timeline events and follow-ups; a row lock held until commit). It is
 * drizzle's own transaction type: a `Tx` works wherever a `Db` does, but a plain `Db` passed
 * where a `Tx` is required is a compile error (it has no `rollback`).
 */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  db: Db;
  /** Closes connections (PostgreSQL) or flushes and closes the embedded engine (PGlite). */
  close(): Promise<void>;
  /** The engine's own client, for migrations and tests that must step around the ORM. */
  raw: { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; pool: pg.Pool };
}

// PostgreSQL returns bigint (int8) as text by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * A PostgreSQL connection runs one query at a time. Services read several things at once with
 * Promise.all, also inside a transaction (one connection); node-postgres queues such calls, but
 * calling client.query() while another waits is deprecated and goes away in pg 9. Here each
 * connection chains its promise-form queries itself, so they run one after another as before,
 * without the deprecated path. Callback and submittable forms (the pool's own one-off queries,
 * cursors) pass through untouched: they never share a connection with another query here.
 */
export function queueQueriesPerConnection(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let tail: Promise<unknown> = Promise.resolve();
  client.query = ((...args: unknown[]) => {
    const first = args[0] as { submit?: unknown } | undefined;
    if (typeof args[args.length - 1] === 'function' || typeof first?.submit === 'function') return query(...args);
    const run = tail.then(() => query(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as typeof client.query;
}

export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('connect', queueQueriesPerConnection);
  pool.on('error', (err) => {
    // An idle client lost its connection (server restart). The pool replaces it; say so.
    console.error(JSON.stringify({ level: 'error', msg: 'idle PostgreSQL connection failed', err: err.message }));
  });
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect().catch((err: Error) => {
    throw new Error(`Cannot connect to PostgreSQL at ${redact(url)}: ${err.message}`);
  });
  probe.release();
  return {
    kind: 'postgres',
    db: drizzlePg(pool, { schema }) as unknown as Db,
    raw: { kind: 'postgres', pool },
    close: () => pool.end(),
  };
}

/** Extensions the migrations create (PostgreSQL ships them; PGlite loads them per instance). */
export const PGLITE_EXTENSIONS = { pg_trgm };

/**
 * PostgreSQL's defaults are sized for a dedicated server; PGlite keeps every page it touches in its
 * WebAssembly memory, which never shrinks. With 128 MB of shared buffers and 64 MB for each index
 * built (the migrations of a first start build many) that memory grew to 200 MB; with these it
 * stays at 140 MB and an idle desk holds ~100 MB less (bench/memory.ts, ARCHITECTURE.md *Memory*).
 * An embedded desk's working set fits, and the data files stay in the operating system's cache
 * behind the buffers anyway.
 */
const PGLITE_OPTIONS = {
  extensions: PGLITE_EXTENSIONS,
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'],
};

const BYTEA_OID = 17;
/**
 * bytea to and from PGlite without its own per-byte codec (one string per byte: a 10 MiB
 * attachment blocked the event loop for seconds each way and took hundreds of MB): parameters go
 * as they are — PGlite sends a byte array as a binary parameter — and results are read as hex
 * text by Buffer's native decoder.
 */
const BYTEA_CODEC = {
  serializers: { [BYTEA_OID]: (value: Uint8Array) => value as unknown as string },
  parsers: { [BYTEA_OID]: (value: string) => Buffer.from(value.slice(2), 'hex') },
};

/**
 * The embedded engine. PGlite serves one process: two processes opening one data folder
 * would corrupt it, so a lock file in the folder refuses the second one with a clear message.
 */
export async function openPglite(
  dataDir: string | 'memory',
  // `yieldToEventLoop: false` only for the storm benchmark's before/after comparison in one run.
  options: { loadDataDir?: Blob; yieldToEventLoop?: boolean } = {},
): Promise<Database> {
  let releaseLock = () => {};
  let client: PGlite;
  if (dataDir === 'memory') {
    client = await PGlite.create({ loadDataDir: options.loadDataDir, ...PGLITE_OPTIONS, ...BYTEA_CODEC });
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(dataDir);
    try {
      client = await PGlite.create({ dataDir: path.join(dataDir, 'pglite'), ...PGLITE_OPTIONS, ...BYTEA_CODEC });
    } catch (err) {
      releaseLock();
      throw err;
    }
  }
  readDatesAsDrizzleDoes(client);
  if (options.yieldToEventLoop !== false) yieldBeforeEachTurn(client);
  return {
    kind: 'pglite',
    db: drizzlePglite(client, { schema }) as unknown as Db,
    raw: { kind: 'pglite', client },
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
}

/**
 * The types drizzle's PGlite driver asks to read as text (it turns them into dates itself): the
 * instant, date and interval types and their arrays. Its list, in drizzle-orm/pglite/session.js.
 */
const READ_AS_TEXT = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];

/**
 * drizzle hands PGlite the same few "read as text" parsers with every query, and PGlite then
 * copies its whole table of ~400 type parsers to merge them in: about half a millisecond of CPU
 * per statement, as much as running a simple statement — a third of a demo load's CPU (issue 13,
 * test:fast). The engine's own table reads those types as text once, here, and a query that asks
 * for nothing more than that goes without its copy of them. What a query gets back is unchanged
 * for drizzle; a raw `client.query` (migrations, benchmarks' seeding) now also reads those types
 * as text, as drizzle does.
 */
export function readDatesAsDrizzleDoes(client: PGlite): void {
  const asText = (value: string) => value;
  for (const oid of READ_AS_TEXT) client.parsers[oid] = asText;
  const onlyReadsAsText = (parsers: Record<number, unknown> | undefined) =>
    parsers !== undefined && Object.keys(parsers).every((oid) => READ_AS_TEXT.includes(Number(oid)));
  const withoutCopy = <Q extends PGlite['query']>(query: Q): Q =>
    ((text: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) =>
      query(text, params, onlyReadsAsText(options?.parsers) ? { ...options, parsers: undefined } : options)) as Q;
  client.query = withoutCopy(client.query.bind(client));
  const transaction = client.transaction.bind(client);
  client.transaction = ((callback: Parameters<PGlite['transaction']>[0]) =>
    transaction((tx) => {
      tx.query = withoutCopy(tx.query.bind(tx));
      return callback(tx);
    })) as PGlite['transaction'];
}

/**
 * PGlite runs each statement synchronously in this thread and hands the engine from one waiting
 * transaction to the next through promise callbacks alone, so while several writers keep it busy
 * the event loop never reaches its timers or sockets: the job worker's wake-up, the live stream,
 * anything on a timer waited until the writers paused (a storm's proposal appeared 8–65 s late,
 * after the storm, instead of within 2 s). Each statement or transaction outside a transaction
 * first yields one turn of the event loop (`setImmediate`: a few microseconds), so timers and I/O
 * that fell due run between the writers' transactions. Statements inside a transaction do not
 * yield: that would only hold the engine longer.
 */
export function yieldBeforeEachTurn(client: PGlite): void {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = (async (...args: Parameters<PGlite['query']>) => {
    await turn();
    return query(...args);
  }) as PGlite['query'];
  client.exec = async (...args: Parameters<PGlite['exec']>) => {
    await turn();
    return exec(...args);
  };
  client.transaction = (async (...args: Parameters<PGlite['transaction']>) => {
    await turn();
    return transaction(...args);
  }) as PGlite['transaction'];
}

function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'firebreak.pid');
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(fs.readFileSync(lockPath, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${holder}. ` +
          'Stop it first, or use PostgreSQL (DATABASE_URL) to run several Firebreak processes.',
      );
    }
    // A stale lock from a process that died: take it over.
    fs.writeFileSync(lockPath, String(process.pid));
  }
  return () => fs.rmSync(lockPath, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export async function openDatabase(config: { databaseUrl?: string; dataDir: string; databasePoolSize: number }): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.databasePoolSize) : openPglite(config.dataDir);
}

/** Rows of a raw `db.execute(sql…)`: both drivers answer with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
