import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/permissions.js';
import { createTestDatabase } from '../../test/database.js';
import { incidentInput, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import { createUser } from '../services/directory.service.js';
import { type ReportTicketInput, reportTicket } from '../services/ticket-intake.service.js';
import type { Database } from './client.js';
import { tickets, timelineEvents } from './schema/index.js';

/**
 * Guarantees the database itself keeps, whatever the application code does: the timeline is
 * append-only, and ticket numbers never repeat.
 */

let database: Database;
let deps: { db: Database['db']; clock: FakeClock };
let actor: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-03-02T08:00:00Z') };
  const user = await createUser(deps, { email: 'timeline-agent@example.test', name: 'Tia Agent', role: 'agent', timeZone: 'UTC' });
  actor = { id: user.id, role: user.role };
});

afterAll(() => database.close());

const report = (title: string, extra: Partial<ReportTicketInput> = {}) => reportTestTicket(deps, actor, title, extra, 'phone');

const sequenceOf = (number: string) => Number(number.slice(3));

/** The whole chain of messages of an error: Drizzle wraps the driver's error in its own. */
function messagesOf(err: unknown): string {
  const parts: string[] = [];
  for (let current = err, depth = 0; current && depth < 5; depth++) {
    parts.push(String((current as Error).message ?? current));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' | ');
}

async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (err) {
    return messagesOf(err);
  }
  throw new Error('the database accepted a statement it must refuse');
}

async function eventsOf(ticketId: string) {
  return database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, ticketId)).orderBy(timelineEvents.id);
}

