import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGenericMapping, type GenericMapping } from '../../../core/import/generic-mapping.js';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import { type Database, rowsOf } from '../db/client.js';
import { jobs, teams, tickets, timelineEvents, users } from '../db/schema/index.js';
import { importGeneric } from './generic-import.service.js';

/**
 * The generic import (issue 16, item 6) on a CSV and a JSON lines file written here: the mapping
 * read, unmapped columns kept as source attributes, a dry run that writes nothing, a re-import
 * that changes nothing, one row per update as one ticket's timeline, and refusals named by row
 * and the file's own column.
 */

const bytesOf = (text: string | Buffer) => () =>
  (async function* () {
    const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    for (let i = 0; i < buf.length; i += 61) yield buf.subarray(i, i + 61);
  })();

const checked = (json: unknown): GenericMapping => {
  const c = checkGenericMapping(json);
  if (!c.ok) throw new Error(c.problems.join('; '));
  return c.mapping;
};

// A help desk's export: its own column names and words, day-first dates in Paris time.
const MAPPING = checked({
  columns: {
    number: 'Ticket',
    title: 'Subject',
    state: 'Status',
    priority: 'Prio',
    team: 'Queue',
    assignee: 'Agent',
    requester: 'Customer',
    openedAt: 'Created',
    resolvedAt: 'Solved',
  },
  states: { Open: 'new', Pending: 'on_hold:awaiting_requester', Solved: 'resolved' },
  priorities: { Urgent: 1, Normal: 3, Low: 4 },
  dateFormat: 'DD.MM.YYYY HH:mm',
  timeZone: 'Europe/Paris',
});
const CSV = [
  'Ticket;Subject;Status;Prio;Queue;Agent;Customer;Created;Solved;Site;Product',
  'HD-101;Printer jams;Open;Normal;Helpdesk;;Anna Roy;02.03.2026 09:15;;Paris;Printers',
  'HD-102;VPN drops;Solved;Urgent;Network;Marc Petit;Jean Dupont;03.03.2026 08:00;03.03.2026 11:30;Lyon;VPN',
  'HD-103;Mail slow;Pending;Low;Helpdesk;Marc Petit;Anna Roy;04.03.2026 10:00;;Paris;',
  'HD-104;Bad date;Open;Normal;Helpdesk;;Anna Roy;30.02.2026 10:00;;Paris;',
  'HD-105;Odd state;Parked;Normal;Helpdesk;;Anna Roy;05.03.2026 10:00;;Paris;',
].join('\r\n');

let database: Database;
let deps: { db: Database['db']; clock: FakeClock };

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-06-01T09:00:00Z') };
});
afterAll(() => database.close());

const counts = async () =>
  rowsOf(
    await database.db.execute(
      sql`SELECT (SELECT count(*) FROM tickets)::int AS t, (SELECT count(*) FROM timeline_events)::int AS e,
        (SELECT count(*) FROM users)::int AS u, (SELECT count(*) FROM teams)::int AS g`,
    ),
  )[0];
const ticketByNumber = async (number: string) =>
  (await database.db.select().from(tickets).where(eq(tickets.externalReference, number)))[0] ??
  (await database.db.select().from(tickets).where(eq(tickets.number, number)))[0];
const nameOf = async (id: string | null) => (id ? (await database.db.select().from(users).where(eq(users.id, id)))[0]?.name : null);

