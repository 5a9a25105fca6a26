import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { idempotencyKeys } from '../db/schema/index.js';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/**
 * Claims a key inside the caller's transaction. When another transaction holds the same key,
 * PostgreSQL makes this insert wait for it to finish, so a concurrent retry sees its result.
 * Returns the earlier claim when the key was already used.
 */
export async function claimIdempotencyKey(
  db: Db,
  row: { userId: string; key: string; requestHash: string; createdAt: Date },
): Promise<IdempotencyRow | undefined> {
  const inserted = await db.insert(idempotencyKeys).values(row).onConflictDoNothing().returning();
  if (inserted.length > 0) return undefined;
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, row.userId), eq(idempotencyKeys.key, row.key)));
  return existing;
}

export async function recordIdempotentResult(db: Db, userId: string, key: string, resourceId: string): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ resourceId })
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
}
