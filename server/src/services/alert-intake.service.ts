import type { NormalisedAlert } from '../../../core/alerts/normalised-alert.js';
import { decideRoute } from '../../../core/alerts/routing.js';
import type { Actor } from '../../../core/permissions.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import { scheduleJob } from '../jobs/schedule.js';
import { alertResolveJob } from '../jobs/specs/alert-resolve.job-spec.js';
import {
  type AlertRow,
  type AlertState,
  applyPlainRepeats,
  type FoldedDelivery,
  insertAlertsIfAbsent,
  type NewAlertRow,
  type RepeatedAlert,
  updateExistingAlert,
  updateExistingAlerts,
} from '../repositories/alerts.repository.js';
import type { IntegrationRow } from '../repositories/integrations.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { attachToGroups, maybePromote, noteAlerts, ruleOf } from './alert-grouping.service.js';
import { resolveTicketIfQuiet } from './alert-resolution.service.js';
import type { ServiceDeps, TxDeps } from './deps.js';
import { integrationActor } from './integrations.service.js';
import { acknowledgePagesFromMonitoring } from './paging.service.js';
import { transitionTicket } from './ticket-work.service.js';

export interface IngestedAlert {
  alertId: string;
  fingerprint: string;
  status: NormalisedAlert['status'];
  count: number;
  action: string;
  ticketId: string | null;
}

/** One delivery's alerts, as the group commit hands them over. */
export interface Delivery {
  integration: IntegrationRow;
  alerts: readonly NormalisedAlert[];
}

/**
 * The first pass over a batch of deliveries, in one statement that commits on its own: every
 * plain repeat (a known alert that keeps its status) is counted, without a transaction around
 * it — in an alert storm that is nearly every delivery, and it sets nothing else off. Returns,
 * per delivery and alert position, the outcome of the alerts it applied; the positions left
 * undefined need the full transaction (ingestWithin). A delivery split between the two passes
 * is counted at least once, never lost: if the second pass fails, the sender gets an error and
 * its retry counts the repeats again, as after a crash between a commit and its answer.
 */
export async function ingestPlainRepeats(deps: ServiceDeps, deliveries: readonly Delivery[]): Promise<(IngestedAlert | undefined)[][]> {
  const outcomes: (IngestedAlert | undefined)[][] = deliveries.map((d) => new Array(d.alerts.length));
  // Deliveries let in with one token fold together; their positions map back to each delivery.
  const byToken = new Map<string, { integration: IntegrationRow; alerts: NormalisedAlert[]; origin: [number, number][] }>();
  for (const [index, { integration, alerts }] of deliveries.entries()) {
    const key = `${integration.id} ${integration.tokenHash}`;
    const entry = byToken.get(key) ?? { integration, alerts: [], origin: [] };
    byToken.set(key, entry);
    for (const [position, alert] of alerts.entries()) {
      entry.alerts.push(alert);
      entry.origin.push([index, position]);
    }
  }
  const folds = [...byToken.values()].map((entry) => ({ entry, ...foldDeliveries(entry.alerts) }));
  const applied = await applyPlainRepeats(
    deps.db,
    folds.flatMap(({ entry, folded }) =>
      folded.map((delivery) => ({ integrationId: entry.integration.id, tokenHash: entry.integration.tokenHash, delivery })),
    ),
    deps.clock.now(),
  );
  const appliedByKey = new Map(applied.map((a) => [`${a.integrationId} ${a.tokenHash} ${a.fingerprint}`, a]));
  for (const { entry, positions } of folds) {
    for (const [fingerprint, at] of positions) {
      const state = appliedByKey.get(`${entry.integration.id} ${entry.integration.tokenHash} ${fingerprint}`);
      if (!state) continue;
      at.forEach((position, k) => {
        const [index, inDelivery] = entry.origin[position];
        outcomes[index][inDelivery] = { ...resultOf(state), count: state.count - (at.length - 1 - k) };
      });
    }
  }
  return outcomes;
}

/**
 * The same work inside the caller's transaction (group commit runs several deliveries in one).
 * Built for bursts: repeats of one alert are folded into one write, all alerts are updated in
 * one statement and the new ones inserted in another, and new alerts of one group join (or open)
 * their ticket together with one timeline event. Per alert it costs only what changes: a repeat
 * that changes nothing but its counter costs no statement of its own.
 */
