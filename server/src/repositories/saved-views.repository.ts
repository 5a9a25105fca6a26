import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { savedViews } from '../db/schema/index.js';

export type SavedViewRow = typeof savedViews.$inferSelect;

export async function listSavedViews(db: Db, userId: string): Promise<SavedViewRow[]> {
  return db.select().from(savedViews).where(eq(savedViews.userId, userId)).orderBy(asc(savedViews.name));
}

/** Saving a view under a name the person already uses replaces it. */
export async function upsertSavedView(db: Db, row: typeof savedViews.$inferInsert): Promise<SavedViewRow> {
  const [saved] = await db
    .insert(savedViews)
    .values(row)
    .onConflictDoUpdate({ target: [savedViews.userId, savedViews.name], set: { queue: row.queue, filters: row.filters } })
    .returning();
  return saved;
}

export async function deleteSavedView(db: Db, userId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, userId)))
    .returning({ id: savedViews.id });
  return deleted.length > 0;
}
