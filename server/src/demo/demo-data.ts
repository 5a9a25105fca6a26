import { TICKET_STATES, type TicketState } from '../../../core/vocabulary.js';
import { type Clock, FakeClock } from '../adapters/clock.js';
import type { ServiceDeps } from '../services/deps.js';
import { listTeamsWithMembers } from '../services/teams.service.js';
import { createCatalog, type DemoCatalog } from './demo-catalog.js';
import { planMajorIncident } from './demo-major-incident.js';
import { type Operations, planOperations } from './demo-operations.js';
import { DEMO_PASSWORD, emailOf, REQUESTERS, SITES } from './demo-people.js';
import { DAY, HOUR, MINUTE, Random } from './demo-random.js';
import { Agenda, type Story } from './demo-story.js';
import { DEMO_SPAN, planTickets } from './demo-tickets.js';

/** Fixed, so two loads into empty databases tell the same stories. */
const SEED = 20_261_123;

/**
 * Loads a lived-in service desk: people, teams, services, categories and a month of tickets,
 * all written through the same services the API uses, so every rule (routing, priority matrix,
 * state machine, timeline) applies to the demo as it would to real work. Returns a summary
 * for a newcomer: what was loaded and how to sign in.
 */
export async function loadDemoData(deps: ServiceDeps): Promise<string> {
  const began = performance.now();
  const existing = await listTeamsWithMembers(deps.db);
  if (existing.some((team) => team.name.toLowerCase() === 'service desk')) {
    throw new Error(
      'The demo data is already loaded: a team named "Service Desk" exists. Load the demo into an empty database ' +
        '(a new FIREBREAK_DATA_DIR, or a new PostgreSQL database in DATABASE_URL).',
    );
  }

  // Everything happens on our own clock, a month back, and stops just short of the real now.
  const now = deps.clock.now().getTime();
  const limit = now - MINUTE;
  const clock = new FakeClock(new Date(now - DEMO_SPAN - 3 * HOUR));
  // Setting up the directory takes an admin a while too: a few seconds between each record.
  const setupClock: Clock = {
    now: () => {
      clock.advance(20_000);
      return clock.now();
    },
  };
  const catalog = await createCatalog({ db: deps.db, clock: setupClock, passwordCost: deps.passwordCost });

  const random = new Random(SEED);
  const timing = new Random(SEED + 1);
  const agenda = new Agenda();
  const majorStories = planMajorIncident(catalog, timing, agenda, limit);
  const stories = [...majorStories, ...planTickets({ catalog, random, timing, agenda, limit })];
  // Planned last: what happens at the very end (SLAs switched on) comes after every ticket's story.
  const operations = planOperations(catalog, agenda, limit, SEED + 2);
  await agenda.play({ db: deps.db, clock }, limit);

  const seconds = (performance.now() - began) / 1000;
  return summarise(catalog, stories, majorStories[0], operations, { seconds, actions: agenda.size, from: now - 30 * DAY });
}

function summarise(
  catalog: DemoCatalog,
  stories: Story[],
  major: Story,
  operations: Operations,
  facts: { seconds: number; actions: number; from: number },
): string {
  const tickets = stories.map((s) => s.ref.ticket).filter((t) => t !== undefined);
  const byState = new Map<TicketState, number>(TICKET_STATES.map((s) => [s, 0]));
  for (const t of tickets) byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
  const incidents = tickets.filter((t) => t.kind === 'incident').length;
  const staff = Object.values(catalog.teams).reduce((n, team) => n + 1 + team.agents.length, 1);
  const categories = catalog.categories.size;
  const line = (role: string, name: string, email: string) => `    ${role.padEnd(9)} ${name.padEnd(18)} ${email}`;

  const lines = [
    `Loaded the Firebreak demo desk in ${facts.seconds.toFixed(1)} s: ${facts.actions} actions, each through the same services as the API.`,
    '',
    `Halden Rowe is a logistics group with sites in ${SITES.map((s) => s.name).join(', ')}.`,
    `  ${Object.keys(catalog.teams).length} teams, ${staff} staff, ${catalog.requesters.length} requesters,` +
      ` ${catalog.services.size} services and components, ${categories} categories`,
    `  ${tickets.length} tickets since ${new Date(facts.from).toISOString().slice(0, 10)}` +
      ` (${incidents} incidents, ${tickets.length - incidents} service requests):`,
    `  ${TICKET_STATES.map((s) => `${byState.get(s)} ${s.replace('_', ' ')}`).join(' · ')}`,
    `  Open now: ${operations.major?.number ?? 'a major incident'} — single sign-on failing for many for the last few hours` +
      ` (raised by monitoring, on-call paged, ${operations.followers} people following it).`,
    `  Earlier: ${major.ref.ticket?.number ?? 'a major incident'} — the morning inbound e-mail stopped for everyone.`,
    `  ${operations.policies} SLA policies with clocks running, ${operations.schedules} on-call schedules with escalation policies,` +
      ` an Alertmanager integration and a check with a month of history (${operations.check?.name ?? 'paused'}; paused, so nothing is probed).`,
    '',
    `Every demo account below signs in with the password: ${DEMO_PASSWORD}`,
    line('admin', catalog.admin.name, catalog.admin.email),
  ];
  for (const team of Object.values(catalog.teams)) {
    lines.push(`  ${team.team.name}`);
    lines.push(line('manager', team.manager.name, team.manager.email));
    for (const agent of team.agents) lines.push(line('agent', agent.name, agent.email));
  }
  lines.push('  Requesters (the self-service portal)');
  for (const requester of REQUESTERS.filter((r) => r.canSignIn)) lines.push(line('requester', requester.name, emailOf(requester.name)));
  lines.push(
    '',
    'Start the server with `npm start` and sign in as one of them. The other requesters have no password.',
    'The demo password is public: do not load the demo into a database that real people use.',
  );
  return lines.join('\n');
}
