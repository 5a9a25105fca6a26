import { sql } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import { precisionAtK } from '../../core/similar-incidents.js';
import type { LabelledTicket } from '../../core/similar-incidents-evaluation.js';
import type { Database } from '../src/db/client.js';
import { tickets } from '../src/db/schema/index.js';
import { getSimilarIncidents } from '../src/services/similar-incidents.service.js';
import { importedIncidentRow } from './factories.js';

/**
 * Precision@5 of "similar incidents" through the database (issue 17 item 8): the labelled
 * tickets loaded as resolved incidents, then the service's own call (`getSimilarIncidents`: the
 * narrowing in SQL and the ranking in core) asked about each held-out ticket. The tickets carry
 * their text as the description and no service, as the pure evaluation reads them
 * (core/similar-incidents-evaluation.ts), so the two figures differ only by the SQL narrowing.
 */
export async function loadLabelledTickets(database: Database, rows: readonly LabelledTicket[], requesterId: string): Promise<string[]> {
  const ids: string[] = [];
  const start = Date.parse('2025-01-01T00:00:00Z');
  for (let from = 0; from < rows.length; from += 500) {
    const batch = rows.slice(from, from + 500).map((r, j) => {
      const i = from + j;
      // A minute apart, so "the newest first" is a fixed order.
      const at = new Date(start + i * 60_000);
      return importedIncidentRow(requesterId, {
        number: `INC${String(i + 1).padStart(7, '0')}`,
        title: '',
        description: r.text,
        state: 'resolved' as const,
        openedAt: at,
        resolvedAt: at,
        updatedAt: at,
      });
    });
    const inserted = await database.db.insert(tickets).values(batch).returning({ id: tickets.id, number: tickets.number });
    inserted.sort((a, b) => (a.number < b.number ? -1 : 1));
    ids.push(...inserted.map((r) => r.id));
  }
  // The narrowing reads the past incidents' word statistics (core narrowingGroups), as a live desk has them.
  await database.db.execute(sql`ANALYZE tickets, similar_incident_terms`);
  return ids;
}

/** The share of `sample` (indexes into `rows`/`ids`) whose five similar incidents include one of the same label. */
export async function precisionThroughDatabase(
  database: Database,
  actor: Actor,
  rows: readonly LabelledTicket[],
  ids: readonly string[],
  sample: readonly number[],
): Promise<number> {
  const labelOf = new Map(ids.map((id, i) => [id, rows[i].label]));
  const hits: boolean[] = [];
  for (const q of sample) {
    const similar = await getSimilarIncidents({ db: database.db }, actor, ids[q]);
    hits.push(similar.some((s) => labelOf.get(s.id) === rows[q].label));
  }
  return precisionAtK(hits);
}
