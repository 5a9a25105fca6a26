import { adaptPayload } from '../../../core/alerts/adapters.js';
import type { ProbeOutcome } from '../../../core/alerts/check-verdict.js';
import { RoutingRule } from '../../../core/alerts/routing.js';
import { alwaysOpenCalendar, weekdayCalendar } from '../../../core/business-calendar.js';
import type { Actor } from '../../../core/permissions.js';
import type { TicketKind } from '../../../core/vocabulary.js';
import { createOutboundGuard } from '../adapters/outbound-guard.js';
import type { CheckRow } from '../repositories/checks.repository.js';
import type { IntegrationRow } from '../repositories/integrations.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import { ingestWithin } from '../services/alert-intake.service.js';
import { type CheckHistory, checkHistory } from '../services/check-history.service.js';
import { changeCheck, createCheck } from '../services/checks.service.js';
import type { ServiceDeps } from '../services/deps.js';
import { createEscalationPolicy } from '../services/escalation-policies.service.js';
import { followTicket } from '../services/followers.service.js';
import { createIntegration } from '../services/integrations.service.js';
import { declareMajorIncident } from '../services/major-incidents.service.js';
import { addOverride, createSchedule } from '../services/on-call.service.js';
import { acknowledgePage } from '../services/page-acknowledgement.service.js';
import { listTicketPages } from '../services/page-views.service.js';
import { createCalendar, createSlaPolicy } from '../services/sla.service.js';
import { addComment } from '../services/ticket-conversation.service.js';
import { getTicketView } from '../services/ticket-query.service.js';
import { transitionTicket, updateTicket } from '../services/ticket-work.service.js';
import type { DemoCatalog } from './demo-catalog.js';
import { DAY, HOUR, MINUTE, Random } from './demo-random.js';
import type { Agenda } from './demo-story.js';

/**
 * The desk in mid-flight: what a month of tickets alone does not show. Business calendars and
 * SLA policies (switched on at the end, so every open ticket's clocks are recomputed from its
 * timeline — some breached, some close), on-call schedules with a rota and a cover, escalation
 * policies, an Alertmanager integration whose alerts repeat (deduplicated), two of them grouped
 * into today's major incident on single sign-on and one a disturbance, and a built-in
 * check with a month of probe history whose latency has just drifted.
 *
 * All of it goes through the services, on the demo's clock. Nothing here ever reaches the
 * network: the check's history is a script of probe outcomes, and the check is left paused with
 * a `.example` target (a reserved name that never resolves), so a started server does not probe
 * it; resume it after pointing it at something real.
 */
export interface Operations {
  major?: TicketRow;
  disturbance?: TicketRow;
  check?: CheckRow;
  followers: number;
  policies: number;
  schedules: number;
}

const UK_HOLIDAYS = [
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
];

/** How often the demo check ran for its month of history. */
const CHECK_INTERVAL_S = 3600;
/** The drift: the last hours the check's latency climbs well above its month-long normal. */
const DRIFT_HOURS = 5;

const INCIDENT: TicketKind = 'incident';
const REQUEST: TicketKind = 'service_request';

