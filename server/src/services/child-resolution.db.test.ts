import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { listOpenChildIds } from '../repositories/incident-links.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { resolveChildrenBatch } from './child-resolution-run.service.js';
import { declareMajorIncident } from './major-incidents.service.js';
import { linkChildTickets } from './ticket-links.service.js';
import { transitionTicket } from './ticket-work.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
let requester: { id: string; role: 'requester' };

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-06-01T09:00:00Z');
  deps = { db: database.db, clock };
  agent = await createTestPerson(deps, 'agent', { email: 'agent@children.test', name: 'Agent' });
  requester = await createTestPerson(deps, 'requester', { email: 'rita@children.test', name: 'Rita' });
});
afterAll(() => database.close());

const resolve = (id: string, notes: string) =>
  transitionTicket(deps, agent, id, { to: 'resolved', resolutionCode: 'solved_workaround', resolutionNotes: notes });

describe('children follow their incident', () => {
  it('resolves them in batches, each through the pipeline, and a child unlinked or closed before is left alone', async () => {
    const parent = await reportTestTicket(deps, agent, 'Storm: VPN down');
    const children: { id: string }[] = [];
    for (let i = 0; i < 7; i++) children.push(await reportTestTicket(deps, requester, `VPN broken ${i}`, {}, 'portal'));
    const withdrawn = await reportTestTicket(deps, requester, 'VPN (withdrawn)', {}, 'portal');
    // Linked from inside another transaction, as the storm proposal does.
    await deps.db.transaction(async (tx) => {
      await linkChildTickets(
        { db: tx, clock },
        agent,
        parent.id,
        [...children, withdrawn].map((c) => c.id),
      );
    });
    await transitionTicket(deps, requester, withdrawn.id, { to: 'cancelled', reason: 'Works again for me' });
    clock.advance(60_000);
    const resolved = await resolve(parent.id, 'Rebooted the concentrator');

    const first = await resolveChildrenBatch(
      deps,
      { parentId: parent.id, resolvedAt: resolved.resolvedAt!.toISOString(), afterId: null },
      3,
    );
    expect(first).toEqual({ resolved: 3, more: true });
    // The rest is scheduled as the next batch; the worker runs it (and its follow-ups) to the end.
    for (let i = 0; i < 5; i++) await runDueJobs(deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
    expect(await listOpenChildIds(deps.db, parent.id, null, 100)).toEqual([]);
    for (const child of children) {
      const row = await findTicketById(deps.db, child.id);
      expect(row).toMatchObject({
        state: 'resolved',
        resolutionCode: 'solved_workaround',
        resolutionNotes: 'Rebooted the concentrator',
        assigneeId: agent.id,
      });
    }
    expect((await findTicketById(deps.db, withdrawn.id))?.state).toBe('cancelled');
  });

  it('stops when the incident was reopened before the job ran', async () => {
    const parent = await reportTestTicket(deps, agent, 'Printers offline');
    const child = await reportTestTicket(deps, requester, 'Cannot print', {}, 'portal');
    await linkChildTickets(deps, agent, parent.id, [child.id]);
    const resolved = await resolve(parent.id, 'Restarted the spooler');
    await transitionTicket(deps, agent, parent.id, { to: 'in_progress', reason: 'Still failing on floor 3' });
    const result = await resolveChildrenBatch(deps, { parentId: parent.id, resolvedAt: resolved.resolvedAt!.toISOString(), afterId: null });
    expect(result).toEqual({ resolved: 0, more: false });
    expect((await findTicketById(deps.db, child.id))?.state).toBe('new');
  });

  it('lets the storm proposal declare a major incident as Firebreak itself (no actor)', async () => {
    const storm = await reportTestTicket(deps, requester, 'Mail bounces', {}, 'portal');
    const major = await declareMajorIncident(deps, null, storm.id, '12 reports on Mail in 5 minutes');
    expect(major).toMatchObject({ scope: 'global', updatedById: null });
    expect(major.majorSince).not.toBeNull();
  });
});
