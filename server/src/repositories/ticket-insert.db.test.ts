import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { countStatements } from '../../test/statement-counter.js';
import type { Database } from '../db/client.js';
import { timelineEvents, users } from '../db/schema/index.js';
import { findTicketById, insertTicketWithEvents } from './tickets.repository.js';

/**
 * A creation writes the ticket and its first events in one statement, and hands both back as
 * they were stored: the events come back through JSON, so each field must read exactly as
 * drizzle reads the table (times, ids, JSON columns, nulls).
 */
let database: Database;
let personId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const at = new Date('2026-05-04T10:00:00Z');
  [{ id: personId }] = await database.db
    .insert(users)
    .values({ email: 'rita@desk.test', name: 'Rita Reporter', role: 'agent', createdAt: at, updatedAt: at })
    .returning();
});
afterAll(() => database.close());

/** A plain incident's columns, without its title and times. */
const base = () => ({
  kind: 'incident' as const,
  description: 'Lyon',
  requesterId: personId,
  reportedById: personId,
  impact: 2,
  urgency: 2,
  priority: 2,
  scope: 'local' as const,
  channel: 'portal' as const,
  state: 'new' as const,
});

describe('a ticket and its first events', () => {
  it('are written in one statement and returned as a read gives them back', async () => {
    const at = new Date('2026-05-04T10:15:30.123Z');
    const log = countStatements(database);
    const { ticket, events } = await insertTicketWithEvents(database.db, { ...base(), title: 'VPN drops', openedAt: at, updatedAt: at }, [
      { type: 'created', actorId: personId, at, internal: false, data: { channel: 'portal', nested: { list: [1, 'two', null] } } },
      {
        type: 'work_note',
        actorId: null,
        at: new Date(at.getTime() + 1),
        internal: true,
        body: 'Ünïcode "quotes" \\ and a tab\t',
        changes: [{ field: 'priority', from: 3, to: 2 }],
      },
    ]);
    expect(log.statements).toHaveLength(1);
    expect(ticket).toEqual(await findTicketById(database.db, ticket.id));
    expect(ticket.number).toMatch(/^INC\d{7}$/);
    const stored = await database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.ticketId, ticket.id))
      .orderBy(asc(timelineEvents.id));
    expect(events).toEqual(stored);
    expect(events.map((e) => e.type)).toEqual(['created', 'work_note']);
  });

  it('without events, writes the ticket alone', async () => {
    const at = new Date('2026-05-04T11:00:00Z');
    const { ticket, events } = await insertTicketWithEvents(
      database.db,
      {
        kind: 'problem',
        title: 'Mail queues',
        description: '',
        requesterId: personId,
        reportedById: personId,
        impact: 3,
        urgency: 3,
        priority: 5,
        scope: 'local',
        channel: 'api',
        state: 'new',
        openedAt: at,
        updatedAt: at,
      },
      [],
    );
    expect(events).toEqual([]);
    expect(ticket).toEqual(await findTicketById(database.db, ticket.id));
  });

  it('reuses one statement per shape: the same shape with other values, other shapes beside it, inside transactions too', async () => {
    const rows: Parameters<typeof insertTicketWithEvents>[1][] = [
      { ...base(), title: 'First of a shape', openedAt: new Date('2026-05-05T08:00:00Z'), updatedAt: new Date('2026-05-05T08:00:00Z') },
      // The same shape, other values: the statement must not carry the first call's values.
      {
        ...base(),
        title: 'Second of it',
        impact: 1,
        openedAt: new Date('2026-05-05T09:00:00Z'),
        updatedAt: new Date('2026-05-05T09:00:00Z'),
      },
      // Other shapes: a given number, a null where the first gave nothing, JSON, another kind.
      {
        ...base(),
        title: 'Numbered',
        number: 'INC9900001',
        openedAt: new Date('2026-05-05T10:00:00Z'),
        updatedAt: new Date('2026-05-05T10:00:00Z'),
      },
      {
        ...base(),
        kind: 'service_request' as const,
        title: 'With attributes',
        assigneeId: null,
        sourceAttributes: { u_symptom: 'slow', location: 'Lyon' },
        openedAt: new Date('2026-05-05T11:00:00Z'),
        updatedAt: new Date('2026-05-05T11:00:00Z'),
      },
    ];
    const numbers: string[] = [];
    for (const [i, row] of [
      ...rows,
      ...rows.map((r) => ({ ...r, number: r.number && 'INC9900002', title: `${r.title}, again` })),
    ].entries()) {
      const events = [{ type: 'created' as const, actorId: personId, at: row.openedAt, internal: false, data: { round: i } }];
      const { ticket, events: written } = await database.db.transaction((tx) => insertTicketWithEvents(tx, row, events));
      expect(ticket).toEqual(await findTicketById(database.db, ticket.id));
      expect(ticket).toMatchObject({ title: row.title, impact: row.impact, kind: row.kind, openedAt: row.openedAt });
      expect(written).toEqual(await database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, ticket.id)));
      expect(written[0].data).toEqual({ round: i });
      numbers.push(ticket.number);
    }
    // The kind is part of the shape: the same columns as an incident's draw a request's number.
    const request = await insertTicketWithEvents(
      database.db,
      { ...rows[0], kind: 'service_request', title: 'Same columns, a request' },
      [],
    );
    const incident = await insertTicketWithEvents(database.db, { ...rows[0], title: 'Same columns, an incident' }, []);
    expect([request.ticket.number.slice(0, 3), incident.ticket.number.slice(0, 3)]).toEqual(['REQ', 'INC']);
    expect(numbers[2]).toBe('INC9900001');
    expect(numbers[6]).toBe('INC9900002');
    expect(numbers[3]).toMatch(/^REQ\d{7}$/);
  });
});
