import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jobs, notifications, webhookSubscriptions } from '../db/schema/index.js';
import { afterKey } from './keyset.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = typeof notifications.$inferInsert;

export async function insertNotifications(db: Db, rows: NewNotificationRow[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  return db.insert(notifications).values(rows).returning();
}

export async function markNotificationsSent(db: Db, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.update(notifications).set({ sentAt: at }).where(inArray(notifications.id, ids));
}

/** The e-mails still waiting for one person about one ticket, oldest first. */
export async function listUnsentEmails(db: Db, ticketId: string, userId: string): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.ticketId, ticketId),
        eq(notifications.userId, userId),
        eq(notifications.channel, 'email'),
        isNull(notifications.sentAt),
      ),
    )
    .orderBy(asc(notifications.seq));
}

/** A ticket's delivery log: each notification with its delivery job's state and last error. */
export async function listDeliveries(db: Db, ticketId: string) {
  return (
    db
      .select({
        notification: notifications,
        state: jobs.state,
        attempts: jobs.attempts,
        lastError: jobs.lastError,
        webhookName: webhookSubscriptions.name,
      })
      .from(notifications)
      .leftJoin(jobs, eq(jobs.id, sql`'notification.deliver:' || ${notifications.id}::text`))
      .leftJoin(webhookSubscriptions, eq(webhookSubscriptions.id, notifications.webhookId))
      // In-app notifications are delivered by being stored: the log is about what goes out.
      .where(and(eq(notifications.ticketId, ticketId), ne(notifications.channel, 'in_app')))
      .orderBy(asc(notifications.seq))
  );
}

/** A notification with its webhook (if any), in one query: what a delivery needs. */
/** Notifications to deliver, with their webhook subscriptions, by id: one query for a sweep's worth. */
export async function findNotificationsForDelivery(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { notification: NotificationRow; webhook: typeof webhookSubscriptions.$inferSelect | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ notification: notifications, webhook: webhookSubscriptions })
    .from(notifications)
    .leftJoin(webhookSubscriptions, eq(webhookSubscriptions.id, notifications.webhookId))
    .where(inArray(notifications.id, [...ids]));
  return new Map(rows.map((row) => [row.notification.id, row]));
}

/** A person's in-app notifications, newest first, after the `beforeSeq` cursor. */
export async function listInAppNotifications(db: Db, userId: string, beforeSeq: number | null, limit: number): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.channel, 'in_app'),
        beforeSeq === null ? undefined : afterKey([notifications.seq], [beforeSeq], 'desc'),
      ),
    )
    .orderBy(desc(notifications.seq))
    .limit(limit);
}

export async function countUnreadInApp(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.channel, 'in_app'), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks some (or all, with `ids` null) of a person's unread in-app notifications read; returns how many. */
export async function markInAppRead(db: Db, userId: string, ids: string[] | null, at: Date): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const rows = await db
    .update(notifications)
    .set({ readAt: at })
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.channel, 'in_app'),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}
