import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { webhookSubscriptions } from '../db/schema/index.js';

export type WebhookRow = typeof webhookSubscriptions.$inferSelect;

export async function insertWebhook(db: Db, row: typeof webhookSubscriptions.$inferInsert): Promise<WebhookRow> {
  const [created] = await db.insert(webhookSubscriptions).values(row).returning();
  return created;
}

export async function listWebhooks(db: Db): Promise<WebhookRow[]> {
  return db.select().from(webhookSubscriptions).orderBy(asc(webhookSubscriptions.createdAt));
}

export async function listActiveWebhooks(db: Db): Promise<WebhookRow[]> {
  return db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.active, true));
}

/** Deactivated, not deleted: the delivery log keeps pointing at it. */
export async function deactivateWebhook(db: Db, id: string): Promise<WebhookRow | undefined> {
  const [row] = await db.update(webhookSubscriptions).set({ active: false }).where(eq(webhookSubscriptions.id, id)).returning();
  return row;
}

export async function findWebhookById(db: Db, id: string): Promise<WebhookRow | undefined> {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return row;
}
