import { and, asc, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { type Db, rowsOf } from '../db/client.js';
import { automationRules, tickets, timelineEvents } from '../db/schema/index.js';

export type AutomationRuleRow = typeof automationRules.$inferSelect;
export type NewAutomationRuleRow = typeof automationRules.$inferInsert;

/** Every rule in the order they run. */
export async function listAutomationRules(db: Db): Promise<AutomationRuleRow[]> {
  return db.select().from(automationRules).orderBy(asc(automationRules.position), asc(automationRules.id));
}

/** The rules that run, in order: read on every ticket change that is not silent. */
export async function listEnabledAutomationRules(db: Db): Promise<AutomationRuleRow[]> {
  return db
    .select()
    .from(automationRules)
    .where(eq(automationRules.enabled, true))
    .orderBy(asc(automationRules.position), asc(automationRules.id));
}

export async function findAutomationRule(db: Db, id: string): Promise<AutomationRuleRow | undefined> {
  const [row] = await db.select().from(automationRules).where(eq(automationRules.id, id));
  return row;
}

/** A new rule goes last. */
export async function insertAutomationRule(db: Db, row: Omit<NewAutomationRuleRow, 'position'>): Promise<AutomationRuleRow> {
  const [saved] = await db
    .insert(automationRules)
    .values({ ...row, position: sql`(SELECT coalesce(max(${automationRules.position}), 0) + 1 FROM ${automationRules})` })
    .returning();
  return saved;
}

/** Saves a new version when the row is still at `version`; undefined when someone saved first. */
export async function updateAutomationRule(
  db: Db,
  id: string,
  version: number,
  patch: Partial<NewAutomationRuleRow>,
): Promise<AutomationRuleRow | undefined> {
  const [saved] = await db
    .update(automationRules)
    .set({ ...patch, version: version + 1 })
    .where(and(eq(automationRules.id, id), eq(automationRules.version, version)))
    .returning();
  return saved;
}

/** Firebreak switches a rule off, saying why (a new version, so an admin's open form is told). */
export async function disableAutomationRule(db: Db, id: string, reason: string, at: Date): Promise<void> {
  await db
    .update(automationRules)
    .set({ enabled: false, disabledReason: reason, version: sql`${automationRules.version} + 1`, updatedAt: at })
    .where(eq(automationRules.id, id));
}

export async function deleteAutomationRule(db: Db, id: string): Promise<void> {
  await db.delete(automationRules).where(eq(automationRules.id, id));
}

/** The rules' order, as listed (positions 1…n); rules not listed keep theirs after them. */
export async function setAutomationRuleOrder(db: Db, ids: readonly string[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    await db
      .update(automationRules)
      .set({ position: i + 1 })
      .where(eq(automationRules.id, id));
  }
}

/** The services a service is a component of, nearest first (a rule on a service covers its components). */
export async function listServiceAncestorIds(db: Db, serviceId: string): Promise<string[]> {
  const result = await db.execute<{ id: string }>(sql`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM services WHERE id = ${serviceId}
      UNION ALL
      SELECT s.id, s.parent_id, up.depth + 1 FROM services s JOIN up ON s.id = up.parent_id WHERE up.depth < 20
    )
    SELECT id FROM up WHERE depth > 0 ORDER BY depth`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

/** The tickets a dry run looks at: the newest `limit` opened in [from, to), newest first. */
export async function listTicketsForDryRun(db: Db, range: { limit: number; from?: Date; to?: Date }) {
  const where = and(
    range.from ? gte(tickets.openedAt, range.from) : undefined,
    range.to ? lt(tickets.openedAt, range.to) : undefined,
    sql`${tickets.kind} <> 'change'`,
  );
  return db.select().from(tickets).where(where).orderBy(desc(tickets.openedAt), desc(tickets.id)).limit(range.limit);
}

/**
 * When a person last replied or wrote a work note on the ticket (core/automation/idle.ts: what
 * ends an idle stretch); null when nobody has.
 */
export async function findLastIdleActivityAt(db: Db, ticketId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: timelineEvents.at })
    .from(timelineEvents)
    .where(
      and(eq(timelineEvents.ticketId, ticketId), inArray(timelineEvents.type, ['comment', 'work_note']), isNotNull(timelineEvents.actorId)),
    )
    .orderBy(desc(timelineEvents.at))
    .limit(1);
  return row?.at ?? null;
}

/**
 * A page of open tickets (by id, after `after`) with when their idle stretch began: the last
 * reply or work note by a person, else their opening (core/automation/idle.ts).
 */
export async function listOpenTicketsWithLastActivity(
  db: Db,
  page: { after: string | null; limit: number },
): Promise<{ id: string; slaPolicyId: string | null; since: Date }[]> {
  const result = await db.execute<{ id: string; sla_policy_id: string | null; since: Date | string }>(sql`
    SELECT t.id, t.sla_policy_id,
      coalesce((SELECT max(e.at) FROM timeline_events e
                WHERE e.ticket_id = t.id AND e.type IN ('comment', 'work_note') AND e.actor_id IS NOT NULL), t.opened_at) AS since
    FROM tickets t
    WHERE t.state IN (${sql.join(
      OPEN_STATES.map((s) => sql`${s}`),
      sql`, `,
    )})
      ${page.after ? sql`AND t.id > ${page.after}` : sql``}
    ORDER BY t.id
    LIMIT ${page.limit}`);
  return rowsOf<{ id: string; sla_policy_id: string | null; since: Date | string }>(result).map((r) => ({
    id: r.id,
    slaPolicyId: r.sla_policy_id,
    since: new Date(r.since),
  }));
}

/** Whether the idle stretch of `hours` that began at `since` (ISO) already set rules off on the ticket. */
export async function hasIdleFiring(db: Db, ticketId: string, hours: number, since: string): Promise<boolean> {
  const [row] = await db
    .select({ id: timelineEvents.id })
    .from(timelineEvents)
    .where(
      and(
        eq(timelineEvents.ticketId, ticketId),
        eq(timelineEvents.type, 'automation_ran'),
        sql`${timelineEvents.data}->'idle' = ${JSON.stringify({ hours, since })}::jsonb`,
      ),
    )
    .limit(1);
  return row !== undefined;
}
