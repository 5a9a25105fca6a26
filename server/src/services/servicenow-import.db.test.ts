import { eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { type ServiceNowExportRow, serviceNowCsv } from '../../test/servicenow-export.js';
import { FakeClock } from '../adapters/clock.js';
import { type Database, rowsOf } from '../db/client.js';
import { importedRecords, jobs, slaPolicies, tickets, timelineEvents, users } from '../db/schema/index.js';
import { takeImportLock } from '../repositories/imports.repository.js';
import { listTickets } from '../repositories/tickets.repository.js';
import { createUser } from './directory.service.js';
import { computeKpiSql } from './reports.service.js';
import { IMPORT_LEASE_MS, ImportRefused, importServiceNow } from './servicenow-import.service.js';
import { reportTicket } from './ticket-intake.service.js';

/**
 * Import from ServiceNow (issue 16) on files written here in both forms, ugly rows included:
 * what was created, refused and why, the timeline of an imported ticket event by event, that
 * nothing follows an import, idempotence, a newer export, the lock, and KPIs over the imported
 * set against figures computed from the file.
 */

const bytesOf = (text: string | Buffer) => () =>
  (async function* () {
    const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    // Small chunks: a character or a line split across chunks must not matter.
    for (let i = 0; i < buf.length; i += 97) yield buf.subarray(i, i + 97);
  })();

// INC0010001, the event log of one incident: opened in the night the clocks went forward in
// London, worked, put on hold, reassigned to another group with nobody ("?"), resolved, closed,
// reopened after closure and resolved again. Its rows are out of order and another incident's
// rows sit between them.
const inc1 = {
  number: 'INC0010001',
  caller_id: 'Caller 2403',
  opened_by: 'Opened by 8',
  opened_at: '29/3/2026 00:30',
  sys_created_by: 'Opened by 8',
  sys_created_at: '29/3/2026 00:30',
  contact_type: 'IVR',
  location: 'Location 143',
  category: 'Category 55',
  subcategory: 'Subcategory 170',
  u_symptom: 'Symptom 72',
  cmdb_ci: '?',
  impact: '2 - Medium',
  urgency: '2 - Medium',
  priority: '3 - Moderate',
  made_sla: 'true',
  closed_code: '?',
  resolved_by: '?',
  resolved_at: '?',
  closed_at: '?',
  reassignment_count: '0',
  reopen_count: '0',
  active: 'true',
} satisfies ServiceNowExportRow;
const eventLog: ServiceNowExportRow[] = [
  { ...inc1, sys_mod_count: '0', incident_state: 'New', sys_updated_by: 'Opened by 8', sys_updated_at: '29/3/2026 00:30' },
  // out of order: update 3 before updates 1 and 2
  {
    ...inc1,
    sys_mod_count: '3',
    incident_state: 'Active',
    assignment_group: 'Group 70',
    assigned_to: '?',
    reassignment_count: '1',
    sys_updated_by: 'Resolver 7',
    sys_updated_at: '30/3/2026 09:00',
  },
  {
    number: 'INC0010002',
    sys_mod_count: '0',
    incident_state: 'New',
    caller_id: '?',
    opened_by: 'Opened by 8',
    opened_at: '1/4/2026 10:00',
    sys_updated_by: 'Opened by 8',
    sys_updated_at: '1/4/2026 10:00',
    impact: '3 - Low',
    urgency: '3 - Low',
    priority: '4 - Low',
    contact_type: 'Email',
    category: 'Category 55',
  },
  {
    ...inc1,
    sys_mod_count: '1',
    incident_state: 'Active',
    assignment_group: 'Group 56',
    assigned_to: 'Resolver 7',
    sys_updated_by: 'Resolver 7',
    sys_updated_at: '29/3/2026 02:15',
  },
  {
    ...inc1,
    sys_mod_count: '2',
    incident_state: 'Awaiting User Info',
    assignment_group: 'Group 56',
    assigned_to: 'Resolver 7',
    sys_updated_by: 'Resolver 7',
    sys_updated_at: '29/3/2026 03:00',
  },
  {
    number: 'INC0010002',
    sys_mod_count: '1',
    incident_state: 'Resolved',
    caller_id: '?',
    opened_by: 'Opened by 8',
    opened_at: '1/4/2026 10:00',
    sys_updated_by: 'Resolver 9',
    sys_updated_at: '1/4/2026 10:20',
    impact: '3 - Low',
    urgency: '3 - Low',
    priority: '4 - Low',
    contact_type: 'Email',
    category: 'Category 55',
    assignment_group: 'Group 56',
    assigned_to: 'Resolver 9',
    resolved_by: 'Resolver 9',
    resolved_at: '1/4/2026 10:20',
    closed_code: 'Solved (Work Around)',
  },
  {
    ...inc1,
    sys_mod_count: '4',
    incident_state: 'Resolved',
    assignment_group: 'Group 70',
    assigned_to: 'Resolver 9',
    reassignment_count: '1',
    resolved_by: 'Resolver 9',
    resolved_at: '30/3/2026 10:00',
    closed_code: 'code 5',
    sys_updated_by: 'Resolver 9',
    sys_updated_at: '30/3/2026 10:00',
  },
  {
    ...inc1,
    sys_mod_count: '5',
    incident_state: 'Closed',
    assignment_group: 'Group 70',
    assigned_to: 'Resolver 9',
    reassignment_count: '1',
    resolved_by: 'Resolver 9',
    resolved_at: '30/3/2026 10:00',
    closed_at: '4/4/2026 10:00',
    closed_code: 'code 5',
    sys_updated_by: 'system',
    sys_updated_at: '4/4/2026 10:00',
  },
  {
    ...inc1,
    sys_mod_count: '6',
    incident_state: 'Active',
    assignment_group: 'Group 70',
    assigned_to: 'Resolver 9',
    reassignment_count: '1',
    reopen_count: '1',
    sys_updated_by: 'Resolver 9',
    sys_updated_at: '5/4/2026 08:00',
  },
  {
    ...inc1,
    sys_mod_count: '7',
    incident_state: 'Resolved',
    assignment_group: 'Group 70',
    assigned_to: 'Resolver 9',
    reassignment_count: '1',
    reopen_count: '1',
    resolved_by: 'Resolver 9',
    resolved_at: '5/4/2026 12:00',
    closed_code: 'code 5',
    sys_updated_by: 'Resolver 9',
    sys_updated_at: '5/4/2026 12:00',
  },
  // ugly rows: an unknown state, an impossible date, a time the clocks skipped, no number
  { ...inc1, number: 'INC0010003', sys_mod_count: '0', incident_state: '-100', sys_updated_at: '2/4/2026 10:00' },
  {
    ...inc1,
    number: 'INC0010004',
    sys_mod_count: '0',
    incident_state: 'New',
    opened_at: '31/2/2026 10:00',
    sys_updated_at: '2/4/2026 10:00',
  },
  {
    ...inc1,
    number: 'INC0010005',
    sys_mod_count: '0',
    incident_state: 'New',
    opened_at: '29/3/2026 01:30',
    sys_created_at: '?',
    sys_updated_at: '2/4/2026 10:00',
  },
  { ...inc1, number: '?', sys_mod_count: '0', incident_state: 'New', sys_updated_at: '2/4/2026 10:00' },
];
const OPTIONS = { dateFormat: 'D/M/YYYY HH:mm', timeZone: 'Europe/London' };
const london = (text: string) => DateTime.fromFormat(text, 'd/M/yyyy HH:mm', { zone: 'Europe/London' }).toJSDate();

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-06-01T09:00:00Z');
  deps = { db: database.db, clock };
});
afterAll(() => database.close());

