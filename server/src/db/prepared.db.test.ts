import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from './client.js';
import { executeShaped, shapedStatement } from './prepared.js';
import { tickets, users } from './schema/index.js';

/**
 * A shaped statement reads its rows with a mapper compiled once (`compileRowMapper`) instead of
 * the ORM's own: every kind of value must come back exactly as the ORM gives it.
 */
let database: Database;
let ticketId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const deps = { db: database.db, clock: new FakeClock('2026-03-02T08:00:00Z') };
  const admin = await createTestPerson(deps, 'admin', { email: 'admin@shaped.test', name: 'Ada Admin' });
  ({ id: ticketId } = await reportTestTicket(deps, admin, 'Payroll export fails', { impact: 1, urgency: 2 }));
  // Values of every kind a ticket holds: JSON, a bigint read as a number, times, text, nulls.
  await database.db
    .update(tickets)
    .set({
      sourceAttributes: { u_symptom: 'slow', location: 'Lyon' },
      businessAcknowledgeMs: 9_007_199_254,
      resolvedAt: new Date('2026-03-02T09:15:30.123Z'),
      rootCause: 'Ünïcode "quotes"',
    })
    .where(eq(tickets.id, ticketId));
});
afterAll(() => database.close());

describe('a shaped statement', () => {
  it('reads rows as the ORM does: nested selections, columns of every type, computed values, nulls', async () => {
    const selection = {
      ticket: tickets,
      requesterName: sql<string | null>`(SELECT u.name FROM ${users} u WHERE u.id = ${tickets.requesterId})`,
      assigneeName: sql<string | null>`(SELECT u.name FROM ${users} u WHERE u.id = ${tickets.assigneeId})`,
      eventCount: sql<number>`(SELECT count(*) FROM timeline_events e WHERE e.ticket_id = tickets.id)`.mapWith(Number),
    };
    const statement = shapedStatement(
      database.db,
      database.db
        .select(selection)
        .from(tickets)
        .where(eq(tickets.id, sql.placeholder('id'))),
      'shaped_test_ticket',
    );
    const byOrm = await database.db.select(selection).from(tickets).where(eq(tickets.id, ticketId));
    const shaped = await executeShaped(database.db, statement, { id: ticketId });
    expect(shaped).toEqual(byOrm);
    const [row] = shaped as typeof byOrm;
    expect(row.ticket.resolvedAt).toEqual(new Date('2026-03-02T09:15:30.123Z'));
    expect(row.ticket.sourceAttributes).toEqual({ u_symptom: 'slow', location: 'Lyon' });
    expect(row.ticket.businessAcknowledgeMs).toBe(9_007_199_254);
    expect(row.requesterName).toBe('Ada Admin');
    expect(row.assigneeName).toBeNull();
    expect(row.eventCount).toBeGreaterThan(0);
    expect(typeof row.eventCount).toBe('number');

    // Inside a transaction (another session), and again with the same text under the same name.
    const inTransaction = await database.db.transaction((tx) => executeShaped(tx, statement, { id: ticketId }));
    expect(inTransaction).toEqual(byOrm);
    expect(await executeShaped(database.db, statement, { id: crypto.randomUUID() })).toEqual([]);
  });

  it('refuses a selection with joins: the ORM turns a missing joined row into null, the compiled mapper would not', () => {
    const joined = database.db
      .select({ ticket: tickets, reporterEmail: users.email })
      .from(tickets)
      .leftJoin(users, eq(users.id, tickets.assigneeId))
      .where(eq(tickets.id, sql.placeholder('id')));
    expect(() => shapedStatement(database.db, joined, 'shaped_test_joined')).toThrow(/joins/);
  });
});
