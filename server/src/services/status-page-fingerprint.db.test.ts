import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { createService, updateServiceById } from './catalog.service.js';
import { createUser } from './directory.service.js';
import { cancelMaintenance, createMaintenance } from './maintenance.service.js';
import { clearStatusOverride, readStatusPageFingerprint, setStatusOverride, setStatusPageSettings } from './status-page.service.js';
import { addComment } from './ticket-conversation.service.js';
import { reportTicket } from './ticket-intake.service.js';

/**
 * The status page is recomputed only when this fingerprint differs, so every write the page
 * shows must change it — whichever process made it, since it is read from the database — and
 * nothing else may be needed: a missed change would leave the public page wrong.
 */
let database: Database;
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
});

afterAll(async () => {
  await database.close();
});

/** Runs a write and says whether the fingerprint moved; it must then stay put while nothing is written. */
async function moves(write: () => Promise<unknown>): Promise<boolean> {
  const before = await readStatusPageFingerprint(deps.db);
  expect(await readStatusPageFingerprint(deps.db)).toBe(before);
  await write();
  return (await readStatusPageFingerprint(deps.db)) !== before;
}

describe('the status page fingerprint', () => {
  let incidentId: string;

  it('moves when an incident is reported and when the desk posts a public update', async () => {
    expect(
      await moves(async () => {
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
      }),
    ).toBe(true);
    expect(await moves(() => addComment(deps, manager, incidentId, { body: 'Investigating.', visibility: 'public' }))).toBe(true);
  });

  it('moves when a manual status is set and when it is ended', async () => {
    const until = new Date(deps.clock.now().getTime() + 3_600_000);
    expect(
      await moves(() => setStatusOverride(deps, manager, vpnId, { status: 'partial_outage', until, reason: 'Verifying the fix' })),
    ).toBe(true);
    expect(await moves(() => clearStatusOverride(deps, manager, vpnId))).toBe(true);
  });

  it('moves when a component is renamed or a new one is shown, and when the page is renamed', async () => {
    expect(await moves(() => updateServiceById(deps, vpnId, { name: 'Remote access' }))).toBe(true);
    expect(await moves(() => createService(deps, { name: 'Mail', onStatusPage: true }))).toBe(true);
    expect(await moves(() => setStatusPageSettings(deps, manager, { name: 'Example status' }))).toBe(true);
  });

  it('moves when maintenance is planned and when it is cancelled', async () => {
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
      }),
    ).toBe(true);
    expect(await moves(() => cancelMaintenance(deps, manager, windowId))).toBe(true);
  });
});
