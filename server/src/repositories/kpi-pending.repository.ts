import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../db/client.js';

/**
 * Rollups added once for many tickets instead of once per statement (migration 0074's contract).
 * A transaction that defers lists its new tickets in kpi_pending_tickets instead of counting them;
 * the drain counts them later as they then stand. Listed tickets are left out of every rollup
 * until drained, never half counted.
 */

/** For the rest of this transaction only: new tickets are listed as pending, not counted. */
export async function deferRollups(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT set_config('firebreak.defer_rollups', 'on', true)`);
}

/** Unlists up to `most` pending tickets and adds them to every rollup, in one transaction; how many. */
export async function drainPendingRollups(db: Db, most: number): Promise<number> {
  const [row] = rowsOf<{ drained: number }>(await db.execute(sql`SELECT kpi_rollups_drain_pending(${most}::int) AS drained`));
  return Number(row.drained);
}

/** How many tickets wait to be counted (Admin › Import and tests read it). */
export async function countPendingRollups(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM kpi_pending_tickets`));
  return Number(row.n);
}
