import { shouldPromote } from '../../../core/alerts/auto-resolve.js';
import { type RoutingRule, ruleAt, ticketImpactUrgency } from '../../../core/alerts/routing.js';
import type { Actor } from '../../../core/permissions.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import {
  type AlertRow,
  type AlertState,
  findAlertById,
  findGroupTickets,
  listAlertFiringTimes,
  lockAlertGroup,
  setAlertTickets,
} from '../repositories/alerts.repository.js';
import type { IntegrationRow } from '../repositories/integrations.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import type { TxDeps } from './deps.js';
import { promoteDisturbance } from './disturbances.service.js';
import { appendSilentNotes } from './ticket-change.js';
import { reportTicket } from './ticket-intake.service.js';

export type AlertHappening = 'fired' | 'fired again' | 'resolved';

export function ruleOf(integration: IntegrationRow, ruleIndex: number | null): RoutingRule {
  return ruleAt(integration.rules, ruleIndex);
}

/**
 * Puts alerts that fired on their groups' tickets: each group (alerts with one group key) joins
 * the open ticket of an alert of that group seen within the rule's window, or opens one through
 * the ticket intake service, so priority, routing, SLAs and notifications apply as for any ticket.
 * The open tickets of all groups are looked up in one query, the alerts linked in one statement
 * and their timeline events written in one; only a group without a ticket costs more. Opening a
 * ticket takes the group's advisory lock and asks again under it, so two transactions with
 * alerts of one new group open one ticket; groups are taken in key order so they never wait on
 * each other in a cycle. Returns each group's ticket.
 */
export async function attachToGroups(
  deps: TxDeps,
  integration: IntegrationRow,
  actor: Actor,
  groups: ReadonlyMap<string, readonly (AlertState | AlertRow)[]>,
  what: 'fired' | 'fired again',
): Promise<Map<string, string>> {
  const now = deps.clock.now();
  // Each group once, in key order (the order group locks are taken in), with what it needs.
  const ordered = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, alerts]) => {
      const rule = ruleOf(integration, alerts[0].ruleIndex);
      return { key, alerts, rule, window: { groupKey: key, since: new Date(now.getTime() - rule.groupWindowMinutes * 60_000) } };
    });
  const joined = await findGroupTickets(
    deps.db,
    integration.id,
    ordered.map((g) => g.window),
    OPEN_STATES,
  );
  const ticketOf = new Map(joined);
  for (const group of ordered) {
    if (ticketOf.has(group.key)) continue;
    await lockAlertGroup(deps.db, integration.id, group.key);
    const opened = (await findGroupTickets(deps.db, integration.id, [group.window], OPEN_STATES)).get(group.key);
    ticketOf.set(group.key, opened ?? (await openGroupTicket(deps, integration, actor, group.alerts[0])));
  }
  const placed = ordered.map((g) => ({ ...g, ticketId: ticketOf.get(g.key) as string }));

  await setAlertTickets(
    deps.db,
    placed.flatMap((g) => g.alerts.map((a) => ({ alertId: a.id, ticketId: g.ticketId }))),
  );
  await noteAlerts(deps, actor, placed, what);
  for (const g of placed) {
    // Promotion counts firings on the ticket: alerts joining an open group, or several at once.
    if (joined.has(g.key) || g.alerts.length > 1) await maybePromote(deps, integration, actor, g.ticketId, g.rule);
  }
  return ticketOf;
}

async function openGroupTicket(deps: TxDeps, integration: IntegrationRow, actor: Actor, first: AlertState | AlertRow): Promise<string> {
  const rule = ruleOf(integration, first.ruleIndex);
  const full = 'labels' in first ? first : await findAlertById(deps.db, first.id);
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
      kind: first.action === 'incident' ? 'incident' : 'disturbance',
      title: first.summary.slice(0, 200) || 'Alert',
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
  return ticket.id;
}

/** How many alerts a summary event names before "and N more". */
const NAMED_IN_EVENT = 5;

/**
 * The tickets' alert history, in one statement: one event per ticket for the alerts that fired,
 * fired again or resolved together (never one per repeat), naming the first few. data.alerts
 * says how many alerts the event stands for (promotion rules count them).
 */
export async function noteAlerts(
  deps: TxDeps,
  actor: Actor,
  notes: readonly { ticketId: string; alerts: readonly AlertState[] }[],
  what: AlertHappening,
): Promise<void> {
  const now = deps.clock.now();
  const status = what === 'resolved' ? 'resolved' : 'firing';
  const events = notes.map(({ ticketId, alerts }) => {
    const [first] = alerts;
    const body =
      alerts.length === 1
        ? `Alert ${what}: ${first.summary}`
        : `${alerts.length} alerts ${what}: ${alerts
            .slice(0, NAMED_IN_EVENT)
            .map((a) => a.summary)
            .join('; ')}${alerts.length > NAMED_IN_EVENT ? `; and ${alerts.length - NAMED_IN_EVENT} more` : ''}`;
    const data =
      alerts.length === 1
        ? { alertId: first.id, fingerprint: first.fingerprint, status, count: first.count, alerts: 1 }
        : { alertIds: alerts.map((a) => a.id), status, alerts: alerts.length };
    return { ticketId, event: { type: 'alert' as const, internal: true, body, data } };
  });
  // No version bump: an alert note changes none of the ticket's fields, and bumping would make
  // every agent's If-Match fail during an alert storm (and serialise the storm on the ticket row).
  await appendSilentNotes(deps.db, { actor, at: now, silent: 'alert_note', notes: events });
}

/** Promotes a disturbance when its rule says so: more than N alerts fired on it within M minutes. */
export async function maybePromote(
  deps: TxDeps,
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
