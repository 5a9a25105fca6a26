import { shouldPromote } from '../../../core/alerts/auto-resolve.js';
import type { NormalisedAlert } from '../../../core/alerts/normalised-alert.js';
import { DEFAULT_RULE, decideRoute, type RoutingRule, ticketImpactUrgency } from '../../../core/alerts/routing.js';
import type { Actor } from '../../../core/permissions.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import {
  type AlertRow,
  type AlertState,
  findAlertById,
  findGroupTicket,
  insertAlertIfAbsent,
  listAlertFiringTimes,
  lockAlertGroup,
  setAlertTicket,
  updateExistingAlert,
} from '../repositories/alerts.repository.js';
import { type IntegrationRow, touchIntegration } from '../repositories/integrations.repository.js';
import { scheduleJob } from '../repositories/jobs.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { appendTimelineEvents } from '../repositories/timeline.repository.js';
import { RESOLVE_TICKET_JOB, resolveTicketIfQuiet } from './alert-resolution.service.js';
import type { ServiceDeps } from './deps.js';
import { promoteDisturbance } from './disturbances.service.js';
import { integrationActor } from './integrations.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { transitionTicket } from './ticket-work.service.js';
import { timelineEvent } from './ticket-write.helpers.js';

export interface IngestedAlert {
  alertId: string;
  fingerprint: string;
  status: NormalisedAlert['status'];
  count: number;
  action: string;
  ticketId: string | null;
}

/**
 * Ingests one delivery's alerts in ONE transaction: each alert is deduplicated onto its row,
 * routed, grouped onto a ticket, and the ticket opened, noted, reopened or scheduled to resolve.
 * The caller answers 2xx only after this returns, so an acknowledged alert is committed.
 */
export async function ingestAlerts(deps: ServiceDeps, integration: IntegrationRow, alerts: NormalisedAlert[]): Promise<IngestedAlert[]> {
  return deps.db.transaction(async (tx) => {
    const results = await ingestWithin({ db: tx, clock: deps.clock }, integration, alerts);
    await touchIntegration(tx, integration.id, deps.clock.now());
    return results;
  });
}

/** The same work inside the caller's transaction (group commit runs several deliveries in one). */
export async function ingestWithin(txDeps: ServiceDeps, integration: IntegrationRow, alerts: NormalisedAlert[]): Promise<IngestedAlert[]> {
  const results: IngestedAlert[] = [];
  for (const alert of alerts) results.push(await ingestOne(txDeps, integration, alert));
  return results;
}

function ruleOf(integration: IntegrationRow, ruleIndex: number | null): RoutingRule {
  return ruleIndex === null ? DEFAULT_RULE : (integration.rules[ruleIndex] ?? DEFAULT_RULE);
}

async function ingestOne(deps: ServiceDeps, integration: IntegrationRow, alert: NormalisedAlert): Promise<IngestedAlert> {
  const now = deps.clock.now();
  const delivery = {
    integrationId: integration.id,
    fingerprint: alert.fingerprint,
    status: alert.status,
    acknowledged: alert.acknowledged,
    severity: alert.severity,
    summary: alert.summary,
    labels: alert.labels,
    sourceUrl: alert.sourceUrl,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    payload: alert.raw ?? null,
    now,
  };
  const actor = integrationActor(integration);
  let existing = await updateExistingAlert(deps.db, delivery);
  if (!existing) {
    const decision = decideRoute(integration.rules, alert);
    const inserted = await insertAlertIfAbsent(deps.db, {
      integrationId: integration.id,
      fingerprint: alert.fingerprint,
      status: alert.status,
      severity: alert.severity,
      summary: alert.summary || alert.fingerprint,
      labels: alert.labels,
      sourceUrl: alert.sourceUrl,
      startsAt: alert.startsAt,
      endsAt: alert.endsAt,
      firstSeenAt: now,
      lastSeenAt: now,
      acknowledgedAt: alert.acknowledged ? now : null,
      resolvedAt: alert.status === 'resolved' ? now : null,
      lastPayload: alert.raw ?? null,
      action: decision.action,
      ruleIndex: decision.ruleIndex,
      groupKey: decision.groupKey,
    });
    if (inserted) {
      const state: AlertState = inserted;
      // An alert first seen resolved never opens anything: there is nothing left to do.
      if (alert.status === 'firing' && inserted.action !== 'ignore') {
        state.ticketId = await attachToGroup(deps, integration, actor, inserted, 'fired', inserted);
      }
      return resultOf(state);
    }
    // A concurrent delivery inserted it between our update and insert: apply ours on top.
    existing = await updateExistingAlert(deps.db, delivery);
    if (!existing) throw new Error(`alert ${alert.fingerprint} vanished while being ingested`);
  }

  if (existing.action === 'ignore') return resultOf(existing);
  const rule = ruleOf(integration, existing.ruleIndex);
  if (existing.previousStatus === 'firing' && existing.status === 'resolved') {
    if (existing.ticketId) {
      await noteOnTicket(deps, actor, existing.ticketId, existing, 'resolved');
      if (rule.autoResolve) {
        if (integration.resolveDelayMinutes === 0) {
          await resolveTicketIfQuiet(deps, { ticketId: existing.ticketId, integrationId: integration.id });
        } else {
          // Flapping guard: resolve only if every alert is still resolved when the delay is over.
          await scheduleJob(deps.db, {
            id: `alert-resolve:${existing.ticketId}:${now.getTime()}`,
            kind: RESOLVE_TICKET_JOB,
            payload: { ticketId: existing.ticketId, integrationId: integration.id },
            runAt: new Date(now.getTime() + integration.resolveDelayMinutes * 60_000),
            now,
          });
        }
      }
    }
  } else if (existing.previousStatus === 'resolved' && existing.status === 'firing') {
    const ticket = existing.ticketId ? await findTicketById(deps.db, existing.ticketId) : undefined;
    if (ticket && OPEN_STATES.includes(ticket.state)) {
      await noteOnTicket(deps, actor, ticket.id, existing, 'fired again');
      await maybePromote(deps, integration, actor, ticket.id, rule);
    } else if (ticket && ticket.state === 'resolved') {
      // Reopened once; from then on monitoring leaves resolving it to a person (see autoResolveBlocker).
      await transitionTicket(deps, actor, ticket.id, {
        to: 'in_progress',
        reason: `Alert "${existing.summary}" fired again after the ticket was resolved.`,
      });
      await noteOnTicket(deps, actor, ticket.id, existing, 'fired again');
    } else {
      // Its ticket is closed or cancelled: a new occurrence, grouped afresh.
      existing.ticketId = await attachToGroup(deps, integration, actor, existing, 'fired again');
    }
  }
  return resultOf(existing);
}

