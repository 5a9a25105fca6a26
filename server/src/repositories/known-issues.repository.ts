import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { hasRoleAtLeast, OPEN_STATES, ROLES } from '../../../core/vocabulary.js';

const STAFF_ROLES = ROLES.filter((role) => hasRoleAtLeast(role, 'agent'));

/**
 * The desk's public words: a public comment written by staff. What a requester wrote on their
 * own ticket is never shown to everyone. The query must join `users` on the event's actor.
 */
export function isPublicDeskComment() {
  return and(eq(timelineEvents.type, 'comment'), eq(timelineEvents.internal, false), inArray(users.role, STAFF_ROLES));
}

import type { Db } from '../db/client.js';
import { services, tickets, timelineEvents, users } from '../db/schema/index.js';

export interface KnownIssueRow {
  id: string;
  number: string;
  title: string;
  state: string;
  priority: number;
  openedAt: Date;
  serviceId: string | null;
  serviceName: string | null;
}

/** Open incidents of global scope, on any of these services (all services when null). */
export async function listOpenGlobalIncidents(db: Db, serviceIds: string[] | null, limit: number): Promise<KnownIssueRow[]> {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      state: tickets.state,
      priority: tickets.priority,
      openedAt: tickets.openedAt,
      serviceId: tickets.serviceId,
      serviceName: services.name,
    })
    .from(tickets)
    .leftJoin(services, eq(services.id, tickets.serviceId))
    .where(
      and(
        eq(tickets.kind, 'incident'),
        eq(tickets.scope, 'global'),
        inArray(tickets.state, [...OPEN_STATES]),
        serviceIds ? inArray(tickets.serviceId, serviceIds) : undefined,
      ),
    )
    .orderBy(asc(tickets.priority), desc(tickets.openedAt))
    .limit(limit);
}

/** The newest public comment of each ticket: what the desk last told the people affected. */
export async function latestPublicComments(db: Db, ticketIds: string[]): Promise<Map<string, { id: number; at: Date; body: string }>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([timelineEvents.ticketId], {
      id: timelineEvents.id,
      ticketId: timelineEvents.ticketId,
      at: timelineEvents.at,
      body: timelineEvents.body,
    })
    .from(timelineEvents)
    // The desk's words only: what a requester wrote on their own ticket is not shown to everyone.
    .innerJoin(users, eq(users.id, timelineEvents.actorId))
    .where(and(inArray(timelineEvents.ticketId, ticketIds), isPublicDeskComment()))
    .orderBy(timelineEvents.ticketId, desc(timelineEvents.id));
  return new Map(rows.map((r) => [r.ticketId, { id: r.id, at: r.at, body: r.body ?? '' }]));
}

/** Every public comment the desk wrote on a ticket, oldest first: a known problem's updates. */
export async function listPublicDeskUpdates(db: Db, ticketId: string, limit: number): Promise<{ id: number; at: Date; body: string }[]> {
  const rows = await db
    .select({ id: timelineEvents.id, at: timelineEvents.at, body: timelineEvents.body })
    .from(timelineEvents)
    .innerJoin(users, eq(users.id, timelineEvents.actorId))
    .where(and(eq(timelineEvents.ticketId, ticketId), isPublicDeskComment()))
    .orderBy(asc(timelineEvents.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, at: r.at, body: r.body ?? '' }));
}
