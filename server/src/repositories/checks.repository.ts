import { and, asc, desc, eq, gte } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { checkResults, checks } from '../db/schema/index.js';

export type CheckRow = typeof checks.$inferSelect;
export type CheckResultRow = typeof checkResults.$inferSelect;
export type NewCheckResult = typeof checkResults.$inferInsert;

export async function insertCheck(db: Db, row: typeof checks.$inferInsert): Promise<CheckRow> {
  const [created] = await db.insert(checks).values(row).returning();
  return created;
}

export async function findCheckById(db: Db, id: string): Promise<CheckRow | undefined> {
  const [row] = await db.select().from(checks).where(eq(checks.id, id));
  return row;
}

/** The check's row, locked until the transaction ends: a probe's result and an edit never cross. */
export async function lockCheck(db: Db, id: string): Promise<CheckRow | undefined> {
  const [row] = await db.select().from(checks).where(eq(checks.id, id)).for('update');
  return row;
}

/** Removes a check with its whole probe history. */
export async function deleteCheckAndResults(db: Db, id: string): Promise<void> {
  await db.delete(checkResults).where(eq(checkResults.checkId, id));
  await db.delete(checks).where(eq(checks.id, id));
}

export async function listChecks(db: Db): Promise<CheckRow[]> {
  return db.select().from(checks).orderBy(asc(checks.createdAt), asc(checks.id));
}

export async function updateCheck(db: Db, id: string, patch: Partial<typeof checks.$inferInsert>): Promise<CheckRow | undefined> {
  const [row] = await db.update(checks).set(patch).where(eq(checks.id, id)).returning();
  return row;
}

export async function insertCheckResult(db: Db, row: NewCheckResult): Promise<void> {
  await db.insert(checkResults).values(row);
}

/** Many results in order, a thousand to a statement (well under the 65,535 parameters a statement may bind). */
export async function insertCheckResults(db: Db, rows: readonly NewCheckResult[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(checkResults).values(rows.slice(i, i + 1000));
}

/** Oldest first, from `since`, at most `limit`: the points of a response-time chart. */
export async function listCheckResults(db: Db, checkId: string, since: Date, limit: number): Promise<CheckResultRow[]> {
  const rows = await db
    .select()
    .from(checkResults)
    .where(and(eq(checkResults.checkId, checkId), gte(checkResults.at, since)))
    .orderBy(desc(checkResults.at), desc(checkResults.id))
    .limit(limit);
  return rows.reverse();
}