describe('the timeline is append-only in the database itself', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of timeline events with raw SQL, leaving them as they were', async () => {
    const ticket = await report('Audit me');
    const before = await eventsOf(ticket.id);
    expect(before.map((e) => e.type)).toEqual(['created']);
    const [totalBefore] = await database.db.select({ n: count() }).from(timelineEvents);

    const update = await refusal(database.db.execute(sql`UPDATE timeline_events SET body = 'rewritten' WHERE ticket_id = ${ticket.id}`));
    expect(update).toMatch(/append-only.*UPDATE/);
    const updateAll = await refusal(database.db.execute(sql`UPDATE timeline_events SET internal = NOT internal`));
    expect(updateAll).toMatch(/append-only/);
    const remove = await refusal(database.db.execute(sql`DELETE FROM timeline_events WHERE ticket_id = ${ticket.id}`));
    expect(remove).toMatch(/append-only.*DELETE/);
    const truncate = await refusal(database.db.execute(sql`TRUNCATE timeline_events`));
    expect(truncate).toMatch(/append-only.*TRUNCATE/);
    const truncateCascade = await refusal(database.db.execute(sql`TRUNCATE tickets, timeline_events CASCADE`));
    expect(truncateCascade).toMatch(/append-only/);

    expect(await eventsOf(ticket.id)).toEqual(before);
    const [totalAfter] = await database.db.select({ n: count() }).from(timelineEvents);
    expect(totalAfter.n).toBe(totalBefore.n);
  });

  it('refuses the rewrite inside a transaction too, and the transaction rolls back whole', async () => {
    const ticket = await report('Audit me in a transaction');
    const error = await refusal(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO timeline_events (ticket_id, type, actor_id, at, internal, body)
          VALUES (${ticket.id}, 'comment', ${actor.id}, now(), false, 'added before the rewrite')`);
        await tx.execute(sql`DELETE FROM timeline_events WHERE ticket_id = ${ticket.id}`);
      }),
    );
    expect(error).toMatch(/append-only/);
    expect((await eventsOf(ticket.id)).map((e) => e.type)).toEqual(['created']);
  });

  it('still accepts new events (append is allowed)', async () => {
    const ticket = await report('Append me');
    await database.db.execute(sql`INSERT INTO timeline_events (ticket_id, type, actor_id, at, internal, body)
      VALUES (${ticket.id}, 'work_note', ${actor.id}, now(), true, 'appended')`);
    expect((await eventsOf(ticket.id)).map((e) => e.body)).toEqual([null, 'appended']);
  });
});

describe('ticket numbers', () => {
  it('never repeats a number taken by a transaction that rolled back: the next ticket gets a higher one', async () => {
    const first = await report('Before the rollback');
    let rolledBackNumber = '';
    const error = await refusal(
      database.db.transaction(async (tx) => {
        const { ticket } = await reportTicket({ db: tx, clock: deps.clock }, actor, incidentInput('Rolled back'), {
          defaultChannel: 'phone',
        });
        rolledBackNumber = ticket.number;
        throw new Error('give up after taking a number');
      }),
    );
    expect(error).toMatch(/give up/);
    expect(sequenceOf(rolledBackNumber)).toBeGreaterThan(sequenceOf(first.number));
    // The rolled-back ticket is gone...
    const [gone] = await database.db.select({ n: count() }).from(tickets).where(eq(tickets.number, rolledBackNumber));
    expect(gone.n).toBe(0);
    // ...and its number is not handed out again.
    const next = await report('After the rollback');
    expect(next.number).not.toBe(rolledBackNumber);
    expect(sequenceOf(next.number)).toBeGreaterThan(sequenceOf(rolledBackNumber));
  });

  it('also never repeats after a creation that failed half-way (an unknown service)', async () => {
    const before = await report('Before the failed creation');
    const error = await refusal(report('Unknown service', { serviceId: '00000000-0000-4000-8000-000000000000' }));
    expect(error).toMatch(/serviceId/);
    const after = await report('After the failed creation');
    expect(sequenceOf(after.number)).toBeGreaterThan(sequenceOf(before.number));
  });

  it('gives N concurrent reports N distinct numbers', async () => {
    const n = 20;
    const created = await Promise.all(Array.from({ length: n }, (_, i) => report(`Concurrent ${i}`)));
    const numbers = created.map((ticket) => ticket.number);
    expect(new Set(numbers).size).toBe(n);
    for (const number of numbers) expect(number).toMatch(/^INC\d{7}$/);
    const stored = await database.db.select({ number: tickets.number }).from(tickets).where(sql`${tickets.title} LIKE 'Concurrent %'`);
    expect(new Set(stored.map((r) => r.number))).toEqual(new Set(numbers));
  });

  it('numbers each kind on its own sequence, also concurrently', async () => {
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) => report(`Mixed ${i}`, { kind: i % 2 === 0 ? 'incident' : 'service_request' })),
    );
    const incidents = created.filter((t) => t.kind === 'incident').map((t) => t.number);
    const requests = created.filter((t) => t.kind === 'service_request').map((t) => t.number);
    expect(incidents.every((n) => n.startsWith('INC'))).toBe(true);
    expect(requests.every((n) => n.startsWith('REQ'))).toBe(true);
    expect(new Set(incidents).size).toBe(5);
    expect(new Set(requests).size).toBe(5);
  });
});

describe('the engine under a storm of writes', () => {
  it('lets timers run between the writers’ transactions (the job worker wakes during a storm, not after it)', async () => {
    const cap = 200;
    let written = 0;
    let stop = false;
    let writtenWhenTimerFired = -1;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        writtenWhenTimerFired = written;
        resolve();
      }, 20),
    );
    const lane = async () => {
      while (!stop && written < cap) {
        await report('VPN is down');
        written++;
      }
    };
    const lanes = Array.from({ length: 8 }, lane);
    await Promise.race([timer, Promise.all(lanes)]);
    stop = true;
    await Promise.all(lanes);
    await timer;
    // The timer fired while eight writers were still at it — not once they had all finished.
    expect(writtenWhenTimerFired).toBeGreaterThanOrEqual(0);
    expect(writtenWhenTimerFired).toBeLessThan(cap);
    expect(writtenWhenTimerFired).toBeLessThan(written);
  });
});
