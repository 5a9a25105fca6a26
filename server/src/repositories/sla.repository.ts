import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { StateEntry } from '../../../core/sla-policy.js';
import type { OnHoldReason } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { businessCalendars, slaPolicies, timelineEvents } from '../db/schema/index.js';

export type CalendarRow = typeof businessCalendars.$inferSelect;
export type NewCalendarRow = typeof businessCalendars.$inferInsert;
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;
export type NewSlaPolicyRow = typeof slaPolicies.$inferInsert;

export async function insertCalendar(db: Db, row: NewCalendarRow): Promise<CalendarRow> {
  const [created] = await db.insert(businessCalendars).values(row).returning();
  return created;
}

export async function findCalendarById(db: Db, id: string): Promise<CalendarRow | undefined> {
  const [row] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  return row;
}

export async function listCalendars(db: Db): Promise<CalendarRow[]> {
  return db
    .select()
    .from(businessCalendars)
    .orderBy(asc(sql`lower(${businessCalendars.name})`));
}

export async function updateCalendar(db: Db, id: string, patch: Partial<NewCalendarRow>): Promise<CalendarRow | undefined> {
  if (Object.keys(patch).length === 0) return findCalendarById(db, id);
  const [row] = await db.update(businessCalendars).set(patch).where(eq(businessCalendars.id, id)).returning();
  return row;
}

export async function insertSlaPolicy(db: Db, row: NewSlaPolicyRow): Promise<SlaPolicyRow> {
  const [created] = await db.insert(slaPolicies).values(row).returning();
  return created;
}

export async function findSlaPolicyById(db: Db, id: string): Promise<SlaPolicyRow | undefined> {
  const [row] = await db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  return row;
}

export async function listSlaPolicies(db: Db): Promise<SlaPolicyRow[]> {
  return db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
}

export async function updateSlaPolicy(db: Db, id: string, patch: Partial<NewSlaPolicyRow>): Promise<SlaPolicyRow | undefined> {
  if (Object.keys(patch).length === 0) return findSlaPolicyById(db, id);
  const [row] = await db.update(slaPolicies).set(patch).where(eq(slaPolicies.id, id)).returning();
  return row;
}

/** The states a ticket went through, oldest first, read from its timeline. */
export async function listStateEntries(db: Db, ticketId: string): Promise<StateEntry[]> {
  const rows = await db
    .select({ at: timelineEvents.at, type: timelineEvents.type, changes: timelineEvents.changes, data: timelineEvents.data })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.ticketId, ticketId), inArray(timelineEvents.type, ['created', 'state_changed'])))
    .orderBy(asc(timelineEvents.id));
  const entries: StateEntry[] = [];
  for (const row of rows) {
    if (row.type === 'created') {
      entries.push({ at: row.at, state: String(row.data?.state ?? 'new'), onHoldReason: null });
      continue;
    }
    const state = row.changes?.find((c) => c.field === 'state');
    const reason = row.changes?.find((c) => c.field === 'onHoldReason');
    // A change of hold reason alone (on_hold → on_hold) may start or end a pause too.
    if (!state && !reason) continue;
    entries.push({ at: row.at, state: String(state?.to ?? 'on_hold'), onHoldReason: (reason?.to as OnHoldReason | undefined) ?? null });
  }
  return entries;
}

/** Whether a warning or breach was already recorded for this ticket, target and policy. */
export async function hasSlaEvent(
  db: Db,
  ticketId: string,
  type: 'sla_warning' | 'sla_breached',
  target: string,
  policyId: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: timelineEvents.id })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        eq(timelineEvents.type, type),
        sql`${timelineEvents.data}->>'target' = ${target}`,
        sql`${timelineEvents.data}->>'policyId' = ${policyId}`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}
