import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';

/**
 * The cheap readings an operator's scrape (/metrics) and probes (/api/v1/ready) take. Each is one
 * query on an index: the due-jobs partial index, the (state, kind) index.
 */

export interface JobQueueReading {
  /** Pending jobs whose time has come but that no worker has taken yet. */
  due: number;
  running: number;
  /** When the longest-waiting due job fell due; null when none is due. */
  oldestDueAt: Date | null;
}

export async function readJobQueue(db: Db, now: Date): Promise<JobQueueReading> {
  const [row] = rowsOf<{ due: number | string; running: number | string; oldest: string | Date | null }>(
    await db.execute(sql`
      SELECT count(*) FILTER (WHERE state = 'pending') AS due,
             count(*) FILTER (WHERE state = 'running') AS running,
             min(run_at) FILTER (WHERE state = 'pending') AS oldest
        FROM jobs
       WHERE state IN ('pending', 'running') AND run_at <= ${now.toISOString()}`),
  );
  return {
    due: Number(row?.due ?? 0),
    running: Number(row?.running ?? 0),
    oldestDueAt: row?.oldest ? new Date(row.oldest) : null,
  };
}

/** The job kinds that deliver the outbox's rows (notifications, status page subscriptions). */
export const OUTBOX_KINDS = ['notification.deliver', 'status.deliver'] as const;

/** Deliveries not yet made, by kind and state (pending, running, held while e-mail out is off). */
export async function readOutboxBacklog(db: Db): Promise<{ kind: string; state: string; n: number }[]> {
  const rows = rowsOf<{ kind: string; state: string; n: number | string }>(
    await db.execute(sql`
      SELECT kind, state, count(*) AS n
        FROM jobs
       WHERE state IN ('pending', 'running', 'held') AND kind IN (${sql.join(
         OUTBOX_KINDS.map((k) => sql`${k}`),
         sql`, `,
       )})
       GROUP BY kind, state`),
  );
  return rows.map((r) => ({ kind: r.kind, state: r.state, n: Number(r.n) }));
}

/** Bounds the statements of the current transaction: a scrape must not queue behind a migration's locks. */
export async function limitStatementTime(tx: Db, ms: number): Promise<void> {
  const bound = Math.max(1, Math.round(ms));
  await tx.execute(sql.raw(`SET LOCAL statement_timeout = ${bound}`));
  await tx.execute(sql.raw(`SET LOCAL lock_timeout = ${bound}`));
}
