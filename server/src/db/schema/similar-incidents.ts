import { customType, index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The words of every resolved or closed incident, for "similar past incidents" (issue 17 item 8;
 * migration 0076): one narrow row per such ticket, and no other ticket, so the narrowing's matches
 * are read from a GIN index and a small table whose rows already say they qualify, instead of
 * visiting each matching ticket's wide row for its kind, state and date and computing its words
 * again to rank it. Derived data: statement-level triggers on `tickets` keep it in the writer's own
 * transaction, whoever the writer is (an incident resolved, reopened, edited, imported or deleted);
 * migration 0076 filled it from the tickets. No foreign key, like the KPI rollups: a check per row
 * would lock each ticket an import writes.
 */
export const similarIncidentTerms = pgTable(
  'similar_incident_terms',
  {
    ticketId: uuid('ticket_id').primaryKey(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** to_tsvector('simple', number || ' ' || title || ' ' || description): the tickets' own search document. */
    terms: tsvector('terms').notNull(),
  },
  (t) => [index('similar_incident_terms_idx').using('gin', t.terms)],
);