const ticketByNumber = async (number: string) => (await database.db.select().from(tickets).where(eq(tickets.number, number)))[0];
const nameOf = async (id: string | null) => (id ? (await database.db.select().from(users).where(eq(users.id, id)))[0]?.name : null);

describe('importing the event-log form', () => {
  it('a dry run reports what it would create and every refused row with its column and reason, and writes nothing', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(tickets);
    const report = await importServiceNow(deps, { open: bytesOf(serviceNowCsv(eventLog)), dryRun: true, holder: 'test', ...OPTIONS });
    expect(report).toMatchObject({ rows: 14, incidents: 2, created: 2, updated: 0, unchanged: 0, newTeams: 2, newCategories: 1 });
    expect(report.refused).toEqual([
      { row: 12, column: 'incident_state', reason: '"-100" is not a state the mapping table knows (add it to the table)' },
      { row: 13, column: 'opened_at', reason: '"31/2/2026 10:00" is not a date that exists' },
      { row: 14, column: 'opened_at', reason: '"29/3/2026 01:30" does not exist in Europe/London (the clocks went forward)' },
      { row: 15, column: 'number', reason: 'the incident number is missing' },
    ]);
    // Caller 2403, Unknown caller, Opened by 8, Resolver 7, Resolver 9, system.
    expect(report.newPeople).toBe(6);
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(tickets);
    expect(after).toEqual(before);
  });

  it('makes one ticket per incident with its original number, fields, people and source attributes; nothing follows', async () => {
    const jobsBefore = (await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0].n;
    const report = await importServiceNow(deps, { open: bytesOf(serviceNowCsv(eventLog)), dryRun: false, holder: 'test', ...OPTIONS });
    expect(report).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(report.refused).toHaveLength(4);

    const t = await ticketByNumber('INC0010001');
    expect(t).toMatchObject({
      kind: 'incident',
      state: 'resolved',
      channel: 'phone',
      impact: 2,
      urgency: 2,
      priority: 3,
      openedAt: london('29/3/2026 00:30'),
      resolvedAt: london('5/4/2026 12:00'),
      closedAt: null,
      resolutionCode: 'solved_permanently',
      reassignmentCount: 1,
      reopenCount: 1,
      assigneeId: expect.any(String),
      slaPolicyId: null,
    });
    expect(await nameOf(t.requesterId)).toBe('Caller 2403');
    expect(await nameOf(t.reportedById)).toBe('Opened by 8');
    expect(await nameOf(t.assigneeId)).toBe('Resolver 9');
    expect(t.sourceAttributes).toMatchObject({
      location: 'Location 143',
      u_symptom: 'Symptom 72',
      contact_type: 'IVR',
      made_sla: 'true',
      incident_state: 'Resolved',
      closed_code: 'code 5',
    });
    expect(t.sourceAttributes).not.toHaveProperty('cmdb_ci'); // "?" is missing, not a value
    const unknown = await ticketByNumber('INC0010002');
    expect(await nameOf(unknown.requesterId)).toBe('Unknown caller (ServiceNow)');
    expect(unknown.resolutionCode).toBe('solved_workaround');

    // People met are created deactivated, without a password; staff as agents.
    const [resolver] = await database.db.select().from(users).where(eq(users.name, 'Resolver 9'));
    expect(resolver).toMatchObject({ active: false, passwordHash: null, role: 'agent' });
    const [caller] = await database.db.select().from(users).where(eq(users.name, 'Caller 2403'));
    expect(caller).toMatchObject({ active: false, passwordHash: null, role: 'requester' });
    // No notification, SLA timer, auto-close or page was scheduled.
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0].n).toBe(jobsBefore);
    expect(rowsOf(await database.db.execute(sql`SELECT count(*)::int AS n FROM notifications`))).toEqual([{ n: 0 }]);
  });

  it("keeps every update on the timeline at its original time, by its original actor, in the incident's order", async () => {
    const t = await ticketByNumber('INC0010001');
    const events = await database.db
      .select({
        type: timelineEvents.type,
        at: timelineEvents.at,
        actor: users.name,
        changes: timelineEvents.changes,
        data: timelineEvents.data,
      })
      .from(timelineEvents)
      .leftJoin(users, eq(users.id, timelineEvents.actorId))
      .where(eq(timelineEvents.ticketId, t.id))
      .orderBy(timelineEvents.id);
    const teams = Object.fromEntries(
      rowsOf<{ id: string; name: string }>(await database.db.execute(sql`SELECT id, name FROM teams`)).map((r) => [r.id, r.name]),
    );
    const people = Object.fromEntries((await database.db.select().from(users)).map((u) => [u.id, u.name]));
    const named = (changes: { field: string; from: unknown; to: unknown }[] | null) =>
      (changes ?? []).map((c) => ({
        ...c,
        from:
          c.field === 'teamId' ? (teams[c.from as string] ?? null) : c.field === 'assigneeId' ? (people[c.from as string] ?? null) : c.from,
        to: c.field === 'teamId' ? (teams[c.to as string] ?? null) : c.field === 'assigneeId' ? (people[c.to as string] ?? null) : c.to,
      }));
    expect(events.map((e) => ({ type: e.type, at: e.at, actor: e.actor, changes: named(e.changes) }))).toEqual([
      { type: 'created', at: london('29/3/2026 00:30'), actor: 'Opened by 8', changes: [] },
      // 02:15 British Summer Time is 45 minutes after 00:30 GMT.
      {
        type: 'assigned',
        at: new Date('2026-03-29T01:15:00Z'),
        actor: 'Resolver 7',
        changes: [
          { field: 'teamId', from: null, to: 'Group 56' },
          { field: 'assigneeId', from: null, to: 'Resolver 7' },
        ],
      },
      {
        type: 'state_changed',
        at: new Date('2026-03-29T01:15:00Z'),
        actor: 'Resolver 7',
        changes: [{ field: 'state', from: 'new', to: 'in_progress' }],
      },
      {
        type: 'state_changed',
        at: london('29/3/2026 03:00'),
        actor: 'Resolver 7',
        changes: [
          { field: 'state', from: 'in_progress', to: 'on_hold' },
          { field: 'onHoldReason', from: null, to: 'awaiting_requester' },
        ],
      },
      {
        type: 'assigned',
        at: london('30/3/2026 09:00'),
        actor: 'Resolver 7',
        changes: [
          { field: 'teamId', from: 'Group 56', to: 'Group 70' },
          { field: 'assigneeId', from: 'Resolver 7', to: null },
        ],
      },
      {
        type: 'state_changed',
        at: london('30/3/2026 09:00'),
        actor: 'Resolver 7',
        changes: [
          { field: 'state', from: 'on_hold', to: 'in_progress' },
          { field: 'onHoldReason', from: 'awaiting_requester', to: null },
        ],
      },
      {
        type: 'assigned',
        at: london('30/3/2026 10:00'),
        actor: 'Resolver 9',
        changes: [{ field: 'assigneeId', from: null, to: 'Resolver 9' }],
      },
      {
        type: 'state_changed',
        at: london('30/3/2026 10:00'),
        actor: 'Resolver 9',
        changes: [
          { field: 'state', from: 'in_progress', to: 'resolved' },
          { field: 'resolutionCode', from: null, to: 'solved_permanently' },
        ],
      },
      {
        type: 'state_changed',
        at: london('4/4/2026 10:00'),
        actor: 'system',
        changes: [{ field: 'state', from: 'resolved', to: 'closed' }],
      },
      // reopened after closure: history, though the lifecycle would refuse it live
      {
        type: 'state_changed',
        at: london('5/4/2026 08:00'),
        actor: 'Resolver 9',
        changes: [{ field: 'state', from: 'closed', to: 'in_progress' }],
      },
      {
        type: 'state_changed',
        at: london('5/4/2026 12:00'),
        actor: 'Resolver 9',
        changes: [
          { field: 'state', from: 'in_progress', to: 'resolved' },
          { field: 'resolutionCode', from: null, to: 'solved_permanently' },
        ],
      },
    ]);
    expect(events[9].data).toMatchObject({ action: 'reopen', sourceState: 'Active' });
  });

  it('importing the same file again changes nothing', async () => {
    const count = async () =>
      rowsOf(
        await database.db.execute(
          sql`SELECT (SELECT count(*) FROM tickets)::int AS t, (SELECT count(*) FROM timeline_events)::int AS e, (SELECT count(*) FROM users)::int AS u`,
        ),
      )[0];
    const before = await count();
    const version = (await ticketByNumber('INC0010001')).version;
    const report = await importServiceNow(deps, { open: bytesOf(serviceNowCsv(eventLog)), dryRun: false, holder: 'test', ...OPTIONS });
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await count()).toEqual(before);
    expect((await ticketByNumber('INC0010001')).version).toBe(version);
  });

  it('a newer export adds only what happened since, and a dry run says so first', async () => {
    const newer = [
      ...eventLog,
      {
        ...inc1,
        sys_mod_count: '8',
        incident_state: 'Closed',
        assignment_group: 'Group 70',
        assigned_to: 'Resolver 9',
        reassignment_count: '1',
        reopen_count: '1',
        resolved_by: 'Resolver 9',
        resolved_at: '5/4/2026 12:00',
        closed_at: '12/4/2026 12:00',
        closed_code: 'code 5',
        sys_updated_by: 'system',
        sys_updated_at: '12/4/2026 12:00',
      },
    ];
    const dry = await importServiceNow(deps, { open: bytesOf(serviceNowCsv(newer)), dryRun: true, holder: 'test', ...OPTIONS });
    expect(dry).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const report = await importServiceNow(deps, { open: bytesOf(serviceNowCsv(newer)), dryRun: false, holder: 'test', ...OPTIONS });
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const t = await ticketByNumber('INC0010001');
    expect(t).toMatchObject({
      state: 'closed',
      closedAt: london('12/4/2026 12:00'),
      resolvedAt: london('5/4/2026 12:00'),
      reassignmentCount: 1,
      reopenCount: 1,
    });
    const last = await database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, t.id)).orderBy(sql`id DESC`).limit(1);
    expect(last[0]).toMatchObject({ type: 'state_changed', at: london('12/4/2026 12:00') });
  });

  it('KPIs over the imported set equal the figures computed from the file', async () => {
    // From the file: INC0010001 resolved 5/4 12:00 (opened 29/3 00:30), reassigned once, reopened once;
    // INC0010002 resolved 1/4 10:20 (opened 1/4 10:00), never reassigned nor reopened.
    const durations = [london('5/4/2026 12:00').getTime() - london('29/3/2026 00:30').getTime(), 20 * 60_000];
    const period = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z') };
    const filter = { teamIds: null };
    const ttr = (await computeKpiSql(database.db, 'time-to-resolve', filter, period, clock.now(), 'Europe/London')) as {
      count: number;
      meanMs: number;
      business: { count: number; meanMs: number | null };
    };
    expect(ttr.count).toBe(2);
    expect(ttr.meanMs).toBe((durations[0] + durations[1]) / 2);
    // Business time too: with no SLA calendar it is counted round the clock, so it equals wall-clock.
    expect(ttr.business).toMatchObject({ count: 2, meanMs: (durations[0] + durations[1]) / 2 });
    expect(await computeKpiSql(database.db, 'reassignment-rate', filter, period, clock.now(), 'UTC')).toMatchObject({ total: 2, count: 1 });
    expect(await computeKpiSql(database.db, 'reopen-rate', filter, period, clock.now(), 'UTC')).toMatchObject({ total: 2, count: 1 });
  });
});

