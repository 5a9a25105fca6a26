import { sql } from 'drizzle-orm';
import { anyOfGroups } from '../../../core/text-search.js';
import type { ResolutionCode } from '../../../core/vocabulary.js';
import { type Db, rowsOf } from '../db/client.js';
import { executeNamed } from '../db/prepared.js';
import { services, similarIncidentTerms, tickets } from '../db/schema/index.js';

/** Matches read by date before ranking by text: bounds the ranking work whatever the words. */
const MATCHES_READ = 600;

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
 * The resolved or closed incidents (never problems) that hold every word of any of `groups` (core
 * narrowingGroups: a ticket's rarest words, or its rarest word with another), the
 * most text-relevant `limit` of them (PostgreSQL's ts_rank), for core/similar-incidents.ts to
 * rank. The words go through `similar_incident_terms` (migration 0076: only resolved and closed
 * incidents, each with its stored words, kept by triggers on `tickets`) and its GIN index, as an
 * OR of terms; the newest MATCHES_READ matches are ranked by ts_rank on the stored words, and only
 * the `limit` best are read from `tickets` (their text, for the ranking in core). A match costs a
 * visit to its narrow row there (its date and words), which is why callers still keep the matches
 * within a budget (core narrowingGroups). The words are letters and digits only (core
 * retrievalTerms), so none carries tsquery syntax.
 */
export async function listSimilarCandidates(
  db: Db,
  ticketId: string,
  groups: readonly (readonly string[])[],
  limit: number,
): Promise<SimilarCandidateRow[]> {
  const anyTerm = anyOfGroups(groups);
  if (!anyTerm) return [];
  const query = sql`to_tsquery('simple', ${anyTerm})`;
  // Named: one text whatever the words (they are a parameter), so each connection plans it once.
  const result = await executeNamed(
    db,
    'similar_incident_candidates',
    sql`
    WITH recent AS (
      SELECT m.ticket_id, m.terms FROM ${similarIncidentTerms} m
      WHERE m.terms @@ ${query} AND m.ticket_id <> ${ticketId}
      ORDER BY m.resolved_at DESC NULLS LAST, m.ticket_id DESC
      LIMIT ${MATCHES_READ}
    ),
    best AS (
      SELECT ticket_id FROM recent ORDER BY ts_rank(terms, ${query}) DESC, ticket_id DESC LIMIT ${limit}
    )
    SELECT t.id, t.number, t.title, left(t.description, 4000) AS description, t.service_id, s.name AS service_name,
           t.resolution_code, t.resolution_notes, t.resolved_at
    FROM best JOIN ${tickets} t ON t.id = best.ticket_id
    LEFT JOIN ${services} s ON s.id = t.service_id`,
  );
  return rowsOf<{
    id: string;
    number: string;
    title: string;
    description: string;
    service_id: string | null;
    service_name: string | null;
    resolution_code: ResolutionCode | null;
    resolution_notes: string | null;
    resolved_at: Date | string | null;
  }>(result).map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    description: r.description,
    serviceId: r.service_id,
    serviceName: r.service_name,
    resolutionCode: r.resolution_code,
    resolutionNotes: r.resolution_notes,
    resolvedAt: r.resolved_at === null ? null : new Date(r.resolved_at),
  }));
}

/**
 * The share of past incidents (rows of `similar_incident_terms`, what the narrowing reads) holding
 * each of `terms`, as PostgreSQL's statistics of its `terms` column know it (ANALYZE keeps a
 * tsvector column's most common words and their frequencies; a word not listed is rarer than all
 * listed), and the number of rows the statistics counted. Without statistics the map is empty and
 * the count 0.
 */
export async function termStatistics(db: Db, terms: readonly string[]): Promise<{ shares: Map<string, number>; tickets: number }> {
  if (terms.length === 0) return { shares: new Map(), tickets: 0 };
  // Named, and the words one array parameter: one text whatever the words, planned once per connection.
  const result = await executeNamed(
    db,
    'similar_incident_term_statistics',
    sql`
    SELECT u.term, u.share
    FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(term, share)
    WHERE s.schemaname = current_schema() AND s.tablename = 'similar_incident_terms' AND s.attname = 'terms' AND u.term = ANY(${sql.param(terms)}::text[])
    UNION ALL
    SELECT NULL, greatest(c.reltuples, 0)::float8 FROM pg_class c WHERE c.oid = to_regclass('similar_incident_terms')`,
  );
  const rows = rowsOf<{ term: string | null; share: number }>(result);
  return {
    shares: new Map(rows.filter((r) => r.term !== null).map((r) => [r.term as string, Number(r.share)])),
    tickets: Number(rows.find((r) => r.term === null)?.share ?? 0),
  };
}
