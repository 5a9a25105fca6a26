import { and, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import { anyOfTerms } from '../../../core/text-search.js';
import type { ResolutionCode } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { services, tickets } from '../db/schema/index.js';

/** Matches read by date before ranking by text: bounds the ranking work whatever the words. */
const MATCHES_READ = 2000;

export interface SimilarCandidateRow {
  id: string;
  number: string;
  title: string;
  description: string;
  serviceId: string | null;
  serviceName: string | null;
  resolutionCode: ResolutionCode | null;
  resolutionNotes: string | null;
  resolvedAt: Date | null;
}

/**
 * The resolved or closed incidents (never problems) that share any of `terms` with a ticket, the
 * most text-relevant `limit` of them (PostgreSQL's ts_rank), for core/similar-incidents.ts to
 * rank. The words go through the full-text GIN index (`tickets_search_idx`) as an OR of terms;
 * the matches are collected by that index first (as the desk search does), the newest
 * MATCHES_READ of them ranked, so a common word among 100,000 tickets costs a bounded amount.
 * `terms` are letters and digits only (core retrievalTerms), so none carries tsquery syntax.
 */
export async function listSimilarCandidates(
  db: Db,
  ticketId: string,
  terms: readonly string[],
  limit: number,
): Promise<SimilarCandidateRow[]> {
  const anyTerm = anyOfTerms(terms);
  if (!anyTerm) return [];
  const query = sql`to_tsquery('simple', ${anyTerm})`;
  const document: SQL = sql`to_tsvector('simple', ${tickets.number} || ' ' || ${tickets.title} || ' ' || ${tickets.description})`;
  const recent = db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        sql`${tickets.id} = ANY(ARRAY(SELECT ${tickets.id} FROM ${tickets} WHERE ${document} @@ ${query}))`,
        eq(tickets.kind, 'incident'),
        inArray(tickets.state, ['resolved', 'closed']),
        ne(tickets.id, ticketId),
      ),
    )
    .orderBy(desc(tickets.resolvedAt), desc(tickets.id))
    .limit(MATCHES_READ)
    .as('recent');
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      description: sql<string>`left(${tickets.description}, 4000)`,
      serviceId: tickets.serviceId,
      serviceName: services.name,
      resolutionCode: tickets.resolutionCode,
      resolutionNotes: tickets.resolutionNotes,
      resolvedAt: tickets.resolvedAt,
    })
    .from(recent)
    .innerJoin(tickets, eq(tickets.id, recent.id))
    .leftJoin(services, eq(services.id, tickets.serviceId))
    .orderBy(sql`ts_rank(${document}, ${query}) DESC`, desc(tickets.id))
    .limit(limit);
}
