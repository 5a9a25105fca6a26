import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { createService } from './catalog.service.js';
import { listMyNotifications } from './in-app-notifications.service.js';
import { declareStormProposal, dismissStormProposal, listStormProposals, setStormPolicy } from './storm-proposals.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let agent: { id: string; role: 'agent' };
let manager: { id: string; role: 'manager' };
const MINUTE = 60_000;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-06-01T09:02:00Z');
  deps = { db: database.db, clock };
  await createTestPerson(deps, 'admin', { email: 'admin@storm.test', name: 'Ada Admin' });
  agent = await createTestPerson(deps, 'agent', { email: 'agent@storm.test', name: 'Agent' });
  manager = await createTestPerson(deps, 'manager', { email: 'manager@storm.test', name: 'Mona Manager' });
});
afterAll(() => database.close());

/** The detector runs when its debounce bucket ends: move past it and run what is due. */
async function detect() {
  clock.advance(1_000);
  await runDueJobs(deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
}

const report = (title: string, serviceId: string | null, channel: 'portal' | 'alert' = 'portal') =>
  reportTestTicket(deps, agent, title, { serviceId }, channel);

async function openProposals() {
  return (await listStormProposals(deps, { status: 'open', limit: 50 })).items;
}

/** A small graph per test, so that storms of one test never count toward another's. */
async function graph(prefix: string) {
  const network = await createService(deps, { name: `${prefix} Network` });
  const vpn = await createService(deps, { name: `${prefix} VPN`, dependsOnIds: [network.id] });
  const concentrator = await createService(deps, { name: `${prefix} VPN concentrator`, parentId: vpn.id });
  const remote = await createService(deps, { name: `${prefix} Remote desktop`, dependsOnIds: [vpn.id] });
  const email = await createService(deps, { name: `${prefix} Email`, dependsOnIds: [network.id] });
  return { network, vpn, concentrator, remote, email };
}

describe('storm detection', () => {
  it('proposes a major incident when reports and alerts on a service and what depends on it reach the threshold, live and in managers’ bells', async () => {
    const g = await graph('A');
    await report('VPN is down', g.vpn.id);
    await report('Cannot connect to the VPN', g.vpn.id);
    await report('Remote desktop will not connect', g.remote.id);
    await report('Unrelated: mailbox full', g.email.id);
    await detect();
    expect(await openProposals()).toEqual([]);

    await report('VPN broken', g.vpn.id);
    await report('VPN concentrator CPU at 100%', g.concentrator.id, 'alert');
    await detect();
    const [proposal] = await openProposals();
    // The alert on the component names the storm: its scope holds VPN and what depends on VPN.
    expect(proposal).toMatchObject({ serviceName: 'A VPN concentrator', reportCount: 4, alertCount: 1, widerScope: true, status: 'open' });
    expect(proposal.ticketIds).toHaveLength(5);
    const bell = await listMyNotifications(deps.db, manager, { limit: 10 });
    expect(bell.items[0]).toMatchObject({ reason: 'storm_proposed', payload: { proposalId: proposal.id } });
    expect(bell.items[0].subject).toBe(
      '4 reports and 1 alert on A VPN concentrator (and services that depend on it) in 1 minute — declare a major incident?',
    );

    // More reports refresh the open proposal; no second one is raised for the same cluster.
    await report('vpn down again?', g.vpn.id);
    await detect();
    const open = (await openProposals()).filter((p) => p.clusterKey === proposal.clusterKey);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ id: proposal.id, reportCount: 5, alertCount: 1 });

    await dismissStormProposal(deps, manager, proposal.id, { reason: 'planned maintenance' });
  });

  it('counts only inside the sliding window: a report exactly one window old has left it', async () => {
    const g = await graph('B');
    for (const title of ['VPN down', 'VPN down here too', 'no VPN']) await report(title, g.vpn.id);
    clock.advance(10 * MINUTE - 1_000);
    await report('VPN still down', g.vpn.id);
    await report('VPN down for me', g.vpn.id);
    // The first three are exactly ten minutes old when the detector runs: out.
    await detect();
    expect((await openProposals()).filter((p) => p.serviceId === g.vpn.id)).toEqual([]);
  });

  it('does not raise a dismissed cluster again from the same reports, but does for a new storm after it', async () => {
    const g = await graph('C');
    for (let i = 0; i < 5; i++) await report(`VPN down #${i}`, g.vpn.id);
    await detect();
    const [first] = (await openProposals()).filter((p) => p.serviceId === g.vpn.id);
    const dismissed = await dismissStormProposal(deps, agent, first.id, { reason: 'A test of the VPN failover, announced' });
    expect(dismissed).toMatchObject({ status: 'dismissed', dismissReason: 'A test of the VPN failover, announced', decidedById: agent.id });
    await expect(dismissStormProposal(deps, agent, first.id, { reason: 'again' })).rejects.toMatchObject({ code: 'conflict' });
    clock.advance(1_000);

    await report('VPN down once more', g.vpn.id);
    await detect();
    expect((await openProposals()).filter((p) => p.serviceId === g.vpn.id)).toEqual([]);
    for (let i = 0; i < 4; i++) await report(`VPN down, second wave #${i}`, g.vpn.id);
    await detect();
    const [second] = (await openProposals()).filter((p) => p.serviceId === g.vpn.id);
    expect(second.id).not.toBe(first.id);
    expect(second.reportCount).toBe(5);
  });

  it('declares through the one declare function: a major incident, the reports its children, the proposal declared, a second declare refused', async () => {
    const g = await graph('D');
    for (let i = 0; i < 5; i++) await report(`Email not arriving #${i}`, g.email.id);
    await detect();
    const [proposal] = (await openProposals()).filter((p) => p.serviceId === g.email.id);
    await expect(declareStormProposal(deps, agent, proposal.id, proposal.version + 1)).rejects.toMatchObject({ code: 'stale_version' });
    const { proposal: declared, incidentId } = await declareStormProposal(deps, agent, proposal.id, proposal.version);
    expect(declared).toMatchObject({ status: 'declared', decidedById: agent.id, incidentId });
    expect(declared.incidentNumber).toMatch(/^INC/);
    const incident = await findTicketById(deps.db, incidentId);
    expect(incident).toMatchObject({ kind: 'incident', scope: 'global', serviceId: g.email.id, priority: 1 });
    expect(incident?.majorSince).toEqual(clock.now());
    // The storm's reports are now its children: they follow its resolution.
    for (const id of proposal.ticketIds) expect((await findTicketById(deps.db, id))?.parentId).toBe(incidentId);
    await expect(declareStormProposal(deps, agent, proposal.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('declares by itself on a service whose policy says so', async () => {
    const g = await graph('E');
    await setStormPolicy(deps, g.remote.id, true);
    for (let i = 0; i < 5; i++) await report(`Remote desktop frozen #${i}`, g.remote.id);
    await detect();
    const [proposal] = (await listStormProposals(deps, { limit: 50 })).items.filter((p) => p.serviceId === g.remote.id);
    expect(proposal).toMatchObject({ status: 'declared', decidedById: null });
    const incident = await findTicketById(deps.db, proposal.incidentId as string);
    expect(incident?.description).toMatch(/^Declared by E Remote desktop's policy/);
    expect(incident?.majorSince).not.toBeNull();
    for (const id of proposal.ticketIds) expect((await findTicketById(deps.db, id))?.parentId).toBe(incident?.id);
  });

  it('groups reports on no service by their words', async () => {
    const titles = ['Payroll down', 'Payroll system not loading', 'cannot open payroll', 'payroll page is blank', 'payroll very slow'];
    await report('Printer jammed on floor 2', null);
    for (const title of titles) {
      await report(title, null);
      clock.advance(100);
    }
    await detect();
    const [proposal] = (await openProposals()).filter((p) => p.serviceId === null);
    expect(proposal).toMatchObject({ reportCount: 5, alertCount: 0, sampleTitle: 'Payroll down' });
  });
});
