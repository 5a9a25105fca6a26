import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { importedIncidentRow } from '../../test/factories.js';
import { type Database, rowsOf } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { insertTickets } from './tickets.repository.js';

/**
 * Migration 0076 keeps `similar_incident_terms` (the words of every resolved or closed incident,
 * what "similar past incidents" narrows by) with statement-level triggers on `tickets`. Whatever
 * statements write the tickets — an import's many rows at once, one ticket resolved, reopened,
 * edited, turned into a problem, deleted —, the table must hold exactly the definition computed
 * afresh from the tickets as they stand: a row missing is a past incident never offered, a row
 * left over is an open ticket offered as a resolution.
 */
let database: Database;
let requesterId: string;
const AT = new Date('2026-03-01T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  [{ id: requesterId }] = await database.db
    .insert(users)
    .values({ email: 'r@similar-terms.test', name: 'Rae', role: 'requester', createdAt: AT, updatedAt: AT })
    .returning();
});
afterAll(() => database.close());

/** The table as it stands and as its definition computes it from the tickets, for the given tickets. */
async function keptAndDefined(ids: string[]) {
  const kept = rowsOf<{ row: string }>(
    await database.db.execute(sql`
      SELECT concat_ws(' ', ticket_id, resolved_at, terms) AS row FROM similar_incident_terms
      WHERE ticket_id = ANY(${sql.param(ids)}::uuid[]) ORDER BY 1`),
  ).map((r) => r.row);
  const defined = rowsOf<{ row: string }>(
    await database.db.execute(sql`
      SELECT concat_ws(' ', id, resolved_at, to_tsvector('simple', number || ' ' || title || ' ' || description)) AS row FROM tickets
      WHERE id = ANY(${sql.param(ids)}::uuid[]) AND kind = 'incident' AND state IN ('resolved', 'closed') ORDER BY 1`),
  ).map((r) => r.row);
  return { kept, defined };
}

const KINDS = ['incident', 'service_request', 'problem'] as const;
const STATES = ['new', 'in_progress', 'resolved', 'closed', 'cancelled'] as const;
const WORDS = ['printer', 'vpn', 'outlook', 'badge', 'certificate'] as const;
const version = fc.record({
  kind: fc.constantFrom(...KINDS),
  state: fc.constantFrom(...STATES),
  word: fc.constantFrom(...WORDS),
  resolvedDay: fc.integer({ min: 1, max: 28 }),
});
type Version = typeof version extends fc.Arbitrary<infer T> ? T : never;
/** A ticket as written and what one later statement makes of it: changed (a new version), only touched, or deleted. */
const generatedTicket = fc.record({
  written: version,
  afterwards: fc.oneof(version, fc.constant('touched' as const), fc.constant('deleted' as const)),
});

const resolvedAt = (v: Version) =>
  v.state === 'resolved' || v.state === 'closed' ? `2026-02-${String(v.resolvedDay).padStart(2, '0')}T10:00:00Z` : null;

describe('the words of past incidents kept beside the tickets (migration 0076)', () => {
  it('hold exactly the resolved and closed incidents, whatever statements insert, change and delete the tickets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(generatedTicket, { minLength: 1, maxLength: 8 }), async (generated) => {
        const ids = generated.map(() => randomUUID());
        // One statement for all, as an import's batch is written.
        await insertTickets(
          database.db,
          generated.map(({ written: v }, i) => ({
            id: ids[i],
            ...importedIncidentRow(requesterId, {
              kind: v.kind,
              title: `${v.word} fails`,
              description: `The ${v.word} stopped this morning`,
              state: v.state,
              openedAt: AT,
              resolvedAt: resolvedAt(v) === null ? null : new Date(resolvedAt(v) as string),
              updatedAt: AT,
            }),
          })),
        );
        let now = await keptAndDefined(ids);
        expect(now.kept).toEqual(now.defined);

        // One UPDATE statement for every ticket changed or touched (as a bulk change), then one DELETE.
        const changed = generated.flatMap(({ afterwards }, i) => (typeof afterwards === 'object' ? [{ id: ids[i], v: afterwards }] : []));
        const touched = generated.flatMap(({ afterwards }, i) => (afterwards === 'touched' ? [ids[i]] : []));
        const deleted = generated.flatMap(({ afterwards }, i) => (afterwards === 'deleted' ? [ids[i]] : []));
        await database.db.execute(sql`
          UPDATE tickets t SET
            kind = coalesce(u.kind::ticket_kind, t.kind), state = coalesce(u.state::ticket_state, t.state),
            title = coalesce(u.word || ' is broken', t.title),
            resolved_at = CASE WHEN u.id IS NULL THEN t.resolved_at ELSE u.resolved_at::timestamptz END,
            updated_at = t.updated_at + interval '1 minute'
          FROM unnest(
            ${sql.param([...changed.map((c) => c.id), ...touched])}::uuid[],
            ${sql.param([...changed.map((c) => c.v.kind), ...touched.map(() => null)])}::text[],
            ${sql.param([...changed.map((c) => c.v.state), ...touched.map(() => null)])}::text[],
            ${sql.param([...changed.map((c) => c.v.word), ...touched.map(() => null)])}::text[],
            ${sql.param([...changed.map((c) => resolvedAt(c.v)), ...touched.map(() => null)])}::text[]
          ) AS u(id, kind, state, word, resolved_at)
          WHERE t.id = u.id`);
        await database.db.execute(sql`DELETE FROM tickets WHERE id = ANY(${sql.param(deleted)}::uuid[])`);
        now = await keptAndDefined(ids);
        expect(now.kept).toEqual(now.defined);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
