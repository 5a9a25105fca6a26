import { sql } from 'drizzle-orm';
import { anyOfGroups } from '../../../core/text-search.js';
import type { ResolutionCode } from '../../../core/vocabulary.js';
import { type Db, rowsOf } from '../db/client.js';
import { services, tickets } from '../db/schema/index.js';

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
 * rank. The words go through the full-text GIN index (`tickets_search_idx`) as an OR of terms,
 * collected first in a MATERIALIZED CTE (the planner can then neither walk another index
 * evaluating `to_tsvector` per row nor look every match up again by id); the newest
 * MATCHES_READ of them are ranked — ts_rank recomputes each one's vector, so that bound is the
 * ranking's cost. Visiting each match's row to read its state and date is the rest of the cost,
 * which is why callers keep the matches within a budget (core narrowingGroups). The words are
 * letters and digits only (core retrievalTerms), so none
 * carries tsquery syntax.
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
  const document = (t: string) => sql.raw(`to_tsvector('simple', ${t}.number || ' ' || ${t}.title || ' ' || ${t}.description)`);
  const result = await db.execute(sql`
    WITH matches AS MATERIALIZED (
      SELECT t.id, t.kind, t.state, t.resolved_at FROM ${tickets} t WHERE ${document('t')} @@ ${query}
    ),
    recent AS (
      SELECT id FROM matches
      WHERE kind = 'incident' AND state IN ('resolved', 'closed') AND id <> ${ticketId}
      ORDER BY resolved_at DESC NULLS LAST, id DESC
      LIMIT ${MATCHES_READ}
    )
    SELECT t.id, t.number, t.title, left(t.description, 4000) AS description, t.service_id, s.name AS service_name,
           t.resolution_code, t.resolution_notes, t.resolved_at
    FROM recent JOIN ${tickets} t ON t.id = recent.id
    LEFT JOIN ${services} s ON s.id = t.service_id
    ORDER BY ts_rank(${document('t')}, ${query}) DESC, t.id DESC
    LIMIT ${limit}`);
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
 * The share of tickets holding each of `terms`, as PostgreSQL's statistics of the full-text index
 * `tickets_search_idx` know it (ANALYZE keeps the index expression's most common words and their
 * frequencies; a word not listed is rarer than all listed), and the number of tickets the
 * statistics counted. Without statistics the map is empty and the count 0.
 */
export async function termStatistics(db: Db, terms: readonly string[]): Promise<{ shares: Map<string, number>; tickets: number }> {
  if (terms.length === 0) return { shares: new Map(), tickets: 0 };
  const wanted = sql`ARRAY[${sql.join(
    terms.map((t) => sql`${t}`),
    sql`, `,
  )}]::text[]`;
  const result = await db.execute<{ term: string | null; share: number }>(sql`
    SELECT u.term, u.share
    FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(term, share)
    WHERE s.schemaname = current_schema() AND s.tablename = 'tickets_search_idx' AND u.term = ANY(${wanted})
    UNION ALL
    SELECT NULL, greatest(c.reltuples, 0)::float8 FROM pg_class c WHERE c.oid = to_regclass('tickets')`);
  const rows = rowsOf<{ term: string | null; share: number }>(result);
  return {
    shares: new Map(rows.filter((r) => r.term !== null).map((r) => [r.term as string, Number(r.share)])),
    tickets: Number(rows.find((r) => r.term === null)?.share ?? 0),
  };
}
