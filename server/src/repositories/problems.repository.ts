import { and, asc, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { services, tickets } from '../db/schema/index.js';

const OPEN = ['new', 'assigned', 'in_progress', 'on_hold'] as const;

/** The incidents linked to a problem, oldest number first, with what both pages list of them. */
export async function listProblemIncidents(db: Db, problemId: string, limit: number) {
  return db
    .select({ id: tickets.id, number: tickets.number, title: tickets.title, state: tickets.state, priority: tickets.priority })
    .from(tickets)
    .where(eq(tickets.problemId, problemId))
    .orderBy(asc(tickets.number))
    .limit(limit);
}

/**
 * The open known errors that may apply to a ticket of this service or category: problems marked
 * known error, open, on the same service, or with no service and the same category. The pure
 * rule (core/problems.ts knownErrorsFor) has the last word; this only narrows the rows read.
 */
export async function listKnownErrorCandidates(db: Db, where: { serviceId: string | null; categoryId: string | null }) {
  const byService = where.serviceId ? eq(tickets.serviceId, where.serviceId) : undefined;
  const byCategory = where.categoryId ? and(isNull(tickets.serviceId), eq(tickets.categoryId, where.categoryId)) : undefined;
  if (!byService && !byCategory) return [];
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      kind: tickets.kind,
      state: tickets.state,
      knownErrorAt: tickets.knownErrorAt,
      workaround: tickets.workaround,
      serviceId: tickets.serviceId,
      categoryId: tickets.categoryId,
    })
    .from(tickets)
    .where(and(eq(tickets.kind, 'problem'), isNotNull(tickets.knownErrorAt), inArray(tickets.state, [...OPEN]), or(byService, byCategory)))
    .orderBy(asc(tickets.knownErrorAt))
    .limit(50);
}

/** Service names by id, for the impact list. */
export async function serviceNamesByIds(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: services.id, name: services.name })
    .from(services)
    .where(inArray(services.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
