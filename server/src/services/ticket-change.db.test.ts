import { randomUUID } from 'node:crypto';
import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptPayload } from '../../../core/alerts/adapters.js';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { FakeClock } from '../adapters/clock.js';
import { createOutboundGuard } from '../adapters/outbound-guard.js';
import type { Database, Db } from '../db/client.js';
import { jobs, notifications, pages } from '../db/schema/index.js';
import { parseEmail } from '../intake/email/parse-email.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { latestPublicComments } from '../repositories/known-issues.repository.js';
import { findTicketById, viewOfTicketRow } from '../repositories/tickets.repository.js';
import { createAlertGroupCommit } from './alert-group-commit.js';
import { createRule, removeRule } from './automation-rules.service.js';
import { createService } from './catalog.service.js';
import { createUser } from './directory.service.js';
import { promoteDisturbance } from './disturbances.service.js';
import { receiveEmail } from './email-intake.service.js';
import { escalateTicket } from './escalation.service.js';
import { createEscalationPolicy } from './escalation-policies.service.js';
import { assignFairly } from './fair-assignment.service.js';
import { confirmHeldPage } from './held-page-confirmation.service.js';
import { createIntegration } from './integrations.service.js';
import { declareMajorIncident } from './major-incidents.service.js';
import { acknowledgePage } from './page-acknowledgement.service.js';
import { pageTicket } from './paging.service.js';
import { createSlaPolicy } from './sla.service.js';
import { sendStakeholderUpdate } from './stakeholder-updates.service.js';
import { createTeam } from './teams.service.js';
import { addComment } from './ticket-conversation.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { linkChildTickets } from './ticket-links.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';
import { createWebhook } from './webhooks.service.js';

// The proof that every writer goes through the one pipeline: the same change, made by any path,
// has the same follow-ups — webhook rows, SLA timers, auto-close, ended pages.

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
type Person = { id: string; role: 'agent' | 'requester' };
let agent: Person;
let colleague: Person;
let requester: Person;
let teamId: string;
let otherTeamId: string;
let policyId: string;
const MINUTE = 60_000;
const DAY = 86_400_000;
const MAIL_SETTINGS = {
  messageIdDomain: 'firebreak.test',
  ownAddresses: ['support@firebreak.test'],
  attachments: { maxBytes: 1_000_000, maxCount: 5 },
};

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-05-04T08:00:00Z');
  deps = { db: database.db, clock };
  const person = async (name: string, role: Person['role']): Promise<Person> => ({
    id: (await createUser(deps, { email: `${name}@pipeline.test`, name, role, timeZone: 'UTC' })).id,
    role,
  });
  agent = await person('alex', 'agent');
  colleague = await person('dana', 'agent');
  requester = await person('rita', 'requester');
  teamId = (await createTeam(deps, { name: 'Pipeline desk', memberIds: [agent.id, colleague.id] })).id;
  otherTeamId = (await createTeam(deps, { name: 'Pipeline tier 2', memberIds: [colleague.id] })).id;
  policyId = (
    await createEscalationPolicy(deps, {
      name: 'Pipeline on-call',
      levels: [{ targets: [{ type: 'user', id: agent.id }], timeoutMinutes: 30 }],
      repeat: 0,
      teamIds: [],
    })
  ).id;
  await createSlaPolicy(deps, { name: 'Everything', resolutionMinutes: 8 * 60 });
  // A receiver subscribed to state changes only: what an automation hears of a ticket's lifecycle.
  await createWebhook(
    { ...deps, outbound: createOutboundGuard({ allow: ['127.0.0.1'] }) },
    { name: 'state automation', url: 'http://127.0.0.1:9/hook', eventTypes: ['state_changed'], format: 'json' },
  );
});
afterAll(() => database.close());

const sweep = () => runDueJobs(deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);