describe('importing the one-row form, and faults', () => {
  it('takes a Latin-1, semicolon-separated export; keeps a taken number as an external reference that search finds', async () => {
    const agent = await createUser(deps, { email: 'ana@import.test', name: 'Ana', role: 'agent', timeZone: 'UTC' });
    // A ticket made here first holds the number the export uses.
    const mine = await reportTicket(
      deps,
      { id: agent.id, role: 'agent' },
      { kind: 'incident', title: 'Here first', description: '', impact: 3, urgency: 3, scope: 'local' },
      { defaultChannel: 'portal' },
    );
    const taken = mine.ticket.number;
    const rows: ServiceNowExportRow[] = [
      {
        number: taken,
        incident_state: 'Closed',
        caller_id: 'Zoë Müller',
        opened_by: 'Opened by 8',
        opened_at: '2/5/2026 09:00',
        sys_updated_at: '3/5/2026 09:00',
        impact: '1 - High',
        urgency: '1 - High',
        priority: '3 - Moderate',
        assignment_group: 'Group 56',
        assigned_to: 'Resolver 9',
        resolved_by: 'Resolver 9',
        resolved_at: '2/5/2026 11:00',
        closed_at: '3/5/2026 09:00',
        reassignment_count: '2',
        reopen_count: '0',
        closed_code: 'Solved (Permanently)',
        vendor: 'Vendor 1',
      },
      {
        number: 'INC0090000',
        incident_state: 'Awaiting Vendor',
        caller_id: 'Zoë Müller',
        opened_by: 'Opened by 8',
        opened_at: '2/5/2026 10:00',
        sys_updated_at: '2/5/2026 12:00',
        impact: '2 - Medium',
        urgency: '3 - Low',
        priority: '4 - Low',
        assignment_group: 'Group 56',
      },
    ];
    const latin1 = Buffer.from(serviceNowCsv(rows, ';'), 'latin1');
    const report = await importServiceNow(deps, { open: bytesOf(latin1), dryRun: false, holder: 'test', ...OPTIONS });
    expect(report).toMatchObject({ created: 2, renumbered: 1, header: { delimiter: ';', encoding: 'latin1' } });
    expect(report.refused).toEqual([]);
    const [imported] = await database.db.select().from(tickets).where(eq(tickets.externalReference, taken));
    expect(imported.number).not.toBe(taken);
    // Imported priorities are kept as they were, and marked where the matrix gives another.
    expect(imported).toMatchObject({
      state: 'closed',
      priority: 3,
      priorityOverridden: true,
      reassignmentCount: 2,
      resolutionCode: 'solved_permanently',
    });
    expect(await nameOf(imported.requesterId)).toBe('Zoë Müller');
    expect(imported.sourceAttributes).toMatchObject({ vendor: 'Vendor 1' });
    const found = await listTickets(database.db, { filter: { text: taken.toLowerCase() }, sort: 'priority', limit: 10 });
    expect(found.map((r) => r.ticket.id)).toContain(imported.id);
    const held = await ticketByNumber('INC0090000');
    expect(held).toMatchObject({ state: 'on_hold', onHoldReason: 'awaiting_vendor' });
    // The number sequence moved past the imported numbers.
    const next = await reportTicket(
      deps,
      { id: agent.id, role: 'agent' },
      { kind: 'incident', title: 'After the import', description: '', impact: 3, urgency: 3, scope: 'local' },
      { defaultChannel: 'portal' },
    );
    expect(next.ticket.number).toBe('INC0090001');
    const records = await database.db.select().from(importedRecords);
    expect(records.length).toBe(4);
  });

  it('refuses a file that is not CSV, or whose header names no ServiceNow column, naming why', async () => {
    await expect(
      importServiceNow(deps, {
        open: bytesOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 10])),
        dryRun: true,
        holder: 't',
        ...OPTIONS,
      }),
    ).rejects.toThrow(/not a CSV file/);
    await expect(
      importServiceNow(deps, { open: bytesOf('name,email\nAna,ana@x\n'), dryRun: true, holder: 't', ...OPTIONS }),
    ).rejects.toThrow(/Row 1 \(the header\) names none of the columns/);
    await expect(
      importServiceNow(deps, {
        open: bytesOf('number:incident_state:opened_at\nINC1:New:1/1/2026 10:00\n'),
        dryRun: true,
        holder: 't',
        ...OPTIONS,
      }),
    ).rejects.toThrow(/only one column was found: is the delimiter right\?/);
  });

  it('an import that stops halfway leaves whole incidents only, and running it again finishes the job without doubling', async () => {
    const rows: ServiceNowExportRow[] = [1, 2, 3, 4].map((n) => ({
      ...inc1,
      number: `INC007000${n}`,
      sys_mod_count: '0',
      incident_state: 'Active',
      assignment_group: 'Group 56',
      sys_updated_at: '2/4/2026 10:00',
    }));
    const text = serviceNowCsv(rows);
    let opened = 0;
    // The second reading (the writing pass) breaks after the header and two rows.
    const breaking = () =>
      (async function* () {
        opened++;
        if (opened === 2) {
          yield Buffer.from(`${text.split('\r\n').slice(0, 3).join('\r\n')}\r\n`);
          throw new Error('the disk went away');
        }
        yield Buffer.from(text);
      })();
    await expect(importServiceNow(deps, { open: breaking, dryRun: false, holder: 'test', batchSize: 1, ...OPTIONS })).rejects.toThrow(
      /the disk went away/,
    );
    const numbers = async () =>
      (await database.db.select({ number: tickets.number }).from(tickets).where(sql`${tickets.number} LIKE 'INC007000%'`))
        .map((r) => r.number)
        .sort();
    // What committed before the break: whole incidents, in the file's order, and not all of them.
    const before = await numbers();
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(4);
    expect(before).toEqual(['INC0070001', 'INC0070002', 'INC0070003'].slice(0, before.length));
    const report = await importServiceNow(deps, { open: bytesOf(text), dryRun: false, holder: 'test', ...OPTIONS });
    expect(report).toMatchObject({ created: 4 - before.length, unchanged: before.length });
    expect(await numbers()).toEqual(['INC0070001', 'INC0070002', 'INC0070003', 'INC0070004']);
  });

  it('refuses a second import while one runs, with who and since when; a killed import frees the lock when its lease runs out', async () => {
    expect(
      await takeImportLock(database.db, 'import of a.csv by Ana', clock.now(), new Date(clock.now().getTime() + IMPORT_LEASE_MS)),
    ).toEqual({ ok: true });
    await expect(
      importServiceNow(deps, { open: bytesOf(serviceNowCsv(eventLog)), dryRun: false, holder: 'b', ...OPTIONS }),
    ).rejects.toThrow(ImportRefused);
    await expect(
      importServiceNow(deps, { open: bytesOf(serviceNowCsv(eventLog)), dryRun: false, holder: 'b', ...OPTIONS }),
    ).rejects.toThrow(/Another import is running \(import of a\.csv by Ana, since 2026-06-01T09:00:00\.000Z\)/);
    // The holder died without releasing: after the lease, the next import goes ahead.
    clock.advance(IMPORT_LEASE_MS + 1);
    const report = await importServiceNow(deps, { open: bytesOf(serviceNowCsv(eventLog)), dryRun: false, holder: 'b', ...OPTIONS });
    expect(report.unchanged).toBe(2);
  });
});