describe('importing a CSV file through a column mapping', () => {
  it('a dry run says what would be created and each refused row by row and column of the file, and writes nothing', async () => {
    const before = await counts();
    const report = await importGeneric(deps, MAPPING, { open: bytesOf(CSV), dryRun: true, holder: 'test' });
    expect(report).toMatchObject({ rows: 5, incidents: 3, created: 3, updated: 0, newTeams: 2, newPeople: 3 });
    expect(report.refused).toEqual([
      { row: 5, column: 'created', reason: '"30.02.2026 10:00" is not a date that exists' },
      { row: 6, column: 'status', reason: '"Parked" is not a state the mapping table knows (add it to the table)' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('makes tickets with mapped fields, the people and teams they name, and the other columns as source attributes; nothing follows', async () => {
    const jobsBefore = (await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0].n;
    const report = await importGeneric(deps, MAPPING, { open: bytesOf(CSV), dryRun: false, holder: 'test' });
    expect(report).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    // HD-102 is not a Firebreak number: it is the external reference of a ticket numbered here.
    expect(report.renumbered).toBe(3);
    const t = await ticketByNumber('HD-102');
    expect(t).toMatchObject({
      externalReference: 'HD-102',
      title: 'VPN drops',
      state: 'resolved',
      priority: 1,
      openedAt: new Date('2026-03-03T07:00:00Z'),
      resolvedAt: new Date('2026-03-03T10:30:00Z'),
      sourceAttributes: { site: 'Lyon', product: 'VPN', status: 'Solved' },
    });
    expect(await nameOf(t.requesterId)).toBe('Jean Dupont');
    expect(await nameOf(t.assigneeId)).toBe('Marc Petit');
    const network = await database.db.select().from(teams).where(eq(teams.name, 'Network'));
    expect(t.teamId).toBe(network[0].id);
    expect(await ticketByNumber('HD-103')).toMatchObject({ state: 'on_hold', onHoldReason: 'awaiting_requester', priority: 4 });
    // Silent: an import queues no notification, webhook, SLA timer or page.
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0].n).toBe(jobsBefore);
  });

  it('importing the same file again changes nothing', async () => {
    const before = await counts();
    const version = (await ticketByNumber('HD-102')).version;
    const report = await importGeneric(deps, MAPPING, { open: bytesOf(CSV), dryRun: false, holder: 'test' });
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await counts()).toEqual(before);
    expect((await ticketByNumber('HD-102')).version).toBe(version);
  });

  it('refuses a file whose header lacks the mapped columns, or that is not a table at all, naming row 1', async () => {
    const before = await counts();
    await expect(importGeneric(deps, MAPPING, { open: bytesOf('Id,Title\n1,x\n'), dryRun: false, holder: 'test' })).rejects.toThrow(
      /^Row 1 \(the header\) names none of the mapped columns: "ticket", "subject"/,
    );
    await expect(
      importGeneric(deps, MAPPING, { open: bytesOf(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 10, 10])), dryRun: true, holder: 'test' }),
    ).rejects.toThrow(/not a CSV file/);
    expect(await counts()).toEqual(before);
  });
});

describe('importing JSON lines, one line per update', () => {
  const mapping = checked({
    columns: {
      number: 'id',
      title: 'title',
      state: 'status',
      openedAt: 'created_at',
      openedBy: 'by',
      updatedAt: 'at',
      updatedBy: 'by',
      updateNumber: 'seq',
      assignee: 'owner',
      requester: 'requester',
    },
    states: { open: 'new', working: 'in_progress', closed: 'closed' },
  });
  const base = { id: 'OPS-7', title: 'Disk full', requester: 'Léa Martin', created_at: '2026-04-01T08:00:00', location: 'Berlin' };
  const lines = [
    { ...base, seq: 2, status: 'closed', owner: 'Sam Ops', by: 'Sam Ops', at: '2026-04-01T12:00:00' },
    { ...base, seq: 0, status: 'open', owner: null, by: 'Léa Martin', at: '2026-04-01T08:00:00' },
    { ...base, seq: 1, status: 'working', owner: 'Sam Ops', by: 'Kim Lead', at: '2026-04-01T09:00:00' },
  ]
    .map((l) => JSON.stringify(l))
    .join('\n');

  it('makes one ticket whose timeline holds each update at its time, by its actor, in order', async () => {
    const report = await importGeneric(deps, mapping, { open: bytesOf(lines), dryRun: false, holder: 'test' });
    expect(report).toMatchObject({ rows: 3, incidents: 1, created: 1, refused: [] });
    expect(report.header).toMatchObject({ format: 'jsonl', delimiter: '\n' });
    const t = await ticketByNumber('OPS-7');
    expect(t).toMatchObject({
      state: 'closed',
      closedAt: new Date('2026-04-01T12:00:00Z'),
      sourceAttributes: { location: 'Berlin', status: 'closed' },
    });
    const events = await database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, t.id)).orderBy(timelineEvents.id);
    const story = await Promise.all(events.map(async (e) => [e.type, e.at.toISOString(), await nameOf(e.actorId)]));
    expect(story).toEqual([
      ['created', '2026-04-01T08:00:00.000Z', 'Léa Martin'],
      ['assigned', '2026-04-01T09:00:00.000Z', 'Kim Lead'],
      ['state_changed', '2026-04-01T09:00:00.000Z', 'Kim Lead'],
      ['state_changed', '2026-04-01T12:00:00.000Z', 'Sam Ops'],
    ]);
    expect(events[0].data).toMatchObject({ imported: 'generic', number: 'OPS-7' });
    // Again: nothing changes.
    const again = await importGeneric(deps, mapping, { open: bytesOf(lines), dryRun: false, holder: 'test' });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it('refuses a line that is not JSON, naming its row, and writes nothing', async () => {
    const before = await counts();
    await expect(
      importGeneric(deps, mapping, {
        open: bytesOf(`${JSON.stringify({ ...base, id: 'OPS-8', status: 'open' })}\nnot json\n`),
        dryRun: false,
        holder: 'test',
      }),
    ).rejects.toThrow(/^Row 2 is not JSON/);
    expect(await counts()).toEqual(before);
  });
});
