import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testEngine } from '../../test/database.js';
import { openPostgres, rowsOf } from './client.js';

/**
 * Services read several things at once (Promise.all), also inside a transaction, where they
 * share one connection. node-postgres deprecates calling query() while another query is queued
 * (pg 9 removes it): every call must reach the driver with nothing waiting on that connection.
 */
describe.runIf(testEngine() === 'postgres')('queries read at once on one PostgreSQL connection', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reach the driver one after another, each answered, in a transaction and outside one', async () => {
    const queuedAtCall: number[] = [];
    const original = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      queuedAtCall.push((this as unknown as { _queryQueue: unknown[] })._queryQueue.length);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original);
    const database = await openPostgres(process.env.DATABASE_URL as string, 2);
    try {
      const read = (db: typeof database.db, n: number) =>
        db.execute(sql`select ${n}::int as n, pg_sleep(0.01)`).then((r) => rowsOf<{ n: number }>(r)[0]?.n);
      const inTransaction = await database.db.transaction((tx) => Promise.all([1, 2, 3, 4].map((n) => read(tx, n))));
      expect(inTransaction).toEqual([1, 2, 3, 4]);
      // A failing query in the chain does not stall the ones after it: each gets its answer.
      const settled = await database.db
        .transaction(async (tx) => Promise.allSettled([read(tx, 5), tx.execute(sql`select 1/0`), read(tx, 6)]))
        .catch(() => undefined);
      expect(settled?.slice(0, 2).map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
      expect(settled).toHaveLength(3);
      expect(await Promise.all([7, 8].map((n) => read(database.db, n)))).toEqual([7, 8]);
    } finally {
      await database.close();
    }
    expect(queuedAtCall.length).toBeGreaterThan(8);
    expect(queuedAtCall.filter((queued) => queued > 0)).toEqual([]);
  });
});
