import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { createTestDatabase } from '../../test/database.js';
import type { Database } from '../db/client.js';
import { type TicketFilter, type TicketSort, ticketPageStatement } from './tickets.repository.js';

/**
 * Each queue of the desk reads its page from an index in the order it shows (migration 0077 for
 * Assigned to me and Recently resolved), so a page costs the same at a million tickets as at a
 * hundred. On a test's few rows PostgreSQL would rather read the table, so sequential scans and
 * sorts are priced out here, as a million rows price them out on a real desk: what is left is
 * the index the statement can use. Without it, Recently resolved walked the plain updated-at
 * index past every open ticket (1.8 s at 1,000,000 tickets, bench/lists.ts).
 */
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function planOf(filter: TicketFilter, sort: TicketSort): Promise<string> {
  const { sql: text, params } = ticketPageStatement(database.db, { filter, sort, limit: 51 }).toSQL();
  const settings = ['SET enable_seqscan = off', 'SET enable_sort = off'];
  const reset = ['RESET enable_seqscan', 'RESET enable_sort'];
  type Rows = { rows: Record<string, string>[] };
  if (database.raw.kind === 'pglite') {
    const client = database.raw.client;
    for (const s of settings) await client.query(s);
    const plan = (await client.query(`EXPLAIN ${text}`, params)) as Rows;
    for (const s of reset) await client.query(s);
    return plan.rows.map((r) => Object.values(r)[0]).join('\n');
  }
  const client = await database.raw.pool.connect();
  try {
    for (const s of settings) await client.query(s);
    const plan = (await client.query(`EXPLAIN ${text}`, params)) as Rows;
    for (const s of reset) await client.query(s);
    return plan.rows.map((r) => Object.values(r)[0]).join('\n');
  } finally {
    client.release();
  }
}

describe("the desk's queues read their page from an index in their order", () => {
  it('Recently resolved: finished tickets by last change', async () => {
    const plan = await planOf({ state: ['resolved', 'closed'] }, '-updatedAt');
    expect(plan).toContain('tickets_finished_updated_idx');
  });

  it("Assigned to me: one person's open tickets by priority", async () => {
    const plan = await planOf({ state: [...OPEN_STATES], assigneeId: '00000000-0000-4000-8000-000000000001' }, 'priority');
    expect(plan).toContain('tickets_open_assignee_priority_idx');
  });

  it("All open and a team's open queue, by priority", async () => {
    expect(await planOf({ state: [...OPEN_STATES] }, 'priority')).toContain('tickets_open_priority_idx');
    expect(await planOf({ state: [...OPEN_STATES], teamId: ['00000000-0000-4000-8000-000000000002'] }, 'priority')).toContain(
      'tickets_open_team_priority_idx',
    );
  });
});
