import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jobs, notifications, webhookSubscriptions } from '../db/schema/index.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = typeof notifications.$inferInsert;

export async function insertNotifications(db: Db, rows: NewNotificationRow[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  return db.insert(notifications).values(rows).returning();
}

export async function markNotificationSent(db: Db, id: string, at: Date): Promise<void> {
  await db.update(notifications).set({ sentAt: at }).where(eq(notifications.id, id));
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
    .orderBy(asc(notifications.createdAt));
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
