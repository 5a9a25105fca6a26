import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cannedReplies } from '../db/schema/index.js';

export type CannedReplyRow = typeof cannedReplies.$inferSelect;

/** The shared replies and the person's own, shared first, then by name. */
export async function listCannedRepliesFor(db: Db, userId: string): Promise<CannedReplyRow[]> {
  return db
    .select()
    .from(cannedReplies)
    .where(or(isNull(cannedReplies.ownerId), eq(cannedReplies.ownerId, userId)))
    .orderBy(asc(cannedReplies.ownerId), asc(cannedReplies.name), asc(cannedReplies.id));
}

export async function findCannedReply(db: Db, id: string): Promise<CannedReplyRow | undefined> {
  const [row] = await db.select().from(cannedReplies).where(eq(cannedReplies.id, id));
  return row;
}

export async function insertCannedReply(db: Db, row: typeof cannedReplies.$inferInsert): Promise<CannedReplyRow> {
  const [saved] = await db.insert(cannedReplies).values(row).returning();
  return saved;
}

/** Saves a new version when the row is still at `version`; undefined when someone saved first. */
export async function updateCannedReply(
  db: Db,
  id: string,
  version: number,
  patch: Partial<typeof cannedReplies.$inferInsert>,
): Promise<CannedReplyRow | undefined> {
  const [saved] = await db
    .update(cannedReplies)
    .set({ ...patch, version: version + 1 })
    .where(and(eq(cannedReplies.id, id), eq(cannedReplies.version, version)))
    .returning();
  return saved;
}

export async function deleteCannedReply(db: Db, id: string): Promise<void> {
  await db.delete(cannedReplies).where(eq(cannedReplies.id, id));
}
