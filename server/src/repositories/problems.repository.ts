import { and, asc, desc, eq, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { knownErrorSolvedBy, services, tickets } from '../db/schema/index.js';

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

/**
 * Known errors a requester may be shown beside their report (the pure `shownToRequesters` has the
 * last word): open problems marked known error with a workaround for requesters, on the chosen
 * service or whose title or public workaround holds the words (`tsquery` is built from letters and
 * digits only, core/text-search.ts). Open known errors are few — the partial index
 * `tickets_known_error_idx` finds them — so the text is matched on the fly, not indexed.
 * The same service ranks first, then the better text match, then the longest-standing.
 */
export async function listRequesterKnownErrorCandidates(
  db: Db,
  where: { serviceId: string | null; tsquery: string | null },
  limit: number,
) {
  const document = sql`to_tsvector('english', ${tickets.title} || ' ' || coalesce(${tickets.publicWorkaround}, ''))`;
  const query = where.tsquery ? sql`to_tsquery('english', ${where.tsquery})` : null;
  const matches: SQL[] = [];
  if (where.serviceId) matches.push(eq(tickets.serviceId, where.serviceId));
  if (query) matches.push(sql`${document} @@ ${query}`);
  if (matches.length === 0) return [];
  const order: SQL[] = [];
  if (where.serviceId) order.push(desc(sql`${tickets.serviceId} IS NOT DISTINCT FROM ${where.serviceId}`));
  if (query) order.push(desc(sql`ts_rank(${document}, ${query})`));
  return db
    .select({
      id: tickets.id,
      kind: tickets.kind,
      state: tickets.state,
      knownErrorAt: tickets.knownErrorAt,
      publicWorkaround: tickets.publicWorkaround,
      serviceName: services.name,
    })
    .from(tickets)
    .leftJoin(services, eq(services.id, tickets.serviceId))
    .where(
      and(
        eq(tickets.kind, 'problem'),
        isNotNull(tickets.knownErrorAt),
        inArray(tickets.state, [...OPEN]),
        isNotNull(tickets.publicWorkaround),
        or(...matches),
      ),
    )
    .orderBy(...order, asc(tickets.knownErrorAt))
    .limit(limit);
}

/** Records that a known error's workaround ended this person's report; false when it already had (counted once per person). */
export async function recordKnownErrorSolvedBy(db: Db, problemId: string, userId: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insert(knownErrorSolvedBy)
    .values({ problemId, userId, solvedAt: now })
    .onConflictDoNothing()
    .returning({ userId: knownErrorSolvedBy.userId });
  return inserted.length > 0;
}

/** How many people a problem's workaround for requesters ended a report for ("This solved it"). */
export async function countKnownErrorSolved(db: Db, problemId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(knownErrorSolvedBy)
    .where(eq(knownErrorSolvedBy.problemId, problemId));
  return Number(row?.n ?? 0);
}