async function report(title: string, by: Person = agent, extra: { kind?: 'incident' | 'disturbance'; impact?: 1 | 2 | 3 } = {}) {
  const level = extra.impact ?? 3;
  const { ticket } = await reportTicket(
    deps,
    by,
    { kind: extra.kind ?? 'incident', title, description: '', impact: level, urgency: level, scope: 'local' },
    { defaultChannel: by.role === 'requester' ? 'portal' : 'api' },
  );
  return ticket;
}

const resolve = (id: string, by: Person = agent) =>
  transitionTicket(deps, by, id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Fixed.' });

/** What webhooks were told of a ticket, in order: the event type of each webhook row. */
async function webhookRows(ticketId: string): Promise<string[]> {
  const rows = await database.db
    .select({ reason: notifications.reason })
    .from(notifications)
    .where(and(eq(notifications.ticketId, ticketId), eq(notifications.channel, 'webhook')))
    .orderBy(asc(notifications.id));
  return rows.map((r) => r.reason);
}

/** The ticket's SLA timers, named without the ticket (so two tickets' timers compare). */
async function slaTimers(ticketId: string): Promise<string[]> {
  const rows = await database.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(like(jobs.id, `sla.check:${ticketId}:%`));
  return rows.map((r) => r.id.slice(`sla.check:${ticketId}:`.length)).sort();
}

const autoCloseTimers = async (ticketId: string) =>
  (
    await database.db
      .select()
      .from(jobs)
      .where(like(jobs.id, `ticket.auto_close:${ticketId}:%`))
  ).length;

const pageStates = async (ticketId: string) =>
  (await database.db.select({ state: pages.state }).from(pages).where(eq(pages.ticketId, ticketId))).map((p) => p.state);

function mail(from: string, subject: string, body: string) {
  const raw = Buffer.from(
    `From: ${from}\r\nTo: support@firebreak.test\r\nMessage-ID: <${randomUUID()}@client.test>\r\nSubject: ${subject}\r\n\r\n${body}\r\n`,
  );
  return async () =>
    receiveEmail(deps, MAIL_SETTINGS, {
      raw,
      parsed: await parseEmail(raw),
      envelope: { mailFrom: from, rcptTo: ['support@firebreak.test'] },
    });
}

function alert(fingerprint: string, status: 'firing' | 'resolved' = 'firing') {
  const adapted = adaptPayload('generic', { summary: `Alert ${fingerprint}`, fingerprint, status }, clock.now());
  if (!adapted.ok) throw new Error('the generic payload did not adapt');
  return adapted.alerts;
}

describe('closing: the automatic path and the manual one have the same follow-ups', () => {
  it('a webhook on state changes gets the same rows for an auto-closed ticket as for one its requester closed', async () => {
    const manual = await report('Toner streaks', requester);
    const automatic = await report('Toner smudges', requester);
    await resolve(manual.id);
    await resolve(automatic.id);
    await transitionTicket(deps, requester, manual.id, { to: 'closed' });
    clock.advance(7 * DAY + MINUTE);
    await sweep();

    expect((await findTicketById(database.db, automatic.id))?.state).toBe('closed');
    expect(await webhookRows(automatic.id)).toEqual(['state_changed', 'state_changed']);
    expect(await webhookRows(automatic.id)).toEqual(await webhookRows(manual.id));
  });
});

describe('opening: SLA timers exist after every path that opens a ticket', () => {
  it('the portal, the API, e-mail, monitoring and promotion each leave SLA timers on the ticket they opened', async () => {
    const portal = await report('Portal opened', requester);
    const api = await report('API opened', agent);
    const byMail = await mail('newcomer@elsewhere.test', 'The wiki is down', 'Cannot open the wiki.')();
    expect(byMail.outcome).toBe('ticket_created');

    const { integration } = await createIntegration(deps, { name: 'opening', source: 'generic', rules: [], resolveDelayMinutes: 5 });
    const commits = createAlertGroupCommit(deps, { workers: 1, maxAlerts: 500 });
    const [fired] = await commits.submit(integration, alert('opening-1'));
    await commits.drain();

    const disturbance = await report('Odd latency', agent, { kind: 'disturbance' });
    const { incident } = await promoteDisturbance(deps, agent, disturbance.id, { reason: 'Users notice it now' });

    for (const ticketId of [portal.id, api.id, byMail.ticketId as string, fired.ticketId as string, incident.id]) {
      expect(await slaTimers(ticketId), ticketId).not.toEqual([]);
    }
  });

  it('reopening by the portal and by an e-mail reply schedule the same timers and tell webhooks the same', async () => {
    const byPortal = await report('Reopen me in the portal', requester);
    const byMail = await report('Reopen me by mail', requester);
    await resolve(byPortal.id);
    await resolve(byMail.id);
    clock.advance(MINUTE);
    await transitionTicket(deps, requester, byPortal.id, { to: 'in_progress', reason: 'Still broken' });
    const replied = await mail('rita@pipeline.test', `Re: [${byMail.number}] Reopen me by mail`, 'Still broken.')();
    expect(replied.reopened).toBe(true);

    expect(await slaTimers(byMail.id)).toEqual(await slaTimers(byPortal.id));
    expect(await webhookRows(byMail.id)).toEqual(await webhookRows(byPortal.id));
  });
});

describe('resolving: pages end whichever path resolved the ticket', () => {
  const paged = async (ticketId: string) => {
    await pageTicket(deps, agent, ticketId, { escalationPolicyId: policyId, message: 'Look at this' });
    expect(await pageStates(ticketId)).toEqual(['triggered']);
  };

  it('an agent resolving, monitoring resolving and a promotion resolving the disturbance each end its pages', async () => {
    const manual = await report('Resolved by hand');
    await paged(manual.id);
    await resolve(manual.id);

    const { integration } = await createIntegration(deps, { name: 'resolving', source: 'generic', rules: [], resolveDelayMinutes: 5 });
    const commits = createAlertGroupCommit(deps, { workers: 1, maxAlerts: 500 });
    const [fired] = await commits.submit(integration, alert('resolving-1'));
    const monitored = fired.ticketId as string;
    await paged(monitored);
    await commits.submit(integration, alert('resolving-1', 'resolved'));
    await commits.drain();
    clock.advance(5 * MINUTE + 1000);
    await sweep();
    expect((await findTicketById(database.db, monitored))?.state).toBe('resolved');

    const disturbance = await report('Paged disturbance', agent, { kind: 'disturbance' });
    await paged(disturbance.id);
    await promoteDisturbance(deps, agent, disturbance.id, { reason: 'It is an outage' });

    for (const ticketId of [manual.id, monitored, disturbance.id]) {
      expect(await pageStates(ticketId), ticketId).toEqual(['resolved']);
      expect(await autoCloseTimers(ticketId), ticketId).toBe(1);
    }
  });
});

describe('children follow their incident whichever path resolved it', () => {
  it('an agent resolving and monitoring resolving each resolve the open children, with the incident’s note', async () => {
    const manual = await report('Incident resolved by hand');
    const { integration } = await createIntegration(deps, { name: 'children', source: 'generic', rules: [], resolveDelayMinutes: 5 });
    const commits = createAlertGroupCommit(deps, { workers: 1, maxAlerts: 500 });
    const [fired] = await commits.submit(integration, alert('children-1'));
    const monitored = fired.ticketId as string;
    const children = new Map<string, string>();
    for (const parent of [manual.id, monitored]) {
      const child = await report(`A report of ${parent}`, requester);
      await linkChildTickets(deps, agent, parent, [child.id]);
      children.set(parent, child.id);
    }
    await resolve(manual.id);
    await commits.submit(integration, alert('children-1', 'resolved'));
    await commits.drain();
    clock.advance(5 * MINUTE + 1000);
    await sweep();
    await sweep(); // the children's job, scheduled by the monitoring resolution's follow-up
    for (const [parent, child] of children) {
      const [p, c] = [await findTicketById(database.db, parent), await findTicketById(database.db, child)];
      expect(p?.state, parent).toBe('resolved');
      expect(c, child).toMatchObject({ state: 'resolved', resolutionCode: p?.resolutionCode, resolutionNotes: p?.resolutionNotes });
      // The child's resolution went through the pipeline: webhooks heard it, auto-close is scheduled.
      expect(await webhookRows(child)).toContain('state_changed');
      expect(await autoCloseTimers(child)).toBe(1);
    }
  });
});

describe('every other writer goes through the pipeline too', () => {
  it('assigning by acknowledging a page tells webhooks what assigning by hand does', async () => {
    const byHand = await report('Assigned by hand');
    const byAck = await report('Assigned by acknowledging');
    await updateTicket(deps, agent, byHand.id, { assigneeId: agent.id });
    const page = await pageTicket(deps, agent, byAck.id, { escalationPolicyId: policyId, message: 'Take it' });
    await acknowledgePage(deps, agent, page.page.id);

    expect((await findTicketById(database.db, byAck.id))?.assigneeId).toBe(agent.id);
    expect(await webhookRows(byAck.id)).toEqual(await webhookRows(byHand.id));
    expect(await webhookRows(byHand.id)).toEqual(['state_changed']);
  });

  it('an automation rule assigning tells webhooks what assigning by hand does, and the report answers with the ticket as the rule left it', async () => {
    const ada = {
      id: (await createUser(deps, { email: 'ada@pipeline.test', name: 'ada', role: 'admin', timeZone: 'UTC' })).id,
      role: 'admin' as const,
    };
    const { rule } = await createRule(deps, ada, {
      name: 'Pipeline rule',
      enabled: true,
      stopAfterMatch: false,
      trigger: { on: 'created' },
      conditions: [{ op: 'contains', text: 'by a rule' }],
      actions: [{ type: 'assign', teamId, assigneeId: agent.id }],
    });
    const byHand = await report('Assigned by hand, not by automation');
    await updateTicket(deps, agent, byHand.id, { teamId, assigneeId: agent.id });
    const byRule = await report('Assigned by a rule');
    // The reporter's answer is the row the rule wrote (version 2), not the one the INSERT returned.
    expect(byRule).toMatchObject({ teamId, assigneeId: agent.id, state: 'assigned', version: 2, updatedById: null });
    expect(await webhookRows(byRule.id)).toEqual(await webhookRows(byHand.id));
    expect(await webhookRows(byRule.id)).toEqual(['state_changed']);
    await removeRule(deps, ada, rule.id);
  });

  it("a requester's reply lifting a hold moves the SLA clock like the agent's resume", async () => {
    const byReply = await report('Waiting for the requester', requester);
    const byResume = await report('Waiting, resumed by the agent', requester);
    for (const t of [byReply, byResume]) {
      await updateTicket(deps, agent, t.id, { teamId, assigneeId: agent.id });
      await transitionTicket(deps, agent, t.id, { to: 'in_progress' });
      await transitionTicket(deps, agent, t.id, { to: 'on_hold', onHoldReason: 'awaiting_requester' });
    }
    clock.advance(30 * MINUTE);
    await addComment(deps, requester, byReply.id, { body: 'Here is the answer', visibility: 'public' });
    await transitionTicket(deps, agent, byResume.id, { to: 'in_progress' });

    expect(await slaTimers(byReply.id)).toEqual(await slaTimers(byResume.id));
    expect(await webhookRows(byReply.id)).toEqual(await webhookRows(byResume.id));
  });

  it('field changes, comments, work notes and escalations write a new version and notify as before', async () => {
    const ticket = await report('Many writers');
    const changed = await updateTicket(deps, agent, ticket.id, { title: 'Many writers, renamed' });
    await addComment(deps, agent, ticket.id, { body: 'We are on it', visibility: 'public' });
    await addComment(deps, agent, ticket.id, { body: 'Looks like DNS', visibility: 'internal' });
    const escalated = await escalateTicket(deps, agent, ticket.id, { kind: 'functional', toTeamId: otherTeamId, reason: 'Needs tier 2' });

    expect(changed.version).toBe(ticket.version + 1);
    expect(escalated.version).toBe(ticket.version + 4);
    expect(escalated).toMatchObject({ teamId: otherTeamId, escalationLevel: 1, updatedById: agent.id });
    // State changes only: the receiver asked for nothing else.
    expect(await webhookRows(ticket.id)).toEqual([]);
  });
});

describe('stakeholder updates go through the pipeline too', () => {
  it('a public update from the composer moves the update cadence like a public reply by the desk, and is the desk’s public words like it', async () => {
    const byReply = await report('Cadence moved by a reply', agent, { impact: 1 });
    const byComposer = await report('Cadence moved by the composer', agent, { impact: 1 });
    for (const t of [byReply, byComposer]) await declareMajorIncident(deps, agent, t.id, 'Everyone is affected');
    clock.advance(10 * MINUTE);
    await addComment(deps, agent, byReply.id, { body: 'We are on it', visibility: 'public' });
    await sendStakeholderUpdate(deps, agent, byComposer.id, { stage: 'investigating', text: 'We are on it', audienceIds: ['public'] });

    const reminders = async (ticketId: string) =>
      (await database.db.select({ runAt: jobs.runAt, payload: jobs.payload }).from(jobs).where(eq(jobs.kind, 'incident_update.reminder')))
        .filter((j) => j.payload.ticketId === ticketId)
        .map((j) => j.runAt.toISOString())
        .sort();
    expect(await reminders(byComposer.id)).toEqual(await reminders(byReply.id));
    expect((await reminders(byReply.id)).at(-1)).toBe(new Date(clock.now().getTime() + 30 * MINUTE).toISOString());
    // Both are the desk's public words, which the status page and the portal show.
    const shown = await latestPublicComments(database.db, [byReply.id, byComposer.id]);
    expect([shown.get(byReply.id)?.body, shown.get(byComposer.id)?.body]).toEqual(['We are on it', 'We are on it']);
  });
});

describe('held pages and promotions go through the pipeline too', () => {
  it("releasing a requester's held P1 — by the timer or by a person's confirmation — is a new version that pages on-call", async () => {
    const mailTeam = (await createTeam(deps, { name: 'Pipeline mail', memberIds: [agent.id] })).id;
    const serviceId = (await createService(deps, { name: 'Pipeline mail', ownerTeamId: mailTeam })).id;
    await createEscalationPolicy(deps, {
      name: 'Pipeline mail on-call',
      levels: [{ targets: [{ type: 'user', id: colleague.id }], timeoutMinutes: 30 }],
      repeat: 0,
      teamIds: [mailTeam],
    });
    const p1 = async (title: string) =>
      (
        await reportTicket(
          deps,
          requester,
          { kind: 'incident', title, description: '', impact: 1, urgency: 1, scope: 'local', serviceId },
          { defaultChannel: 'portal' },
        )
      ).ticket;
    const timed = await p1('Held, then paged by the timer');
    const confirmed = await p1('Held, then confirmed');
    expect(timed.pageHeldSince).not.toBeNull();
    expect(await pageStates(timed.id)).toEqual([]);

    await confirmHeldPage(deps, agent, confirmed.id);
    clock.advance(15 * MINUTE + 1000); // the default wait
    await sweep();

    for (const ticket of [timed, confirmed]) {
      const after = await findTicketById(database.db, ticket.id);
      expect(after, ticket.title).toMatchObject({ pageHeldSince: null, version: ticket.version + 1 });
      expect(await pageStates(ticket.id), ticket.title).toEqual(['triggered']);
    }
    expect((await findTicketById(database.db, timed.id))?.updatedById).toBeNull();
    const [page] = await database.db.select({ message: pages.message }).from(pages).where(eq(pages.ticketId, timed.id));
    expect(page.message).toMatch(/not confirmed in 15 minutes/);
  });

  it('a promotion tells webhooks of both `promoted` notes, and the people of the disturbance where it went', async () => {
    await createWebhook(
      { ...deps, outbound: createOutboundGuard({ allow: ['127.0.0.1'] }) },
      { name: 'promotions', url: 'http://127.0.0.1:9/promotions', eventTypes: ['promoted'], format: 'json' },
    );
    const disturbance = await report('Slow logins', colleague, { kind: 'disturbance' });
    const { incident } = await promoteDisturbance(deps, agent, disturbance.id, { reason: 'Everyone is affected' });

    expect(await webhookRows(incident.id)).toEqual(['promoted']);
    expect((await webhookRows(disturbance.id)).sort()).toEqual(['promoted', 'state_changed']);
    const told = await database.db
      .select({ reason: notifications.reason, channel: notifications.channel })
      .from(notifications)
      .where(and(eq(notifications.ticketId, disturbance.id), eq(notifications.userId, colleague.id)));
    expect(told.map((n) => n.reason)).toContain('moved_to_incident');
    expect(told.map((n) => n.reason)).not.toContain('resolved');
  });
});

describe('presenting a change', () => {
  it("answers the written ticket's view from the statement that wrote it, with no further query", async () => {
    const noDatabase = new Proxy(
      {},
      {
        get() {
          throw new Error('the view of a written ticket must not query');
        },
      },
    ) as Db;
    const created = await report('Names in the same statement', requester);
    expect(await viewOfTicketRow(noDatabase, created)).toMatchObject({ requesterName: 'rita', assigneeName: null, teamName: null });
    const assigned = await updateTicket(deps, agent, created.id, { teamId, assigneeId: agent.id });
    expect(await viewOfTicketRow(noDatabase, assigned)).toMatchObject({
      ticket: { id: created.id, version: created.version + 1 },
      requesterName: 'rita',
      assigneeName: 'alex',
      teamName: 'Pipeline desk',
    });
    // A row read some other way gets its names in one query.
    const read = (await findTicketById(database.db, created.id))!;
    expect(await viewOfTicketRow(database.db, read)).toMatchObject({ assigneeName: 'alex', teamName: 'Pipeline desk' });
  });
});

describe('fair assignment goes through the pipeline too', () => {
  it('a fair assignment, by a person or by Firebreak, tells webhooks and the assignee what a manual one does', async () => {
    const byHand = await report('Assigned by hand');
    const byPerson = await report('Assigned fairly by a person');
    const byFirebreak = await report('Assigned fairly by automation');
    for (const t of [byHand, byPerson, byFirebreak]) await updateTicket(deps, agent, t.id, { teamId: otherTeamId });
    await updateTicket(deps, agent, byHand.id, { assigneeId: colleague.id });
    // Pipeline tier 2 has one member: whoever asks, the colleague takes it.
    expect((await assignFairly(deps, agent, byPerson.id)).assigneeId).toBe(colleague.id);
    expect((await assignFairly(deps, null, byFirebreak.id)).assigneeId).toBe(colleague.id);
    expect(await webhookRows(byPerson.id)).toEqual(await webhookRows(byHand.id));
    expect(await webhookRows(byFirebreak.id)).toEqual(await webhookRows(byHand.id));
    expect(await webhookRows(byHand.id)).toContain('state_changed');
    const told = async (ticketId: string) =>
      (
        await database.db
          .select({ reason: notifications.reason })
          .from(notifications)
          .where(and(eq(notifications.ticketId, ticketId), eq(notifications.userId, colleague.id)))
      ).map((r) => r.reason);
    expect((await told(byHand.id)).length).toBeGreaterThan(0);
    expect(await told(byPerson.id)).toEqual(await told(byHand.id));
    expect(await told(byFirebreak.id)).toEqual(await told(byHand.id));
  });
});