/** Times in the texts follow the moment the demo is loaded, as a London clock shows it. */
const londonTime = (at: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(new Date(at));

const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

export function planOperations(catalog: DemoCatalog, agenda: Agenda, limit: number, seed: number): Operations {
  const ops: Operations = { followers: 0, policies: 0, schedules: 0 };
  const random = new Random(seed);
  const admin: Actor = catalog.admin;
  const { identity, apps, network, database, workplace, desk } = catalog.teams;
  const serviceId = (name: string) => {
    const service = catalog.services.get(name);
    if (!service) throw new Error(`the demo has no service named ${name}`);
    return service.id;
  };
  let integration: IntegrationRow | undefined;

  // ---- A built-in check, a month back, probing hourly (scripted: no network) ----
  // Its target is checked like any admin's: a reserved .example name, public as far as the guard knows.
  const outbound = createOutboundGuard({ allow: [] });
  const checkFrom = limit - 30 * DAY;
  const noise = new Random(seed + 1);
  // The month's script, recorded run by run as the clock reaches each (cheaply: see checkHistory).
  let history: CheckHistory | undefined;
  agenda.add(checkFrom, async (deps) => {
    ops.check = await createCheck(
      { ...deps, outbound },
      {
        name: 'Warehouse Management web',
        serviceId: serviceId('Warehouse Management'),
        kind: 'http',
        target: 'https://wms.haldenrowe.example/health',
        intervalSeconds: CHECK_INTERVAL_S,
        timeoutMs: 5_000,
        expectStatus: 200,
        keyword: null,
        maxLatencyMs: null,
        failuresBeforeDown: 3,
      },
    );
    history = checkHistory(ops.check.id);
  });
  for (let at = checkFrom; at <= limit; at += CHECK_INTERVAL_S * 1000) {
    const hoursLeft = (limit - at) / HOUR;
    // Busier (slower) in European office hours; two lone timeouts in the month; then the drift.
    const hour = new Date(at).getUTCHours();
    const usual = 140 + (hour >= 7 && hour < 17 ? 35 : 0) + noise.between(-18, 18);
    const drifting = hoursLeft < DRIFT_HOURS;
    const timeout = !drifting && noise.chance(0.003);
    const outcome: ProbeOutcome = timeout
      ? { latencyMs: 5_000, statusCode: null, body: null, error: 'no answer within 5000 ms' }
      : { latencyMs: drifting ? 480 + noise.between(0, 160) : usual, statusCode: 200, body: '{"status":"ok"}', error: null };
    agenda.add(at + 1000, async (deps) => {
      await history?.record(deps, outcome);
    });
  }

  // ---- The Alertmanager integration: made a fortnight ago, its rules name services and teams ----
  agenda.add(limit - 14 * DAY, async (deps) => {
    const made = await createIntegration(deps, {
      name: 'Prometheus (Alertmanager)',
      source: 'alertmanager',
      resolveDelayMinutes: 10,
      rules: [
        RoutingRule.parse({
          name: 'Single sign-on down or failing',
          match: { labels: { service: 'sso' }, severity: ['critical'] },
          action: 'incident',
          serviceId: serviceId('Single Sign-On'),
          teamId: identity.team.id,
          impact: 1,
          urgency: 1,
          autoResolve: false,
          groupWindowMinutes: 60,
        }),
        RoutingRule.parse({
          name: 'Database warnings',
          match: { labels: { team: 'database' }, severity: ['warning'] },
          action: 'disturbance',
          serviceId: serviceId('PostgreSQL Cluster'),
          teamId: database.team.id,
          groupWindowMinutes: 120,
          promoteAfter: { count: 50, minutes: 120 },
        }),
        RoutingRule.parse({ name: 'Anything else critical', match: { severity: ['critical'] }, action: 'incident', impact: 2 }),
        RoutingRule.parse({ name: 'The rest', action: 'ignore' }),
      ],
    });
    integration = made.integration;
  });

  // ---- On-call: schedules with a rota weeks old, escalation policies, a cover tonight ----
  const onCallAt = limit - 3 * HOUR;
  const rotaStart = isoDay(limit - 35 * DAY);
  agenda.add(onCallAt, async (deps) => {
    const infra = await createSchedule(deps, {
      name: 'Infrastructure on call',
      description: 'Network and Database engineers, a week each, handing over on Monday mornings.',
      timeZone: 'Europe/London',
      layers: [
        {
          name: 'Weekly',
          rotation: { kind: 'weekly' },
          handoffTime: '09:00',
          startDate: rotaStart,
          participants: [...network.agents, ...database.agents].map((u) => u.id),
        },
      ],
    });
    const business = await createSchedule(deps, {
      name: 'Business applications on call',
      description: 'Applications and Identity engineers, a day each; managers cover weekends.',
      timeZone: 'Europe/London',
      layers: [
        {
          name: 'Daily',
          rotation: { kind: 'daily' },
          handoffTime: '08:00',
          startDate: rotaStart,
          participants: [...apps.agents, ...identity.agents].map((u) => u.id),
        },
      ],
    });
    ops.schedules = 2;
    // Ravi covers tonight's shift for whoever the rota says: the override wins over the layer.
    await addOverride(deps, admin, business.id, {
      userId: apps.agents[1].id,
      startsAt: new Date(onCallAt),
      endsAt: new Date(onCallAt + 20 * HOUR),
    });
    await createEscalationPolicy(deps, {
      name: 'Infrastructure critical',
      description: 'The infrastructure on-call engineer, then the Network manager, twice round.',
      levels: [
        { targets: [{ type: 'schedule', id: infra.id }], timeoutMinutes: 15 },
        { targets: [{ type: 'user', id: network.manager.id }], timeoutMinutes: 15 },
      ],
      repeat: 1,
      teamIds: [network.team.id, database.team.id, workplace.team.id],
    });
    await createEscalationPolicy(deps, {
      name: 'Business applications critical',
      description: 'The business applications on-call engineer, then the Identity and Applications managers.',
      levels: [
        { targets: [{ type: 'schedule', id: business.id }], timeoutMinutes: 10 },
        {
          targets: [
            { type: 'user', id: identity.manager.id },
            { type: 'user', id: apps.manager.id },
          ],
          timeoutMinutes: 15,
        },
      ],
      repeat: 1,
      teamIds: [apps.team.id, identity.team.id, desk.team.id],
    });
  });

  // ---- Alerts: a database disturbance for the last five hours, repeating ----
  const lagStart = limit - 5 * HOUR;
  for (let k = 0; k < 12; k++) {
    agenda.add(lagStart + k * 20 * MINUTE, async (deps) => {
      await deliver(deps, [
        {
          labels: {
            alertname: 'PostgresReplicationLag',
            service: 'postgres',
            team: 'database',
            instance: 'pg-replica-2',
            severity: 'warning',
          },
          annotations: {
            summary: `Replica pg-replica-2 is ${Math.round(40 + k * 7)} s behind the primary`,
            description: 'Reporting queries on the replica read stale data while the lag lasts.',
          },
          startsAt: new Date(lagStart).toISOString(),
        },
      ]);
    });
  }

  // ---- Today's major incident: single sign-on failing for a share of sign-ins ----
  const ssoStart = limit - 2 * HOUR - 40 * MINUTE;
  const ssoAlerts = (k: number) =>
    ['sso-idp-1', 'sso-idp-2'].map((instance, i) => ({
      labels: { alertname: 'SsoSignInErrors', service: 'sso', team: 'identity', instance, severity: 'critical' },
      annotations: {
        summary: `${instance}: ${i === 0 ? 31 - k : 12 + (k % 3)} % of sign-ins fail with HTTP 500`,
        description: 'SAML and OIDC sign-ins to every web application go through these identity provider nodes.',
      },
      startsAt: new Date(ssoStart).toISOString(),
    }));
  // Alertmanager repeats firing alerts every 15 minutes until they stop: the last came just now.
  const deliveries = 11;
  for (let k = 0; k < deliveries; k++) {
    agenda.add(ssoStart + k * 15 * MINUTE, async (deps) => {
      const alerts = await deliver(deps, ssoAlerts(k));
      if (k === 0 && alerts[0]) ops.major = await getTicketView(deps.db, admin, alerts[0]).then((v) => v.ticket);
    });
  }
  const [engineer] = identity.agents;
  const lead = identity.manager;
  const on = (offsetMinutes: number, run: (deps: ServiceDeps, major: TicketRow) => Promise<unknown>) =>
    agenda.add(ssoStart + offsetMinutes * MINUTE + 30_000, async (deps) => {
      if (!ops.major) throw new Error('the demo major incident was not raised by its alerts');
      await run(deps, ops.major);
      ops.major = (await getTicketView(deps.db, admin, ops.major.id)).ticket;
    });
  on(4, async (deps, major) => {
    // The page went to tonight's cover; he acknowledges it from his phone.
    const pages = await listTicketPages(deps.db, admin, major.id);
    const page = pages.find((p) => p.page.state === 'triggered');
    const paged = page?.recipients[0];
    if (page && paged) await acknowledgePage(deps, { id: paged.userId, role: 'agent' }, page.page.id);
  });
  on(7, async (deps, major) => {
    // Declared major (so global, a known problem on every portal); the Technical Manager hands the work to Identity.
    await declareMajorIncident(
      deps,
      lead,
      major.id,
      'Sign-ins fail for many people across Payroll, the HR Portal, Finance and the intranet.',
    );
    await updateTicket(deps, lead, major.id, {
      title: 'Single sign-on: sign-ins fail for many people (Payroll, HR Portal, Finance, intranet)',
      teamId: identity.team.id,
      assigneeId: engineer.id,
    });
  });
  on(9, (deps, major) => transitionTicket(deps, engineer, major.id, { to: 'in_progress' }));
  on(12, (deps, major) =>
    addComment(deps, engineer, major.id, {
      visibility: 'internal',
      body: `Both identity provider nodes log "unable to load signing key" since the patch run at ${londonTime(ssoStart - 20 * MINUTE)} (London); sso-idp-1 fails about a third of sign-ins. Declared a major incident with Fatima.`,
    }),
  );
  on(15, (deps, major) =>
    addComment(deps, lead, major.id, {
      visibility: 'public',
      body: `We know that signing in to Payroll, the HR Portal, Finance and the intranet fails for some people since about ${londonTime(ssoStart)} (London time). Trying again usually works. We are on it; next update within the hour.`,
    }),
  );
  const followers = [0, 12, 3, 19, 26, 8].map((i) => catalog.requesters[i % catalog.requesters.length].user);
  followers.forEach((person, i) => {
    on(17 + i * 6 + random.int(0, 4), async (deps, major) => {
      await followTicket(deps, person, major.id);
      ops.followers++;
    });
  });
  on(48, (deps, major) =>
    addComment(deps, engineer, major.id, {
      visibility: 'internal',
      body: 'Took sso-idp-1 out of the load balancer pool: failures down to ~12 % (sso-idp-2 has the same patch). Rolling the key store back on idp-1 now.',
    }),
  );
  on(75, (deps, major) =>
    addComment(deps, lead, major.id, {
      visibility: 'public',
      body: `Fewer sign-ins fail now (about 1 in 8). We are rolling back today’s change on the identity servers. Next update by ${londonTime(ssoStart + 75 * MINUTE + HOUR)} (London time).`,
    }),
  );

  // ---- SLAs, switched on at the end: every open ticket gets its clocks from its own timeline ----
  agenda.add(limit, async (deps) => {
    const office = await createCalendar(deps, {
      name: 'London office hours',
      ...weekdayCalendar('Europe/London', [{ start: 8 * 60, end: 18 * 60 }], UK_HOLIDAYS),
    });
    const always = await createCalendar(deps, { name: 'Around the clock', ...alwaysOpenCalendar('Europe/London') });
    const policies = [
      {
        name: 'P1 — critical',
        match: { priorities: [1] },
        calendarId: always.id,
        firstResponseMinutes: 15,
        resolutionMinutes: 4 * 60,
        breachEscalateToManager: true,
      },
      {
        name: 'P2 — high',
        match: { priorities: [2] },
        calendarId: office.id,
        firstResponseMinutes: 30,
        resolutionMinutes: 8 * 60,
        breachEscalateToManager: true,
      },
      { name: 'P3 — normal', match: { priorities: [3], kinds: [INCIDENT] }, firstResponseMinutes: 4 * 60, resolutionMinutes: 3 * 10 * 60 },
      { name: 'Service requests', match: { kinds: [REQUEST] }, firstResponseMinutes: 10 * 60, resolutionMinutes: 5 * 10 * 60 },
      {
        name: 'P4–P5 — low',
        match: { priorities: [4, 5], kinds: [INCIDENT] },
        firstResponseMinutes: 10 * 60,
        resolutionMinutes: 5 * 10 * 60,
      },
    ];
    for (const policy of policies) {
      await createSlaPolicy(
        deps,
        { calendarId: office.id, pauseOnHoldReasons: ['awaiting_requester', 'awaiting_vendor'], ...policy },
        admin,
      );
      ops.policies++;
    }
  });

  /** One Alertmanager webhook, adapted and ingested as the API does. Returns the tickets its alerts are on. */
  async function deliver(deps: ServiceDeps, alerts: Record<string, unknown>[]): Promise<string[]> {
    if (!integration) throw new Error('the demo integration is not made yet');
    const now = deps.clock.now();
    const adapted = adaptPayload('alertmanager', { version: '4', status: 'firing', receiver: 'firebreak', alerts }, now);
    if (!adapted.ok) throw new Error(`demo alert payload refused: ${JSON.stringify(adapted.errors)}`);
    const made = integration;
    const ingested = await deps.db.transaction((tx) => ingestWithin({ db: tx, clock: deps.clock }, made, adapted.alerts));
    const tickets = ingested.map((a) => a.ticketId).filter((id): id is string => id !== null);
    if (!ops.disturbance && alerts.some((a) => (a.labels as Record<string, string>).severity === 'warning') && tickets[0]) {
      ops.disturbance = (await getTicketView(deps.db, admin, tickets[0])).ticket;
    }
    return tickets;
  }

  // Paused at the very end: the history stays, and a started server probes nothing.
  agenda.add(limit, async (deps) => {
    await history?.flush(deps);
    if (ops.check) ops.check = await changeCheck({ ...deps, outbound }, ops.check.id, { active: false });
  });
  return ops;
}
