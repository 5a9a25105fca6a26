import { and, asc, eq, gte, inArray, lt, notExists } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { attachmentParts, attachments } from '../db/schema/index.js';

/** One part of an attachment's bytes: one short statement, whatever the file's size. */
export async function insertAttachmentPart(
  db: Db,
  part: { attachmentId: string; seq: number; content: Buffer; createdAt: Date },
): Promise<void> {
  await db.insert(attachmentParts).values(part);
}

/** The first part at or after `seq` (parts are numbered from 0), or nothing after the last. */
export async function findAttachmentPart(db: Db, attachmentId: string, seq: number): Promise<{ seq: number; content: Buffer } | undefined> {
  const [row] = await db
    .select({ seq: attachmentParts.seq, content: attachmentParts.content })
    .from(attachmentParts)
    .where(and(eq(attachmentParts.attachmentId, attachmentId), gte(attachmentParts.seq, seq)))
    .orderBy(asc(attachmentParts.seq))
    .limit(1);
  return row;
}

export async function deleteAttachmentParts(db: Db, attachmentIds: string[]): Promise<number> {
  if (attachmentIds.length === 0) return 0;
  const deleted = await db
    .delete(attachmentParts)
    .where(inArray(attachmentParts.attachmentId, attachmentIds))
    .returning({ id: attachmentParts.attachmentId });
  return deleted.length;
}

/** Parts written before `before` whose attachment row was never committed (a crash mid-upload). */
export async function deleteOrphanAttachmentParts(db: Db, before: Date): Promise<number> {
  const deleted = await db
    .delete(attachmentParts)
    .where(
      and(
        lt(attachmentParts.createdAt, before),
        notExists(db.select({ one: attachments.id }).from(attachments).where(eq(attachments.id, attachmentParts.attachmentId))),
      ),
    )
    .returning({ id: attachmentParts.attachmentId });
  return deleted.length;
}
