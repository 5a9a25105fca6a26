import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { type ServiceNowExportRow, serviceNowCsv } from '../../test/servicenow-export.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { type Listener, listen } from '../db/listen.js';
import { LIVE_CHANNEL } from '../live/live-events.js';
import { createUser } from './directory.service.js';
import { importServiceNow } from './servicenow-import.service.js';
import { reportTicket } from './ticket-intake.service.js';

/**
 * Live announcements and imports (issue 16, migration 0070): a desk watching while 150,000 rows
 * of history are imported hears one refresh at the end, not one announcement per imported event;
 * live work before and after is announced as always, event by event.
 */

let database: Database;
let listener: Listener;
const heard: Record<string, unknown>[] = [];
let deps: { db: Database['db']; clock: FakeClock };
let agentId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-06-01T09:00:00Z') };
  listener = await listen(database, LIVE_CHANNEL, {
    onMessage: (payload) => heard.push(JSON.parse(payload)),
    onResync: () => {},
    onError: () => {},
  });
  agentId = (await createUser(deps, { email: 'ann@example.test', name: 'Ann', role: 'agent', timeZone: 'UTC' })).id;
});
afterAll(async () => {
  await listener.close();
  await database.close();
});

/** Reports a ticket live and waits until its announcement is heard: whatever was committed before it has been heard too. */
async function reportAndHear(title: string): Promise<string> {
  const { ticket } = await reportTicket(
    deps,
    { id: agentId, role: 'agent' },
    { kind: 'incident', title, description: '', impact: 3, urgency: 3, scope: 'local' },
    { defaultChannel: 'portal' },
  );
  await expect.poll(() => heard.some((m) => m.topic === 'ticket' && m.ticketId === ticket.id), { timeout: 10_000 }).toBe(true);
  return ticket.id;
}

/**
 * What the desk heard while `work` ran: everything up to the announcement of a ticket reported
 * live after it (`marker`), so nothing `work` committed is still on its way.
 */
async function heardDuring(work: () => Promise<unknown>): Promise<{ during: Record<string, unknown>[]; marker: string }> {
  const from = heard.length;
  await work();
  const marker = await reportAndHear('Live after the import');
  return { during: heard.slice(from), marker };
}

/** An import of `csv` as the admin screen starts one (`batchSize` for several transactions). */
const importOf = (csv: string, batchSize?: number) => ({
  open: () =>
    (async function* () {
      yield Buffer.from(csv);
    })(),
  dryRun: false,
  dateFormat: 'D/M/YYYY HH:mm',
  timeZone: 'UTC',
  holder: 'test',
  batchSize,
});

const row = (number: string, mod: number, state: string, at: string): ServiceNowExportRow => ({
  number,
  sys_mod_count: String(mod),
  incident_state: state,
  caller_id: 'Caller 1',
  opened_by: 'Opener 1',
  opened_at: '1/4/2026 10:00',
  sys_updated_by: 'Resolver 1',
  sys_updated_at: at,
  assignment_group: 'Network',
  assigned_to: 'Resolver 1',
  impact: '2 - Medium',
  urgency: '2 - Medium',
  priority: '3 - Moderate',
});

describe('live announcements during an import', () => {
  it('an import announces no event of its own, and one refresh at its end; live work before and after is announced event by event', async () => {
    const before = await reportAndHear('Live before the import');
    const rows: ServiceNowExportRow[] = [];
    // Three incidents of three updates each, written in two batches (new tickets), then a newer
    // export of one of them (an update through the pipeline).
    for (const n of [1, 2, 3]) {
      rows.push(row(`INC00200${n}`, 0, 'New', '1/4/2026 10:00'), row(`INC00200${n}`, 1, 'Active', '1/4/2026 11:00'));
      rows.push(row(`INC00200${n}`, 2, 'Resolved', '1/4/2026 12:00'));
    }
    const { during, marker: after } = await heardDuring(async () => {
      const first = await importServiceNow(deps, importOf(serviceNowCsv(rows), 2));
      expect(first.created).toBe(3);
      const second = await importServiceNow(deps, importOf(serviceNowCsv([...rows, row('INC002001', 3, 'Closed', '2/4/2026 12:00')])));
      expect(second.updated).toBe(1);
    });
    // Only the live ticket's events, and one refresh per import that wrote something.
    expect(during.filter((m) => m.topic === 'ticket').map((m) => m.ticketId)).toEqual(
      during.filter((m) => m.topic === 'ticket').map(() => after),
    );
    expect(during.filter((m) => m.topic === 'refresh')).toEqual([
      { topic: 'refresh', reason: 'import' },
      { topic: 'refresh', reason: 'import' },
    ]);
    expect(before).not.toBe(after);
  });

  it('importing the same file again writes nothing and announces nothing', async () => {
    const input = importOf(serviceNowCsv([row('INC003001', 0, 'New', '1/4/2026 10:00')]));
    await importServiceNow(deps, input);
    await reportAndHear('Marker one');
    const { during, marker } = await heardDuring(async () => {
      const again = await importServiceNow(deps, input);
      expect(again.unchanged).toBe(1);
    });
    expect(during.filter((m) => m.topic === 'refresh' || m.ticketId !== marker)).toEqual([]);
  });
});
