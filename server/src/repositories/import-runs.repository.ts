import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { importRuns, users } from '../db/schema/index.js';

export type ImportRunRow = typeof importRuns.$inferSelect;
export type ImportRunProgress = Partial<
  Pick<ImportRunRow, 'state' | 'phase' | 'percent' | 'rows' | 'incidents' | 'report' | 'error' | 'finishedAt'>
>;

/** Admin › Import's runs (migration 0070): one row per import, written as it goes. */
export async function insertImportRun(db: Db, row: typeof importRuns.$inferInsert): Promise<void> {
  await db.insert(importRuns).values(row);
}

/** How far it got, with the heartbeat that tells a running import from one that died. */
export async function updateImportRun(db: Db, id: string, progress: ImportRunProgress, heartbeatAt: Date): Promise<void> {
  await db
    .update(importRuns)
    .set({ ...progress, heartbeatAt })
    .where(eq(importRuns.id, id));
}

export type ImportRunWithStarter = ImportRunRow & { startedByName: string | null };

const withStarter = { run: importRuns, startedByName: users.name };

export async function findImportRun(db: Db, id: string): Promise<ImportRunWithStarter | null> {
  const [found] = await db
    .select(withStarter)
    .from(importRuns)
    .leftJoin(users, eq(users.id, importRuns.startedById))
    .where(eq(importRuns.id, id));
  return found ? { ...found.run, startedByName: found.startedByName } : null;
}

/** The latest runs, newest first (the page shows the one running, or the last one, after a reload). */
export async function listImportRuns(db: Db, limit: number): Promise<ImportRunWithStarter[]> {
  const rows = await db
    .select(withStarter)
    .from(importRuns)
    .leftJoin(users, eq(users.id, importRuns.startedById))
    .orderBy(desc(importRuns.startedAt), desc(importRuns.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.run, startedByName: r.startedByName }));
}
