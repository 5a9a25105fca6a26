import { refuseIncidentResponse } from '../../../core/changes.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type EscalationLevel, nextPageStep, type PageStep, pageLevels } from '../../../core/paging.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { hasRoleAtLeast, OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { pageTimeoutJob } from '../jobs/specs/page-timeout.job-spec.js';
import {
  type EscalationPolicyRow,
  findEscalationPolicyById,
  findPageById,
  findPolicyIdForTicket,
  findSchedulesByIds,
  insertPage,
  insertPageRecipients,
  listTriggeredPagesOfTicket,
  lockPage,
  type PageRow,
  savePage,
} from '../repositories/on-call.repository.js';
import { listMemberIds } from '../repositories/teams.repository.js';
import { lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import { appendTimelineEvents } from '../repositories/timeline.repository.js';
import { findUsersByIds } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { enqueueNotifications } from './notifications.service.js';
import { onCallForSchedules } from './on-call.service.js';
import { type PageView, viewPages } from './page-views.service.js';

/**
 * The people a level reaches now: named people, whoever each schedule has on call, and each
 * team's members — active staff only, each once, in the order the level names them.
 */
async function resolveLevel(tx: Db, level: EscalationLevel | undefined, now: Date): Promise<string[]> {
  if (!level) return [];
  const schedules = await findSchedulesByIds(
    tx,
    level.targets.filter((t) => t.type === 'schedule').map((t) => t.id),
  );
  const onCall = await onCallForSchedules(tx, schedules, now);
  const members = await listMemberIds(
    tx,
    level.targets.filter((t) => t.type === 'team').map((t) => t.id),
  );
  const ids = level.targets.flatMap((t) =>
    t.type === 'user'
      ? [t.id]
      : t.type === 'schedule'
        ? [onCall.get(t.id) ?? null].filter((x): x is string => !!x)
        : (members.get(t.id) ?? []),
  );
  const people = await findUsersByIds(tx, [...new Set(ids)]);
  const usable = new Set(people.filter((p) => p.active && hasRoleAtLeast(p.role, 'agent')).map((p) => p.id));
  return [...new Set(ids)].filter((id) => usable.has(id));
}

/**
 * Pages one step of a policy, in the caller's transaction: records who was reached, puts it on
 * the timeline (which notifies them by e-mail and in-app), and sets the step's timeout timer.
 * A step that reaches nobody (an empty schedule) is recorded too, and escalates at its timeout.
 */
async function pageStep(tx: Tx, ticket: TicketRow, page: PageRow, policy: EscalationPolicyRow | null, step: PageStep, now: Date) {
  const level = pageLevels(policy, page.personId).levels[step.level];
  const userIds = await resolveLevel(tx, level, now);
  await insertPageRecipients(
    tx,
    userIds.map((userId) => ({ pageId: page.id, userId, level: step.level, round: step.round, pagedAt: now })),
  );
  const appended = await appendTimelineEvents(tx, [
    {
      ticketId: ticket.id,
      actorId: null,
      at: now,
      internal: true,
      type: 'page_notified',
      body: userIds.length > 0 ? page.message : `${page.message} (nobody could be reached at this level)`,
      data: { pageId: page.id, policyId: policy?.id ?? null, level: step.level, round: step.round, userIds },
    },
  ]);
  await enqueueNotifications(tx, ticket, appended, now);
  await scheduleJob(
    tx,
    pageTimeoutJob,
    { pageId: page.id, round: step.round, level: step.level },
    { runAt: new Date(now.getTime() + (level?.timeoutMinutes ?? 1) * 60_000), now },
  );
}

/** The page row and its `page_triggered` timeline event: how every page starts, whoever it reaches first. */
async function insertTriggeredPage(
  tx: Tx,
  ticket: TicketRow,
  start: {
    policy: EscalationPolicyRow | null;
    personId: string | null;
    message: string;
    actorId: string | null;
    data: Record<string, unknown>;
  },
  now: Date,
): Promise<PageRow> {
  const { policy, personId, message, actorId } = start;
  const page = await insertPage(tx, {
    ticketId: ticket.id,
    policyId: policy?.id ?? null,
    ...(personId ? { personId } : {}),
    state: 'triggered',
    message,
    level: 0,
    round: 0,
    triggeredById: actorId,
    createdAt: now,
  });
  await appendTimelineEvents(tx, [
    {
      ticketId: ticket.id,
      actorId,
      at: now,
      internal: true,
      type: 'page_triggered',
      body: message,
      data: { pageId: page.id, policyId: policy?.id ?? null, policyName: policy?.name ?? null, ...start.data },
    },
  ]);
  return page;
}

/** Starts a page for a locked, open ticket in the caller's transaction. `actorId` null: automatic. */
export async function triggerPage(
  tx: Tx,
  ticket: TicketRow,
  policy: EscalationPolicyRow,
  message: string,
  actorId: string | null,
  now: Date,
): Promise<PageRow> {
  const page = await insertTriggeredPage(
    tx,
    ticket,
    { policy, personId: null, message, actorId, data: { automatic: actorId === null } },
    now,
  );
  await pageStep(tx, ticket, page, policy, { level: 0, round: 0 }, now);
  return page;
}

/**
 * The `page_role_holder` follow-up (issue 14): a response role that pages was given to someone, so
 * they get a real page — on the timeline, acknowledgeable like any page, reaching them alone
 * first and, unacknowledged after `ROLE_PAGE_TIMEOUT_MINUTES`, escalating through the ticket's
 * escalation policy (its team's, else its service's; without one it is exhausted after them).
 */
export async function pageRoleHolder(
  tx: Tx,
  ticket: TicketRow,
  holder: { userId: string; roleName: string },
  actorId: string | null,
  now: Date,
): Promise<PageRow> {
  const policyId = await findPolicyIdForTicket(tx, ticket);
  const policy = policyId ? ((await findEscalationPolicyById(tx, policyId)) ?? null) : null;
  const message = `You are ${holder.roleName} on ${ticket.number} (${ticket.title}): acknowledge this page to say you are on it.`;
  const page = await insertTriggeredPage(
    tx,
    ticket,
    { policy, personId: holder.userId, message, actorId, data: { automatic: false, role: holder.roleName } },
    now,
  );
  await pageStep(tx, ticket, page, policy, { level: 0, round: 0 }, now);
  return page;
}

/** POST /tickets/{id}/pages: page a policy (the ticket's team's or service's, unless one is named). */
export async function pageTicket(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: { escalationPolicyId?: string; message: string },
): Promise<PageView> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can page');
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    if (!ticket) throw notFound('ticket');
    const refusal = refuseIncidentResponse(ticket, 'page');
    if (refusal) throw new AppError('illegal_transition', refusal, { extra: { allowed: [] } });
    if (!OPEN_STATES.includes(ticket.state)) {
      throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: only open tickets can be paged for`, {
        extra: { allowed: [] },
      });
    }
    const policyId = input.escalationPolicyId ?? (await findPolicyIdForTicket(tx, ticket));
    if (!policyId) {
      throw fieldError('unprocessable', 'escalationPolicyId', "the ticket's team and service have no escalation policy; name one");
    }
    const policy = await findEscalationPolicyById(tx, policyId);
    if (!policy) throw fieldError('unprocessable', 'escalationPolicyId', `no escalation policy has the id ${policyId}`);
    const page = await triggerPage(tx, ticket, policy, input.message, actor.id, deps.clock.now());
    return (await viewPages(tx, [page]))[0];
  });
}

/**
 * The timeout of one step. Acts only if the page is still triggered at that very step: an
 * acknowledged, resolved or already advanced page makes a late or repeated timer a no-op.
 */
export async function handlePageTimeout(
  deps: ServiceDeps,
  payload: { pageId: string; round: number; level: number },
): Promise<'advanced' | 'exhausted' | 'nothing_due'> {
  return deps.db.transaction(async (tx) => {
    const found = await findPageById(tx, payload.pageId);
    if (!found) return 'nothing_due';
    // Ticket before page, the same order as resolving and acknowledging, so they never deadlock.
    const ticket = await lockTicket(tx, found.ticketId);
    const page = await lockPage(tx, payload.pageId);
    if (!ticket || !page || page.state !== 'triggered' || page.level !== payload.level || page.round !== payload.round) {
      return 'nothing_due';
    }
    const now = deps.clock.now();
    const policy = page.policyId ? ((await findEscalationPolicyById(tx, page.policyId)) ?? null) : null;
    // A policy page whose policy is gone has nowhere to go; a role page goes on to its policy, if any.
    const next = policy || page.personId ? nextPageStep(pageLevels(policy, page.personId), page) : 'exhausted';
    if (next === 'exhausted') {
      await savePage(tx, page.id, { state: 'exhausted', endedAt: now });
      await appendTimelineEvents(tx, [
        {
          ticketId: ticket.id,
          actorId: null,
          at: now,
          internal: true,
          type: 'page_exhausted',
          body: 'Nobody acknowledged the page; every level of the policy was paged.',
          data: { pageId: page.id, policyId: page.policyId, level: page.level, round: page.round },
        },
      ]);
      return 'exhausted';
    }
    const saved = await savePage(tx, page.id, next);
    await pageStep(tx, ticket, saved, policy, next, now);
    return 'advanced';
  });
}

/**
 * The monitoring tool says someone acknowledged the alert (PagerDuty Events v2 `acknowledge`):
 * the ticket's running pages stop, acknowledged by the integration, each on the timeline naming
 * the tool — the person who acknowledged there is not known here. In the caller's transaction.
 */
export async function acknowledgePagesFromMonitoring(
  tx: Tx,
  ticketId: string,
  integration: { userId: string; name: string },
  now: Date,
): Promise<void> {
  for (const page of await listTriggeredPagesOfTicket(tx, ticketId)) {
    await savePage(tx, page.id, { state: 'acknowledged', acknowledgedAt: now, acknowledgedById: integration.userId, endedAt: now });
    await appendTimelineEvents(tx, [
      {
        ticketId,
        actorId: integration.userId,
        at: now,
        internal: true,
        type: 'page_acknowledged',
        body: `Acknowledged in ${integration.name}: paging stopped.`,
        data: { pageId: page.id, level: page.level, round: page.round },
      },
    ]);
  }
}

/** Resolving, closing or cancelling a ticket ends its running pages (in the caller's transaction). */
export async function endPagesOfTicket(tx: Tx, ticket: TicketRow, actorId: string | null, now: Date): Promise<void> {
  for (const page of await listTriggeredPagesOfTicket(tx, ticket.id)) {
    await savePage(tx, page.id, { state: 'resolved', endedAt: now });
    await appendTimelineEvents(tx, [
      {
        ticketId: ticket.id,
        actorId,
        at: now,
        internal: true,
        type: 'page_ended',
        body: `The ticket is ${ticket.state}: paging stopped.`,
        data: { pageId: page.id, level: page.level, round: page.round },
      },
    ]);
  }
}
