import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../db/client.js';

/**
 * Rollups added once for many tickets instead of once per statement (migration 0074's contract).
 * A transaction that defers lists its new tickets in kpi_pending_tickets instead of counting them;
 * the drain counts them later as they then stand. Listed tickets are left out of every rollup
 * until drained, never half counted. Imports defer their batches, and every live creation defers
 * too (`insertTicketWithEvents`): counted in its own transaction, concurrent creations of one (day, team,
 * priority, kind) waited for each other's rollup row until COMMIT.
 */

/**
 * For the rest of this transaction only, new tickets are listed as pending, not counted: an
 * expression, so a writer can set it inside its own statement (`insertTicketWithEvents`).
 */
export const DEFER_ROLLUPS = sql`set_config('firebreak.defer_rollups', 'on', true)`;

/** `DEFER_ROLLUPS` as a statement of its own (an import's batch). */
export async function deferRollups(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT ${DEFER_ROLLUPS}`);
}

/**
 * One drain at a time, across processes: two would upsert the same rollup rows in orders of their
 * own and could deadlock. Held until the drain's transaction ends.
 */
const DRAIN_LOCK = sql`hashtextextended('firebreak:kpi_rollups_drain', 0)`;

/**
 * How long a drain waits for a ticket or rollup row a writer holds before it gives up (and is
 * retried): the drain locks rollup rows in an order of its own, so it could otherwise deadlock
 * with a live change of a ticket of the same day and team — and PostgreSQL might pick the
 * person's write to fail. Far under `deadlock_timeout` (1 s), so the drain is the one that yields.
 */
const DRAIN_LOCK_TIMEOUT = sql`'100ms'`;

/** PostgreSQL's "lock not available": a drain that gave up on a row a writer holds. */
export function isDrainLockTimeout(err: unknown): boolean {
  // The driver's error, or drizzle's wrapping of it.
  return [err, (err as { cause?: unknown })?.cause].some((e) => (e as { code?: string })?.code === '55P03');
}

/**
 * Unlists up to `most` pending tickets and adds them to every rollup, in one transaction; how many.
 * It waits for a drain another process is running, so when it returns 0 every ticket committed
 * before the call is counted (readers drain this way before they read).
 */
export async function drainPendingRollups(db: Db, most: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DRAIN_LOCK})`);
    await tx.execute(sql`SELECT set_config('lock_timeout', ${DRAIN_LOCK_TIMEOUT}, true)`);
    const [row] = rowsOf<{ drained: number }>(await tx.execute(sql`SELECT kpi_rollups_drain_pending(${most}::int) AS drained`));
    return Number(row.drained);
  });
}

/**
 * `drainPendingRollups` for the background: `null` without waiting when another drain is running
 * (that one carries on until the list is empty), else how many it added.
 */
export async function drainPendingRollupsUnlessBusy(db: Db, most: number): Promise<number | null> {
  // CASE evaluates its condition first: the drain runs only under the lock just taken, and after
  // its lock timeout is set (the subquery's FROM before its select list).
  const [row] = rowsOf<{ drained: number | null }>(
    await db.execute(
      sql`SELECT CASE WHEN pg_try_advisory_xact_lock(${DRAIN_LOCK})
        THEN (SELECT kpi_rollups_drain_pending(${most}::int) FROM set_config('lock_timeout', ${DRAIN_LOCK_TIMEOUT}, true)) END AS drained`,
    ),
  );
  return row.drained === null ? null : Number(row.drained);
}

/** Whether any ticket waits to be counted: one cheap read before a reader takes the drain's lock. */
export async function hasPendingRollups(db: Db): Promise<boolean> {
  const [row] = rowsOf<{ pending: boolean }>(await db.execute(sql`SELECT EXISTS (SELECT 1 FROM kpi_pending_tickets) AS pending`));
  return row.pending;
}

/** How many tickets wait to be counted (Admin › Import and tests read it). */
export async function countPendingRollups(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM kpi_pending_tickets`));
  return Number(row.n);
}
