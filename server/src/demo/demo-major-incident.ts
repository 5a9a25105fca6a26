import { createChange, decideChange, submitChange } from '../services/changes.service.js';
import { resolveChildrenBatch } from '../services/child-resolution-run.service.js';
import { recordFinalUpdate, recordPreventiveMeasure, scheduleReview } from '../services/incident-completion.service.js';
import { setIncidentOwnership } from '../services/incident-ownership.service.js';
import { setRootCause } from '../services/investigations.service.js';
import { declareMajorIncident } from '../services/major-incidents.service.js';
import { createProblem, setKnownError, updateProblem } from '../services/problems.service.js';
import { linkChildTickets } from '../services/ticket-links.service.js';
import type { DemoCatalog } from './demo-catalog.js';
import { firstNameOf } from './demo-people.js';
import { DAY, HOUR, intoWorkingHours, MINUTE, type Random } from './demo-random.js';
import { type Agenda, GAP, idOf, Story } from './demo-story.js';

/**
 * One morning last fortnight inbound e-mail stopped for the whole company: a P1 raised by
 * monitoring, declared a major incident (so global, owned by the Technical Manager — the
 * Applications manager), worked by Applications with Network, and a handful of people reporting
 * the same thing, which the desk links to it as children: they are told it is a known problem,
 * count as affected, and resolve with it. Every desk has had that morning.
 */
const DUPLICATE_REPORTS = [
  {
    title: 'Not receiving any e-mails since this morning',
    description: 'My inbox has had nothing new since about 9 o’clock. Sending seems to work.',
  },
  {
    title: 'Outlook: no new mail arriving',
    description: 'Customers say they e-mailed me an hour ago and nothing is here. Restarted Outlook twice.',
  },
  {
    title: 'Is e-mail down?',
    description: 'Nobody in our office is getting external e-mail. We are waiting for shipping documents from a customer.',
  },
  {
    title: 'E-mails from suppliers not arriving',
    description: 'Expected several invoices by e-mail this morning and the accounts payable mailbox is empty.',
  },
  {
    title: 'Customer says their e-mail bounced',
    description: 'A customer forwarded a delay notification saying their message to us is still being retried.',
  },
];