export async function ingestWithin(txDeps: TxDeps, integration: IntegrationRow, alerts: NormalisedAlert[]): Promise<IngestedAlert[]> {
  const now = txDeps.clock.now();
  const actor = integrationActor(integration);
  const results: (IngestedAlert | undefined)[] = new Array(alerts.length);
  const { folded, positions, oneByOne } = foldDeliveries(alerts);

  // Plain repeats were counted before this transaction, so what reaches it is mostly new: insert
  // first, and update only what turned out to exist (a resolve, a first acknowledgement, or an
  // alert another transaction inserted first — the insert waited for it to commit). Both happen
  // before this transaction takes any group lock, so it never waits for a row while holding a
  // lock the row's holder may be waiting for.
  const inserted = await insertAlertsIfAbsent(
    txDeps.db,
    folded.map((d) => newAlertRow(integration, d, now)),
  );
  const insertedByFingerprint = new Map(inserted.map((r) => [r.fingerprint, r]));
  const repeated = await updateExistingAlerts(
    txDeps.db,
    integration.id,
    folded.filter((d) => !insertedByFingerprint.has(d.fingerprint)),
    now,
  );
  const repeatedByFingerprint = new Map(repeated.map((r) => [r.fingerprint, r]));

  for (const alert of repeated) await applyRepeat(txDeps, integration, actor, alert);

  // New firing alerts join their groups' tickets together.
  const groups = new Map<string, AlertRow[]>();
  for (const row of inserted) {
    if (row.status !== 'firing' || row.action === 'ignore') continue; // first seen resolved: nothing to do
    const group = groups.get(row.groupKey) ?? [];
    group.push(row);
    groups.set(row.groupKey, group);
  }
  if (groups.size > 0) {
    const ticketOf = await attachToGroups(txDeps, integration, actor, groups, 'fired');
    for (const [key, rows] of groups) for (const row of rows) row.ticketId = ticketOf.get(key) as string;
  }

  for (const d of folded) {
    if (oneByOne.has(d.fingerprint)) continue;
    const state: AlertState | undefined = repeatedByFingerprint.get(d.fingerprint) ?? insertedByFingerprint.get(d.fingerprint);
    if (!state) throw new Error(`alert ${d.fingerprint} was neither updated nor inserted`);
    const at = positions.get(d.fingerprint) as number[];
    // The k-th of n folded deliveries answers with the counter as it stood after it.
    at.forEach((position, k) => {
      results[position] = { ...resultOf(state), count: state.count - (at.length - 1 - k) };
    });
  }
  for (const [position, alert] of alerts.entries()) {
    if (oneByOne.has(alert.fingerprint)) results[position] = await ingestOne(txDeps, integration, alert);
  }
  return results as IngestedAlert[];
}

/**
 * Folds a batch's deliveries per fingerprint. Deliveries of one alert that all carry the same
 * status fold into one (the latest content wins, as it would one after another); an alert whose
 * status changes within the batch (fired, resolved, fired) is applied delivery by delivery, so
 * each transition is seen.
 */
function foldDeliveries(alerts: readonly NormalisedAlert[]) {
  const folded = new Map<string, FoldedDelivery>();
  const positions = new Map<string, number[]>();
  const oneByOne = new Set<string>();
  for (const [i, alert] of alerts.entries()) {
    const seen = folded.get(alert.fingerprint);
    if (seen && seen.status !== alert.status) oneByOne.add(alert.fingerprint);
    const latest: FoldedDelivery = {
      fingerprint: alert.fingerprint,
      deliveries: (seen?.deliveries ?? 0) + 1,
      status: alert.status,
      acknowledged: alert.acknowledged || (seen?.acknowledged ?? false),
      severity: alert.summary === '' && seen ? seen.severity : alert.severity,
      summary: alert.summary === '' && seen ? seen.summary : alert.summary,
      labels: alert.summary === '' && seen ? seen.labels : alert.labels,
      sourceUrl: alert.sourceUrl ?? seen?.sourceUrl ?? null,
      startsAt: seen?.startsAt ?? alert.startsAt,
      endsAt: alert.endsAt,
      payload: alert.raw ?? null,
    };
    folded.set(alert.fingerprint, latest);
    const at = positions.get(alert.fingerprint);
    if (at) at.push(i);
    else positions.set(alert.fingerprint, [i]);
  }
  return { folded: [...folded.values()].filter((d) => !oneByOne.has(d.fingerprint)), positions, oneByOne };
}

