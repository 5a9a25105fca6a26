import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jobs, notifications, webhookSubscriptions } from '../db/schema/index.js';

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
  return db
    .select({
      notification: notifications,
      state: jobs.state,
      attempts: jobs.attempts,
      lastError: jobs.lastError,
    })
    .from(notifications)
    .leftJoin(jobs, eq(jobs.id, sql`'notification.deliver:' || ${notifications.id}::text`))
    .where(eq(notifications.ticketId, ticketId))
    .orderBy(asc(notifications.seq));
}

/** A notification with its webhook (if any), in one query: what a delivery needs. */
export async function findNotificationForDelivery(db: Db, id: string) {
  const [row] = await db
    .select({ notification: notifications, webhook: webhookSubscriptions })
    .from(notifications)
    .leftJoin(webhookSubscriptions, eq(webhookSubscriptions.id, notifications.webhookId))
    .where(eq(notifications.id, id));
  return row;
}