export function planMajorIncident(catalog: DemoCatalog, timing: Random, agenda: Agenda, limit: number): Story[] {
  const apps = catalog.teams.apps;
  const desk = catalog.teams.desk;
  const network = catalog.teams.network;
  const engineer = apps.agents[0];
  const networkEngineer = network.agents[0];
  // A weekday morning in London, twelve days or so before today.
  const start = intoWorkingHours(limit - 12 * DAY - 6 * HOUR, 0, timing);
  const dayStart = start - (start % DAY);
  const at = dayStart + 9 * HOUR + 4 * MINUTE < limit ? dayStart + 9 * HOUR + 4 * MINUTE : start;

  // Who owns incidents, configured before that morning: the desk's manager for local ones, the
  // Applications manager (Technical Manager) for global ones.
  agenda.add(at - 2 * DAY, async (deps) => {
    await setIncidentOwnership(deps, {
      local: { name: 'Customer Service Manager', holder: { kind: 'team', teamId: desk.team.id } },
      global: { name: 'Technical Manager', holder: { kind: 'team', teamId: apps.team.id } },
    });
  });

  const major = new Story()
    .report(engineer, {
      kind: 'incident',
      title: 'Inbound e-mail from outside the company delayed for all users',
      description:
        'Monitoring: the inbound mail gateway queue passed 2,000 messages and is growing; no external mail delivered to mailboxes since 08:55 UTC. Internal mail unaffected.',
      requesterId: engineer.id,
      channel: 'alert',
      serviceId: catalog.services.get('Mail Transport')?.id ?? null,
      categoryId: catalog.categories.get('Software')?.id ?? null,
      subcategoryId: catalog.categories.get('Software/Email & Calendar')?.id ?? null,
      impact: 1,
      urgency: 1,
      scope: 'local',
      teamId: apps.team.id,
    })
    .step([2, 5], 'staff', async (deps) => {
      major.ref.ticket = await declareMajorIncident(
        deps,
        apps.manager,
        idOf(major.ref),
        'External mail stopped for the whole company; reports are coming in from every office.',
      );
    })
    .update([2, 6], apps.manager, { teamId: apps.team.id, assigneeId: engineer.id })
    .move([1, 3], engineer, { to: 'in_progress' })
    .note(
      [5, 10],
      engineer,
      'Gateway queue at 3,400 and rising. Inbound connector rejects the TLS handshake from the filtering service: "certificate expired".',
    )
    .note(
      [4, 8],
      apps.manager,
      `Declared a major incident. ${firstNameOf(networkEngineer.name)} (Network) joining the bridge for the certificate and firewall side.`,
    )
    .say(
      [5, 10],
      apps.manager,
      'We are aware that e-mail from outside the company is not arriving. Messages are queued, not lost, and will be delivered once fixed. Next update in 30 minutes.',
    )
    .note(
      [15, 25],
      networkEngineer,
      'The certificate on the inbound connector expired at 08:55 UTC. The renewal reminder went to a leaver’s mailbox. Renewed certificate issued.',
    )
    .note(
      [10, 20],
      engineer,
      'New certificate installed on both gateway nodes; handshake succeeds. Queue draining at ~600 messages a minute.',
    )
    .step([5, 10], 'staff', async (deps) => {
      await setRootCause(
        deps,
        networkEngineer,
        idOf(major.ref),
        'The TLS certificate of the inbound mail connector expired at 08:55 UTC; its renewal reminder went to a leaver’s mailbox.',
      );
    })
    .move([20, 40], engineer, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes:
        'The TLS certificate of the inbound mail connector expired and the filtering service stopped delivering. Renewed and installed it on both nodes; the 5,100 queued messages are being delivered. No mail lost.',
    })
    // The follow-up of the resolution resolves the children in a job; the demo's clock plays it at once.
    .step([1, 2], 'anyone', async (deps) => {
      const resolvedAt = major.ref.ticket?.resolvedAt;
      if (resolvedAt) await resolveChildrenBatch(deps, { parentId: idOf(major.ref), resolvedAt: resolvedAt.toISOString(), afterId: null });
    })
    // Closing properly: the final update to everyone affected, the preventive measure, the review.
    .step([5, 10], 'staff', async (deps) => {
      await recordFinalUpdate(
        deps,
        apps.manager,
        idOf(major.ref),
        'Fixed: the expired certificate has been replaced and all queued e-mail has been delivered. No mail was lost. Thank you for your patience.',
      );
    })
    .step(GAP.halfDay, 'staff', async (deps) => {
      await recordPreventiveMeasure(
        deps,
        apps.manager,
        idOf(major.ref),
        'Certificate expiry monitoring for every public endpoint, with reminders to a team mailbox instead of a person.',
      );
      await scheduleReview(deps, apps.manager, idOf(major.ref), new Date(deps.clock.now().getTime() + 2 * DAY));
    })
    // What made it possible is still there: a problem, with the workaround the desk uses until the
    // renewals are automated, so the next mail incident shows it as a known error.
    .step([30, 60], 'staff', async (deps) => {
      const { problem } = await createProblem(deps, networkEngineer, {
        title: 'Certificate renewals depend on one person’s mailbox',
        description:
          'Renewal reminders for public certificates go to whoever requested the certificate; when they leave, nobody is told and the certificate expires.',
        serviceId: catalog.services.get('Mail Transport')?.id ?? null,
        categoryId: catalog.categories.get('Software')?.id ?? null,
        impact: 2,
        urgency: 3,
        teamId: network.team.id,
        assigneeId: networkEngineer.id,
        incidentIds: [idOf(major.ref)],
      });
      const withWorkaround = await updateProblem(deps, networkEngineer, problem.id, {
        rootCause: 'Certificate renewal is manual and its reminders are addressed to people, not to a team.',
        workaround:
          'If mail stops with "certificate expired" on the inbound connector, issue a new certificate from the internal CA and install it on both gateway nodes (runbook MAIL-07).',
        // What the portal shows someone reporting it: plain words, no runbook.
        publicWorkaround:
          'If e-mail from outside the company stops arriving, it is not lost: it waits and is delivered once the service desk has renewed a certificate, usually within the hour. Ask anyone with something urgent to call you meanwhile.',
      });
      await setKnownError(deps, networkEngineer, withWorkaround.id, true);
      // …and the change that will remove it: planned for an evening next week, approved by the
      // applications manager, so the change calendar has something scheduled.
      const inSixDays = deps.clock.now().getTime() + 6 * DAY;
      const start = inSixDays - (inSixDays % DAY) + 19 * HOUR;
      const { change } = await createChange(deps, networkEngineer, {
        title: 'Automate certificate renewal for the mail gateways',
        description:
          'Renew the gateways’ public certificates automatically from the internal CA, with reminders to the Network team mailbox.',
        serviceId: catalog.services.get('Mail Transport')?.id ?? null,
        impact: 2,
        teamId: network.team.id,
        assigneeId: networkEngineer.id,
        type: 'normal',
        risk: 'medium',
        plannedStart: new Date(start),
        plannedEnd: new Date(start + 2 * HOUR),
        implementationPlan: 'Install the ACME client on both gateway nodes; issue new certificates; switch the inbound connector to them.',
        testPlan: 'Send test mail from outside through each node; check the certificate chain and expiry date.',
        backoutPlan: 'Switch the inbound connector back to the current certificates (valid for another 11 months).',
        approverIds: [apps.manager.id],
        linkedTicketIds: [withWorkaround.id],
      });
      await submitChange(deps, networkEngineer, change.id);
      await decideChange(deps, apps.manager, change.id, {
        decision: 'approved',
        comment: 'Approved for the evening window; tell the desk the day before.',
      });
    })
    .move(GAP.day, apps.manager, {
      to: 'closed',
      reason: 'Confirmed stable for 24 hours; follow-up actions tracked in the post-incident review.',
    });
  major.schedule(agenda, at, { limit, random: timing, requesterOffset: 0, roundTheClock: true });

  const duplicates = DUPLICATE_REPORTS.map((text, index) => {
    const { user: requester } = catalog.requesters[(index * 7 + 3) % catalog.requesters.length];
    const agent = desk.agents[index % desk.agents.length];
    const majorNumber = () => major.ref.ticket?.number ?? 'the major incident';
    const story = new Story()
      .report(requester, {
        kind: 'incident',
        title: text.title,
        description: text.description,
        requesterId: requester.id,
        channel: index % 2 === 0 ? 'portal' : 'email',
        categoryId: catalog.categories.get('Software')?.id ?? null,
        subcategoryId: catalog.categories.get('Software/Email & Calendar')?.id ?? null,
        impact: 3,
        urgency: 2,
        scope: 'local',
      })
      .update([3, 10], agent, { teamId: desk.team.id, assigneeId: agent.id, serviceId: catalog.services.get('Mail Transport')?.id ?? null })
      // Linked to the major incident: the requester is told once it is a known problem, and the
      // report resolves with it (with its resolution note).
      .step([1, 3], 'staff', async (deps) => {
        await linkChildTickets(deps, agent, idOf(major.ref), [idOf(story.ref)]);
      })
      .say(GAP.day, agent, () => `Closing this with ${majorNumber()}: the fix has held for a day.`, 'internal')
      .move([1, 5], index % 3 === 0 ? agent : requester, { to: 'closed' });
    // The first reports arrive within minutes of the alert, the last ones an hour later.
    story.schedule(agenda, at + (6 + index * 11 + timing.int(0, 6)) * MINUTE, {
      limit,
      random: timing,
      requesterOffset: 0,
      roundTheClock: true,
    });
    return story;
  });
  return [major, ...duplicates];
}
