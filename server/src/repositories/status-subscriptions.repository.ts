import { and, asc, eq, getTableColumns, inArray, isNotNull, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { statusAnnouncements, statusDeliveries, statusSubscribers, timelineEvents } from '../db/schema/index.js';

export type StatusSubscriberRow = typeof statusSubscribers.$inferSelect;
export type StatusAnnouncementRow = typeof statusAnnouncements.$inferSelect;

/**
 * An e-mail subscriber by its normalised address: a new one (unconfirmed), or the existing one
 * with its components replaced. `existed` tells the two apart for the page's words.
 */
export async function upsertEmailSubscriber(
  db: Db,
  input: { address: string; componentIds: string[]; now: Date },
): Promise<{ subscriber: StatusSubscriberRow; existed: boolean }> {
  const [row] = await db
    .insert(statusSubscribers)
    .values({ channel: 'email', address: input.address, componentIds: input.componentIds, createdAt: input.now, updatedAt: input.now })
    .onConflictDoUpdate({
      target: [statusSubscribers.channel, statusSubscribers.address],
      set: { componentIds: input.componentIds, updatedAt: input.now },
    })
    // xmax is 0 on a row the statement inserted, set on one it updated (PostgreSQL's own marker).
    .returning({ ...getTableColumns(statusSubscribers), created: sql<boolean>`(xmax = 0)` });
  const { created, ...subscriber } = row;
  return { subscriber, existed: !created };
}

export async function findSubscriberById(db: Db, id: string): Promise<StatusSubscriberRow | undefined> {
  const [row] = await db.select().from(statusSubscribers).where(eq(statusSubscribers.id, id));
  return row;
}

/** Confirms a waiting subscriber; returns it, or undefined when it was confirmed already (or is gone). */
export async function confirmSubscriber(db: Db, id: string, now: Date): Promise<StatusSubscriberRow | undefined> {
  const [row] = await db
    .update(statusSubscribers)
    .set({ confirmedAt: now, updatedAt: now })
    .where(and(eq(statusSubscribers.id, id), sql`${statusSubscribers.confirmedAt} IS NULL`))
    .returning();
  return row;
}

/** Claims the right to send a confirmation mail now: false when one went out within `sinceAt`. */
export async function claimConfirmationMail(db: Db, id: string, now: Date, sinceAt: Date): Promise<boolean> {
  const rows = await db
    .update(statusSubscribers)
    .set({ confirmationSentAt: now })
    .where(
      and(
        eq(statusSubscribers.id, id),
        sql`(${statusSubscribers.confirmationSentAt} IS NULL OR ${statusSubscribers.confirmationSentAt} <= ${sinceAt.toISOString()}::timestamptz)`,
      ),
    )
    .returning({ id: statusSubscribers.id });
  return rows.length > 0;
}

export async function deleteSubscriber(db: Db, id: string, channel: 'email' | 'webhook'): Promise<StatusSubscriberRow | undefined> {
  const [row] = await db
    .delete(statusSubscribers)
    .where(and(eq(statusSubscribers.id, id), eq(statusSubscribers.channel, channel)))
    .returning();
  return row;
}

export async function insertWebhookSubscriber(
  db: Db,
  row: { name: string; url: string; secret: string; componentIds: string[]; createdById: string; now: Date },
): Promise<StatusSubscriberRow> {
  const [inserted] = await db
    .insert(statusSubscribers)
    .values({
      channel: 'webhook',
      address: row.url,
      name: row.name,
      secret: row.secret,
      componentIds: row.componentIds,
      // Staff add webhooks: there is nobody to confirm, the call is the consent.
      confirmedAt: row.now,
      createdById: row.createdById,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .onConflictDoNothing()
    .returning();
  return inserted;
}

export async function listWebhookSubscribers(db: Db): Promise<StatusSubscriberRow[]> {
  return db.select().from(statusSubscribers).where(eq(statusSubscribers.channel, 'webhook')).orderBy(asc(statusSubscribers.createdAt));
}

/**
 * Confirmed subscribers per component and channel; `componentId` null counts those who
 * subscribed to every component. One grouped query, however many subscribers.
 */
export async function countConfirmedSubscribers(db: Db): Promise<{ componentId: string | null; channel: string; n: number }[]> {
  const component = sql<string | null>`c.id`;
  const rows = await db
    .select({ componentId: component, channel: statusSubscribers.channel, n: sql<number>`count(*)::int` })
    .from(statusSubscribers)
    .leftJoin(sql`unnest(${statusSubscribers.componentIds}) AS c(id)`, sql`true`)
    .where(isNotNull(statusSubscribers.confirmedAt))
    .groupBy(component, statusSubscribers.channel);
  return rows;
}

/** A public comment's words, and the stage the update composer wrote it for (null: a plain reply). */
export async function findPublicComment(db: Db, eventId: number): Promise<{ body: string | null; stage: string | null } | null> {
  const [row] = await db
    .select({ body: timelineEvents.body, stage: sql<string | null>`${timelineEvents.data}->>'stage'` })
    .from(timelineEvents)
    .where(eq(timelineEvents.id, eventId));
  return row ?? null;
}

/** The announcement of this news: the one just written, or the one an earlier run of the job wrote. */
export async function insertAnnouncement(db: Db, row: typeof statusAnnouncements.$inferInsert): Promise<StatusAnnouncementRow> {
  const [inserted] = await db.insert(statusAnnouncements).values(row).onConflictDoNothing().returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(statusAnnouncements).where(eq(statusAnnouncements.key, row.key));
  return existing;
}

/**
 * One delivery per confirmed subscriber who hears of these components, in one statement; a
 * subscriber who has one for this announcement already gets no second (the unique index is the
 * idempotency key). Returns the ids written now.
 */
export async function insertDeliveries(db: Db, announcement: StatusAnnouncementRow, now: Date): Promise<string[]> {
  const components = sql`ARRAY[${sql.join(
    announcement.componentIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const result = await db.execute<{ id: string }>(sql`
    INSERT INTO status_deliveries (announcement_id, subscriber_id, created_at)
    SELECT ${announcement.id}::uuid, s.id, ${now.toISOString()}::timestamptz
    FROM status_subscribers s
    WHERE s.confirmed_at IS NOT NULL AND (cardinality(s.component_ids) = 0 OR s.component_ids && ${components})
    ON CONFLICT DO NOTHING
    RETURNING id`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

export interface DeliveryToSend {
  id: string;
  sentAt: Date | null;
  subscriber: StatusSubscriberRow;
  announcement: StatusAnnouncementRow;
}

export async function findDeliveriesToSend(db: Db, ids: string[]): Promise<Map<string, DeliveryToSend>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: statusDeliveries.id, sentAt: statusDeliveries.sentAt, subscriber: statusSubscribers, announcement: statusAnnouncements })
    .from(statusDeliveries)
    .innerJoin(statusSubscribers, eq(statusSubscribers.id, statusDeliveries.subscriberId))
    .innerJoin(statusAnnouncements, eq(statusAnnouncements.id, statusDeliveries.announcementId))
    .where(inArray(statusDeliveries.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function markDeliveriesSent(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.update(statusDeliveries).set({ sentAt: now }).where(inArray(statusDeliveries.id, ids));
}

/** How far a fan-out got: for the desk and the tests. */
export async function countDeliveries(db: Db, announcementId: string): Promise<{ total: number; sent: number }> {
  const [row] = await db
    .select({ total: sql<number>`count(*)::int`, sent: sql<number>`count(${statusDeliveries.sentAt})::int` })
    .from(statusDeliveries)
    .where(eq(statusDeliveries.announcementId, announcementId));
  return row;
}

export async function countAwaitingConfirmation(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(statusSubscribers)
    .where(and(eq(statusSubscribers.channel, 'email'), sql`${statusSubscribers.confirmedAt} IS NULL`));
  return row.n;
}
