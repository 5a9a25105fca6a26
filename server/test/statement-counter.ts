import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Database } from '../src/db/client.js';

export interface StatementLog {
  /** The SQL text of every statement sent since the last `reset()`, in order. */
  statements: string[];
  reset(): void;
}

/**
 * Records every statement a database handle sends to the engine (transaction control included),
 * to count the round trips a use case costs. PostgreSQL: each pooled connection's `query` is
 * wrapped when it is handed out; PGlite: the client's and each transaction's `query`/`exec`.
 */
export function countStatements(database: Database): StatementLog {
  const log: StatementLog = {
    statements: [],
    reset() {
      log.statements.length = 0;
    },
  };
  const record = (text: unknown) => {
    const sql = typeof text === 'string' ? text : (text as { text?: string })?.text;
    if (sql) log.statements.push(sql.replace(/\s+/g, ' ').trim());
  };
  const wrap = <T extends { query: unknown; exec?: unknown }>(target: T) => {
    const query = (target.query as (...args: unknown[]) => unknown).bind(target);
    (target as { query: unknown }).query = (...args: unknown[]) => {
      record(args[0]);
      return query(...args);
    };
    if (typeof target.exec === 'function') {
      const exec = (target.exec as (...args: unknown[]) => unknown).bind(target);
      (target as { exec: unknown }).exec = (...args: unknown[]) => {
        record(args[0]);
        return exec(...args);
      };
    }
  };
  if (database.raw.kind === 'postgres') {
    const wrapped = new WeakSet<pg.PoolClient>();
    database.raw.pool.on('acquire', (client) => {
      if (wrapped.has(client)) return;
      wrapped.add(client);
      wrap(client);
    });
  } else {
    const client: PGlite = database.raw.client;
    wrap(client as unknown as { query: unknown; exec: unknown });
    const transaction = client.transaction.bind(client);
    client.transaction = ((callback: (tx: unknown) => Promise<unknown>) => {
      record('BEGIN');
      return transaction(async (tx) => {
        wrap(tx as unknown as { query: unknown; exec: unknown });
        const result = await callback(tx);
        record('COMMIT');
        return result;
      });
    }) as PGlite['transaction'];
  }
  return log;
}
