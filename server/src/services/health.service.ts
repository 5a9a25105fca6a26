import type { Clock } from '../adapters/clock.js';
import type { Db } from '../db/client.js';
import { latestMigrationLevel } from '../db/migrate.js';
import { readMigrationLevel } from '../repositories/backup.repository.js';
import { pingDatabase } from '../repositories/health.repository.js';
import { limitStatementTime, readJobQueue, readOutboxBacklog } from '../repositories/operations.repository.js';

/** Whether the database answers: resolves when it does, throws (with the driver's reason) when it does not. */
export async function checkDatabase(db: Db): Promise<void> {
  await pingDatabase(db);
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Ready to take traffic: the database answers and holds every migration this version knows.
 * A load balancer sends requests elsewhere until both are true (a process started beside an
 * older schema, or one whose database went away).
 */
export async function checkReadiness(db: Db, expected = latestMigrationLevel()): Promise<Readiness> {
  try {
    await pingDatabase(db);
  } catch (err) {
    return { ready: false, reason: `the database does not answer (${(err as Error).message})` };
  }
  let applied: { count: number; when: number };
  try {
    applied = await readMigrationLevel(db);
  } catch (err) {
    return { ready: false, reason: `the database's migrations cannot be read (${(err as Error).message})` };
  }
  if (applied.count < expected.count || applied.when < expected.when) {
    const missing = Math.max(expected.count - applied.count, 1);
    return {
      ready: false,
      reason: `the database schema is not up to date: ${applied.count} of ${expected.count} migrations applied (${missing} missing); run "firebreak migrate" or start the server, which migrates`,
    };
  }
  return { ready: true };
}

export interface OperationalGauges {
  jobs: { due: number; running: number; oldestDueAgeSeconds: number };
  outbox: { kind: string; state: string; n: number }[];
}

/**
 * What a metrics scrape reads from the database, in one read-only transaction whose statements
 * give up after `timeoutMs` (a migration holding a table's lock, a database away): the scrape
 * then answers without them rather than hanging.
 */
export async function readOperationalGauges(deps: { db: Db; clock: Clock }, timeoutMs: number): Promise<OperationalGauges> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await limitStatementTime(tx, timeoutMs);
    const queue = await readJobQueue(tx, now);
    const outbox = await readOutboxBacklog(tx);
    const oldestDueAgeSeconds = queue.oldestDueAt ? Math.max(0, (now.getTime() - queue.oldestDueAt.getTime()) / 1000) : 0;
    return { jobs: { due: queue.due, running: queue.running, oldestDueAgeSeconds }, outbox };
  });
}
