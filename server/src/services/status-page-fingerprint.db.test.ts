import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import type { Listener } from '../db/listen.js';
import { EventHub, type StatusPageNews } from '../live/event-hub.js';
import { connectEventHub } from '../live/live-events.js';
import { createService, updateServiceById } from './catalog.service.js';
import { createUser } from './directory.service.js';
import { cancelMaintenance, createMaintenance } from './maintenance.service.js';
import { clearStatusOverride, readStatusPageFingerprint, setStatusOverride, setStatusPageSettings } from './status-page.service.js';
import { addComment } from './ticket-conversation.service.js';
import { reportTicket } from './ticket-intake.service.js';

/**
 * The status page is recomputed when a live announcement says something it shows changed
 * (whichever process wrote it: the database announces it to every process), and its fingerprint
 * is compared now and then for anything missed. So every write the page shows must be announced
 * and must change the fingerprint: a missed change would leave the public page wrong.
 */
let database: Database;
const hub = new EventHub();
let listener: Listener;
let deps: { db: Database['db']; clock: FakeClock };
let manager: { id: string; role: 'manager' };
let vpnId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-05-04T08:00:00Z') };
  manager = {
    id: (await createUser(deps, { email: 'manager@fingerprint.test', name: 'Manager', role: 'manager', timeZone: 'UTC' })).id,
    role: 'manager',
  };
  vpnId = (await createService(deps, { name: 'VPN', onStatusPage: true })).id;
  listener = await connectEventHub(database, hub, () => {});
});

afterAll(async () => {
  await listener.close();
  await database.close();
});

/**
 * Runs a write and says whether the fingerprint moved (it must stay put while nothing is written)
 * and whether the status page heard news that `expected` recognises (evaluated after the write,
 * so it may name what the write made). Announcements come after the commit, asynchronously.
 */
async function moves(
  write: () => Promise<unknown>,
  expected: (news: StatusPageNews) => boolean,
): Promise<{ fingerprint: boolean; announced: boolean }> {
  const before = await readStatusPageFingerprint(deps.db);
  expect(await readStatusPageFingerprint(deps.db)).toBe(before);
  const heard: StatusPageNews[] = [];
  let onNews = () => {};
  const stop = hub.watchStatusPage((news) => {
    heard.push(news);
    onNews();
  });
  try {
    await write();
    const fingerprint = (await readStatusPageFingerprint(deps.db)) !== before;
    const announced = await new Promise<boolean>((resolve) => {
      const giveUp = setTimeout(() => resolve(false), 5_000);
      onNews = () => {
        if (!heard.some(expected)) return;
        clearTimeout(giveUp);
        resolve(true);
      };
      onNews();
    });
    return { fingerprint, announced };
  } finally {
    stop();
  }
}

const BOTH = { fingerprint: true, announced: true };
const aTicket = (id: () => string) => (news: StatusPageNews) => news.topic === 'ticket' && news.ticketId === id();
const aTable = (table: string) => (news: StatusPageNews) => news.topic === 'status-page' && news.table === table;

describe('the status page fingerprint and announcements', () => {
  let incidentId = '';

  it('move when an incident is reported and when the desk posts a public update', async () => {
    expect(
      await moves(
        async () => {
          const { ticket } = await reportTicket(
            deps,
            manager,
            {
              kind: 'incident',
              title: 'VPN down',
              description: '',
              impact: 1,
              urgency: 1,
              scope: 'global',
              serviceId: vpnId,
            },
            { defaultChannel: 'api' },
          );
          incidentId = ticket.id;
        },
        aTicket(() => incidentId),
      ),
    ).toEqual(BOTH);
    expect(
      await moves(
        () => addComment(deps, manager, incidentId, { body: 'Investigating.', visibility: 'public' }),
        (news) => news.topic === 'ticket' && news.ticketId === incidentId && news.type === 'comment',
      ),
    ).toEqual(BOTH);
  });

  it('move when a manual status is set and when it is ended', async () => {
    const until = new Date(deps.clock.now().getTime() + 3_600_000);
    expect(
      await moves(
        () => setStatusOverride(deps, manager, vpnId, { status: 'partial_outage', until, reason: 'Verifying the fix' }),
        aTable('status_overrides'),
      ),
    ).toEqual(BOTH);
    expect(await moves(() => clearStatusOverride(deps, manager, vpnId), aTable('status_overrides'))).toEqual(BOTH);
  });

  it('move when a component is renamed or a new one is shown, and when the page is renamed', async () => {
    expect(await moves(() => updateServiceById(deps, vpnId, { name: 'Remote access' }), aTable('services'))).toEqual(BOTH);
    expect(await moves(() => createService(deps, { name: 'Mail', onStatusPage: true }), aTable('services'))).toEqual(BOTH);
    expect(await moves(() => setStatusPageSettings(deps, manager, { name: 'Example status' }), aTable('settings'))).toEqual(BOTH);
  });

  it('move when maintenance is planned and when it is cancelled', async () => {
    const startsAt = new Date(deps.clock.now().getTime() + 86_400_000);
    let windowId = '';
    expect(
      await moves(async () => {
        windowId = (
          await createMaintenance(deps, manager, {
            title: 'VPN upgrade',
            description: '',
            componentIds: [vpnId],
            startsAt,
            endsAt: new Date(startsAt.getTime() + 3_600_000),
          })
        ).id;
      }, aTable('maintenance_windows')),
    ).toEqual(BOTH);
    expect(await moves(() => cancelMaintenance(deps, manager, windowId), aTable('maintenance_windows'))).toEqual(BOTH);
  });
});