function resultOf(a: AlertState): IngestedAlert {
  return { alertId: a.id, fingerprint: a.fingerprint, status: a.status, count: a.count, action: a.action, ticketId: a.ticketId };
}

/**
 * Joins the open ticket of the alert's group (seen within the rule's window) or opens one through
 * the ticket intake service, so priority, routing, SLAs and notifications apply as for any ticket.
 * The group's advisory lock makes two alerts of one group arriving together open one ticket.
 */
async function attachToGroup(
  deps: ServiceDeps,
  integration: IntegrationRow,
  actor: Actor,
  alert: AlertState,
  what: 'fired' | 'fired again',
  /** The full row when the caller has it (a new alert), saving a read. */
  row?: AlertRow,
): Promise<string> {
  const now = deps.clock.now();
  const rule = ruleOf(integration, alert.ruleIndex);
  await lockAlertGroup(deps.db, integration.id, alert.groupKey);
  const group = await findGroupTicket(deps.db, {
    integrationId: integration.id,
    groupKey: alert.groupKey,
    since: new Date(now.getTime() - rule.groupWindowMinutes * 60_000),
    openStates: OPEN_STATES,
  });
  let ticketId: string;
  if (group) {
    ticketId = group.id;
  } else {
    const full = row ?? (await findAlertById(deps.db, alert.id));
    const labels = full?.labels ?? {};
    const { impact, urgency } = ticketImpactUrgency(rule, full?.severity ?? 'warning');
    const description = [
      `Opened by the ${integration.name} integration (${integration.source}).`,
      '',
      ...Object.entries(labels).map(([k, v]) => `${k}: ${v}`),
      ...(full?.sourceUrl ? ['', `Source: ${full.sourceUrl}`] : []),
    ].join('\n');
    const { ticket } = await reportTicket(
      deps,
      actor,
      {
        kind: alert.action === 'incident' ? 'incident' : 'disturbance',
        title: alert.summary.slice(0, 200) || 'Alert',
        description: description.slice(0, 20_000),
        channel: 'alert',
        serviceId: rule.serviceId ?? null,
        teamId: rule.teamId ?? null,
        impact,
        urgency,
        scope: 'local',
      },
      { defaultChannel: 'alert' },
    );
    ticketId = ticket.id;
  }
  await setAlertTicket(deps.db, [alert.id], ticketId);
  await noteOnTicket(deps, actor, ticketId, alert, what);
  if (group) await maybePromote(deps, integration, actor, ticketId, rule);
  return ticketId;
}

/** The ticket's alert history: one event per attach, resolve or re-fire (never per repeat). */
async function noteOnTicket(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  alert: AlertState,
  what: 'fired' | 'fired again' | 'resolved',
): Promise<void> {
  const now = deps.clock.now();
  // No version bump: an alert note changes none of the ticket's fields, and bumping would make
  // every agent's If-Match fail during an alert storm (and serialise the storm on the ticket row).
  await appendTimelineEvents(deps.db, [
    timelineEvent(ticketId, actor, now, {
      type: 'alert',
      internal: true,
      body: `Alert ${what}: ${alert.summary}`,
      data: { alertId: alert.id, fingerprint: alert.fingerprint, status: what === 'resolved' ? 'resolved' : 'firing', count: alert.count },
    }),
  ]);
}

async function maybePromote(
  deps: ServiceDeps,
  integration: IntegrationRow,
  actor: Actor,
  ticketId: string,
  rule: RoutingRule,
): Promise<void> {
  if (!rule.promoteAfter) return;
  const ticket = await findTicketById(deps.db, ticketId);
  if (ticket?.kind !== 'disturbance' || !OPEN_STATES.includes(ticket.state)) return;
  const now = deps.clock.now();
  const times = await listAlertFiringTimes(deps.db, ticketId, new Date(now.getTime() - rule.promoteAfter.minutes * 60_000));
  if (!shouldPromote(times, now, rule.promoteAfter)) return;
  await promoteDisturbance(deps, actor, ticketId, {
    reason: `More than ${rule.promoteAfter.count} alerts fired within ${rule.promoteAfter.minutes} minutes (rule of the ${integration.name} integration).`,
    impact: rule.impact,
    urgency: rule.urgency,
  });
}