describe('imported tickets and their SLA', () => {
  // Priority 1 incidents of January 2025 under a policy for priority 1 only: resolution in 4 hours
  // round the clock, paused while awaiting the caller.
  const p1 = { ...inc1, impact: '1 - High', urgency: '1 - High', priority: '1 - Critical', active: 'false' };
  const rows: ServiceNowExportRow[] = [
    // Resolved in 1 hour: met.
    {
      ...p1,
      number: 'INC0080001',
      sys_mod_count: '2',
      incident_state: 'Resolved',
      opened_at: '6/1/2025 10:00',
      resolved_at: '6/1/2025 11:00',
      made_sla: 'true',
      sys_updated_at: '6/1/2025 11:00',
    },
    // Resolved after 10 hours: breached at 14:00 (the export says it made its SLA; ours says not, both kept).
    {
      ...p1,
      number: 'INC0080002',
      sys_mod_count: '2',
      incident_state: 'Resolved',
      opened_at: '6/1/2025 10:00',
      resolved_at: '6/1/2025 20:00',
      made_sla: 'true',
      sys_updated_at: '6/1/2025 20:00',
    },
    // The event-log form: 5½ hours from opening to resolution, 4½ of them awaiting the caller: met.
    {
      ...p1,
      number: 'INC0080003',
      sys_mod_count: '0',
      incident_state: 'New',
      opened_at: '7/1/2025 10:00',
      sys_updated_at: '7/1/2025 10:00',
    },
    {
      ...p1,
      number: 'INC0080003',
      sys_mod_count: '1',
      incident_state: 'Awaiting Caller',
      opened_at: '7/1/2025 10:00',
      sys_updated_at: '7/1/2025 10:30',
    },
    {
      ...p1,
      number: 'INC0080003',
      sys_mod_count: '2',
      incident_state: 'Active',
      opened_at: '7/1/2025 10:00',
      sys_updated_at: '7/1/2025 15:00',
    },
    {
      ...p1,
      number: 'INC0080003',
      sys_mod_count: '3',
      incident_state: 'Resolved',
      opened_at: '7/1/2025 10:00',
      resolved_at: '7/1/2025 15:30',
      sys_updated_at: '7/1/2025 15:30',
    },
    // Priority 3: no policy matches, no SLA result.
    {
      ...inc1,
      number: 'INC0080004',
      sys_mod_count: '2',
      incident_state: 'Resolved',
      opened_at: '6/1/2025 10:00',
      resolved_at: '8/1/2025 10:00',
      sys_updated_at: '8/1/2025 10:00',
    },
  ];

  it('get the policy that matches them and its result from their recorded times: breaches noted when they happened, no timer', async () => {
    const [policy] = await database.db
      .insert(slaPolicies)
      .values({
        name: 'P1 incidents',
        position: 1,
        match: { priorities: [1] },
        resolutionMinutes: 240,
        pauseOnHoldReasons: ['awaiting_requester'],
        createdAt: clock.now(),
      })
      .returning();
    const jobsBefore = (await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0].n;
    const report = await importServiceNow(deps, { open: bytesOf(serviceNowCsv(rows)), dryRun: false, holder: 'sla', ...OPTIONS });
    expect(report).toMatchObject({ created: 4, refused: [] });

    const [met, breached, paused, unmatched] = await Promise.all(
      ['INC0080001', 'INC0080002', 'INC0080003', 'INC0080004'].map(ticketByNumber),
    );
    expect(met).toMatchObject({ slaPolicyId: policy.id, slaBreached: false });
    expect(breached).toMatchObject({ slaPolicyId: policy.id, slaBreached: true });
    expect(breached.sourceAttributes).toMatchObject({ made_sla: 'true' });
    expect(paused).toMatchObject({ slaPolicyId: policy.id, slaBreached: false });
    expect(unmatched).toMatchObject({ slaPolicyId: null, slaBreached: false });

    // The breach is on the timeline at the instant it happened (opened 10:00 + 4 h, London = UTC in
    // January), by Firebreak, internal, after the events before it and before the resolution.
    const timeline = await database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.ticketId, breached.id))
      .orderBy(timelineEvents.id);
    const note = timeline.find((e) => e.type === 'sla_breached');
    expect(note).toMatchObject({
      at: new Date('2025-01-06T14:00:00Z'),
      actorId: null,
      internal: true,
      body: 'Resolution target (240 min, P1 incidents) was breached at 2025-01-06T14:00:00.000Z.',
    });
    expect(timeline.map((e) => e.at.getTime())).toEqual([...timeline.map((e) => e.at.getTime())].sort((a, b) => a - b));
    for (const t of [met, paused, unmatched]) {
      const notes = await database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, t.id));
      expect(notes.filter((e) => e.type === 'sla_breached')).toEqual([]);
    }
    // Silent: no SLA timer (nor anything else) was scheduled.
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(jobs))[0].n).toBe(jobsBefore);

    // The dashboard's SLA compliance covers the imported history: 2 met, 1 breached.
    const period = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') };
    for (const source of ['rollups', 'tickets'] as const)
      expect(await computeKpiSql(database.db, 'sla-compliance', { teamIds: null }, period, clock.now(), 'UTC', source)).toMatchObject({
        count: 2,
        breached: 1,
        total: 3,
      });

    // Importing again notes nothing twice.
    await importServiceNow(deps, { open: bytesOf(serviceNowCsv(rows)), dryRun: false, holder: 'sla', ...OPTIONS });
    const notes = await database.db.select().from(timelineEvents).where(eq(timelineEvents.type, 'sla_breached'));
    expect(notes.filter((e) => e.ticketId === breached.id)).toHaveLength(1);
  });
});
