import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListTicketsQuery, TICKET_SORT_VALUES } from '../../../core/contracts/tickets.js';
import type { Actor } from '../../../core/permissions.js';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { searchAlerts } from './alert-query.service.js';
import { listFailedWork } from './failed-work.service.js';
import { listSatisfactionRatings } from './satisfaction.service.js';
import { listStormProposals } from './storm-proposals.service.js';
import { searchTickets } from './ticket-query.service.js';

/**
 * The columns hold microseconds; a JavaScript Date holds milliseconds. Rows written within one
 * millisecond (SQL's now(), imports, benches) must each appear exactly once when every
 * keyset-paged list is read a page at a time, in every sort and direction — a cursor rounded
 * to the millisecond repeated them (oldest first) or skipped them (newest first).
 */
let database: Database;
const clock = new FakeClock('2026-05-04T08:00:00Z');
let admin: Actor;
const ids: string[] = [];

// Several rows within the same millisecond, two pairs with the very same instant (the id breaks those ties).
const MICROS = ['.123100', '.123250', '.123250', '.123400', '.123900', '.124100', '.124100', '.124700'];
const at = (i: number) => `2026-05-04T08:00:00${MICROS[i]}Z`;

beforeAll(async () => {
  database = await createTestDatabase();
  const deps = { db: database.db, clock };
  admin = await createTestPerson(deps, 'admin', { email: 'keyset@test.test', name: 'Kay' });
  for (let i = 0; i < MICROS.length; i++) {
    const ticket = await reportTestTicket(deps, admin, `Ticket ${i}`, { impact: i % 2 === 0 ? 1 : 3, urgency: 1 });
    ids.push(ticket.id);
    const when = sql`${at(i)}::timestamptz`;
    await database.db.execute(
      sql`UPDATE tickets SET opened_at = ${when}, updated_at = ${when}, sla_due_at = ${when} WHERE id = ${ticket.id}`,
    );
    await database.db.execute(
      sql`INSERT INTO satisfaction_ratings (ticket_id, user_id, rating, answered_at, changed_at) VALUES (${ticket.id}, ${admin.id}, 4, ${when}, ${when})`,
    );
    await database.db.execute(
      sql`INSERT INTO storm_proposals (cluster_key, status, report_count, alert_count, sample_title, ticket_ids, first_at, last_at, crossed_at, raised_at)
          VALUES (${`cluster-${i}`}, 'open', 3, 0, 'Storm', '[]'::jsonb, ${when}, ${when}, ${when}, ${when})`,
    );
    await database.db.execute(
      sql`INSERT INTO jobs (id, kind, payload, state, run_at, created_at, finished_at)
          VALUES (${`keyset.test:${i}`}, 'keyset.test', '{}'::jsonb, 'dead', ${when}, ${when}, ${when})`,
    );
  }
  await database.db.execute(
    sql`INSERT INTO integrations (id, name, source, token_hash, token_prefix, user_id, rules, created_at)
        VALUES ('6d0c7c52-2f0a-4d55-8a40-1b9a8f3c0d01', 'Keyset', 'generic', 'keyset-hash', 'fbk_', ${admin.id}, '[]'::jsonb, now())`,
  );
  for (let i = 0; i < MICROS.length; i++) {
    const when = sql`${at(i)}::timestamptz`;
    await database.db.execute(
      sql`INSERT INTO alerts (integration_id, fingerprint, status, severity, summary, labels, first_seen_at, last_seen_at, last_payload, action, group_key)
          VALUES ('6d0c7c52-2f0a-4d55-8a40-1b9a8f3c0d01', ${`fp-${i}`}, 'firing', 'critical', 'Alert', '{}'::jsonb, ${when}, ${when}, '{}'::jsonb, 'logged', 'g')`,
    );
  }
});
afterAll(() => database.close());

/** Every page of a list, following nextCursor; the keys seen, in order. */
async function readAll<T>(
  read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  key: (item: T) => string,
) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await read(cursor);
    seen.push(...page.items.map(key));
    if (page.nextCursor === null) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('the list never ended');
}

const once = (seen: string[], count: number) => {
  expect(seen).toHaveLength(count);
  expect(new Set(seen).size).toBe(count);
};

describe('keyset pages over rows written within one millisecond', () => {
  for (const sort of TICKET_SORT_VALUES) {
    for (const limit of [2, 3]) {
      it(`tickets sorted by ${sort}, ${limit} a page: each once`, async () => {
        const seen = await readAll(
          (cursor) =>
            searchTickets(database.db, admin, ListTicketsQuery.parse({ sort, limit: String(limit), ...(cursor ? { cursor } : {}) })),
          (row) => row.ticket.id,
        );
        once(seen, ids.length);
      });
    }
  }

  it('satisfaction ratings, storm proposals, alerts and failed work, 3 a page: each once', async () => {
    const deps = { db: database.db, clock };
    once(
      await readAll(
        (cursor) => listSatisfactionRatings(deps, { cursor, limit: 3 }),
        (r) => r.rating.ticketId,
      ),
      MICROS.length,
    );
    once(
      await readAll(
        (cursor) => listStormProposals(deps, { cursor, limit: 3 }),
        (p) => p.id,
      ),
      MICROS.length,
    );
    once(
      await readAll(
        (cursor) => searchAlerts(database.db, { cursor, limit: 3 }),
        (a) => a.id,
      ),
      MICROS.length,
    );
    once(
      await readAll(
        (cursor) => listFailedWork(database.db, { cursor, limit: 3 }),
        (row) => row.job.id,
      ),
      MICROS.length,
    );
  });

  it('hands out cursors without the internal exact key leaking into the items', async () => {
    const page = await searchAlerts(database.db, { limit: 3 });
    expect(page.items[0]).not.toHaveProperty('cursorAt');
  });
});