function newAlertRow(integration: IntegrationRow, d: FoldedDelivery, now: Date): NewAlertRow {
  const decision = decideRoute(integration.rules, d);
  return {
    integrationId: integration.id,
    fingerprint: d.fingerprint,
    status: d.status,
    severity: d.severity,
    summary: d.summary || d.fingerprint,
    labels: d.labels,
    sourceUrl: d.sourceUrl,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    firstSeenAt: now,
    lastSeenAt: now,
    count: d.deliveries,
    acknowledgedAt: d.acknowledged ? now : null,
    resolvedAt: d.status === 'resolved' ? now : null,
    lastPayload: d.payload,
    action: decision.action,
    ruleIndex: decision.ruleIndex,
    groupKey: decision.groupKey,
  };
}

/** One delivery on its own: for alerts whose status changes within a batch, and insert races. */
async function ingestOne(deps: TxDeps, integration: IntegrationRow, alert: NormalisedAlert): Promise<IngestedAlert> {
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
    const [inserted] = await insertAlertsIfAbsent(deps.db, [
      newAlertRow(integration, { ...delivery, deliveries: 1, payload: delivery.payload }, now),
    ]);
    if (inserted) {
      // An alert first seen resolved never opens anything: there is nothing left to do.
      if (alert.status === 'firing' && inserted.action !== 'ignore') {
        inserted.ticketId = await attachOne(deps, integration, actor, inserted, 'fired');
      }
      return resultOf(inserted);
    }
    // A concurrent delivery inserted it between our update and insert: apply ours on top.
    existing = await updateExistingAlert(deps.db, delivery);
    if (!existing) throw new Error(`alert ${alert.fingerprint} vanished while being ingested`);
  }
  await applyRepeat(deps, integration, actor, existing);
  return resultOf(existing);
}

/**
 * What a repeat delivery of a known alert sets off: its first acknowledgement from the tool stops
 * the ticket's running pages; otherwise nothing while its status stays the same;
 * resolved → a note and (by the rule, after the flapping delay) resolving the ticket; fired again
 * → a note on the open ticket, reopening a resolved one once, or a new ticket when it is closed.
 */
async function applyRepeat(deps: TxDeps, integration: IntegrationRow, actor: Actor, existing: RepeatedAlert): Promise<void> {
  const now = deps.clock.now();
  if (existing.newlyAcknowledged && existing.status === 'firing' && existing.ticketId) {
    await acknowledgePagesFromMonitoring(deps.db, existing.ticketId, integration, now);
  }
  if (existing.action === 'ignore' || existing.previousStatus === existing.status) return;
  const rule = ruleOf(integration, existing.ruleIndex);
  if (existing.status === 'resolved') {
    if (existing.ticketId) {
      await noteAlerts(deps, actor, [{ ticketId: existing.ticketId, alerts: [existing] }], 'resolved');
      if (rule.autoResolve) {
        if (integration.resolveDelayMinutes === 0) {
          await resolveTicketIfQuiet(deps, { ticketId: existing.ticketId, integrationId: integration.id });
        } else {
          // Flapping guard: resolve only if every alert is still resolved when the delay is over.
          await scheduleJob(
            deps.db,
            alertResolveJob,
            { ticketId: existing.ticketId, integrationId: integration.id },
            { runAt: new Date(now.getTime() + integration.resolveDelayMinutes * 60_000), now },
          );
        }
      }
    }
    return;
  }
  const ticket = existing.ticketId ? await findTicketById(deps.db, existing.ticketId) : undefined;
  if (ticket && OPEN_STATES.includes(ticket.state)) {
    await noteAlerts(deps, actor, [{ ticketId: ticket.id, alerts: [existing] }], 'fired again');
    await maybePromote(deps, integration, actor, ticket.id, rule);
  } else if (ticket && ticket.state === 'resolved') {
    // Reopened once; from then on monitoring leaves resolving it to a person (see autoResolveBlocker).
    await transitionTicket(deps, actor, ticket.id, {
      to: 'in_progress',
      reason: `Alert "${existing.summary}" fired again after the ticket was resolved.`,
    });
    await noteAlerts(deps, actor, [{ ticketId: ticket.id, alerts: [existing] }], 'fired again');
  } else {
    // Its ticket is closed or cancelled: a new occurrence, grouped afresh.
    existing.ticketId = await attachOne(deps, integration, actor, existing, 'fired again');
  }
}

function resultOf(a: AlertState): IngestedAlert {
  return { alertId: a.id, fingerprint: a.fingerprint, status: a.status, count: a.count, action: a.action, ticketId: a.ticketId };
}

async function attachOne(
  deps: TxDeps,
  integration: IntegrationRow,
  actor: Actor,
  alert: AlertState,
  what: 'fired' | 'fired again',
): Promise<string> {
  const ticketOf = await attachToGroups(deps, integration, actor, new Map([[alert.groupKey, [alert]]]), what);
  return ticketOf.get(alert.groupKey) as string;
}
