import {
  type AutomationTicket,
  type ChangeOrigin,
  type ConditionContext,
  evaluateRules,
  type Firing,
} from '../../../core/automation/evaluate.js';
import { planOf } from '../../../core/automation/plan.js';
import type { AutomationRule } from '../../../core/automation/rules.js';
import { refusedPatternsOf } from '../../../core/automation/text-match.js';
import type { BusinessCalendar } from '../../../core/business-calendar.js';
import { type CannedReplyVariable, formatDueFor, renderCannedReply } from '../../../core/canned-replies.js';
import { refuseIncidentResponse } from '../../../core/changes.js';
import { AppError } from '../../../core/errors.js';
import { refuseProblemLink } from '../../../core/problems.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import {
  type AutomationRuleRow,
  disableAutomationRule,
  listEnabledAutomationRules,
  listServiceAncestorIds,
} from '../repositories/automation.repository.js';
import { findCannedReply } from '../repositories/canned-replies.repository.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import { addFollower } from '../repositories/followers.repository.js';
import { namesByIds } from '../repositories/names.repository.js';
import { findEscalationPolicyById } from '../repositories/on-call.repository.js';
import { findCalendarById } from '../repositories/sla.repository.js';
import { lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import type { TimelineEventRow } from '../repositories/timeline.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import { findWebhookById } from '../repositories/webhooks.repository.js';
import { armIdleTimers } from './automation-idle-timers.js';
import { brokenReferences } from './automation-references.js';
import { type ConfigCache, readConfig } from './config-cache.js';
import { assignFairly } from './fair-assignment.service.js';
import { enqueueWebhookDelivery } from './notifications.service.js';
import { triggerPage } from './paging.service.js';
import { linkEvent } from './problems.service.js';
import type { ChangeEvent, TicketChange } from './ticket-change.js';
import { planTicketUpdate } from './ticket-update-plan.js';

/** The pipeline itself, passed in (the pipeline calls this follow-up, so it cannot be imported here). */
export type ApplyTicketChange = (tx: Tx, change: TicketChange) => Promise<{ ticket: TicketRow; events: TimelineEventRow[] }>;

export interface AutomationInput {
  before: TicketRow | null;
  after: TicketRow;
  events: readonly TimelineEventRow[];
  origin: ChangeOrigin;
  at: Date;
  /** An idle timer ran out after this many business hours (no change: `before` is `after`, no events). */
  idleHours?: number;
  /** The start of that idle stretch (the timer's `since`), recorded with each firing it causes. */
  idleSince?: string;
}

/**
 * The `run_automation` follow-up: the enabled rules, in order, look at the change (core
 * `evaluateRules`), and each that fires makes its own change through the same pipeline, in the
 * same transaction, as Firebreak (no person), its events marked with the rule and its origin
 * naming the chain so far, so the rule never fires on its own change and a chain stops at
 * MAX_AUTOMATION_DEPTH (recorded on the timeline, with the rules it stopped).
 *
 * Why in the transaction rather than a job after it: the rule sees exactly the change that set it
 * off (a job would read a ticket other changes may have moved since), and a new portal ticket is
 * routed and answered in the same commit that creates it. A firing that is refused (an assignee
 * no longer on the desk, a closed ticket) runs in a savepoint and is rolled back alone: the
 * person's change still commits, with a note saying what the rule could not do.
 */
export async function runAutomationRules(
  tx: Tx,
  input: AutomationInput,
  apply: ApplyTicketChange,
  cache?: ConfigCache,
): Promise<TicketRow | null> {
  const rows = await readConfig(cache, 'automation_rules', 'enabled_automation_rules', () => listEnabledAutomationRules(tx));
  if (rows.length === 0) return null;
  const rules = await withoutRefusedPatterns(tx, rows.map(ruleOf), input.at, cache);
  if (rules.length === 0) return null;
  if (input.idleHours === undefined) {
    await armIdleTimers(tx, rules, { created: input.before === null, after: input.after, events: input.events, at: input.at });
  }
  const lineage = await lineageFor(tx, rules, input.before, input.after);
  const organisation = await requesterOrganisationFor(tx, rules, input.after.requesterId);
  const evaluation = evaluateRules(rules, {
    before: input.before && automationTicketOf(input.before, lineage.before, organisation),
    after: automationTicketOf(input.after, lineage.after, organisation),
    events: input.events.map((e) => ({ type: e.type, internal: e.internal, actorId: e.actorId, data: e.data })),
    origin: input.origin,
    context: await conditionContextFor(tx, rules, input.at),
    idleHours: input.idleHours,
  });
  if (evaluation.stopped) {
    const names = rows.filter((r) => evaluation.stopped?.ruleIds.includes(r.id)).map((r) => `“${r.name}”`);
    await apply(tx, {
      before: await lockedTicket(tx, input.after.id),
      patch: {},
      bumpsVersion: false,
      actor: null,
      at: input.at,
      silent: 'automation_note',
      events: [
        {
          type: 'automation_ran',
          internal: true,
          body: `Not run: ${names.join(', ')} — ${evaluation.stopped.reason}.`,
          data: { stoppedRuleIds: evaluation.stopped.ruleIds, reason: evaluation.stopped.reason },
        },
      ],
    });
    return null;
  }
  let latest: TicketRow | null = null;
  for (const firing of evaluation.firings) latest = (await fire(tx, firing, input, apply, cache)) ?? latest;
  return latest;
}

/**
 * The rules to run, less any whose pattern is now refused (saved before a stricter check): such a
 * rule would silently never match, so it is switched off with the reason, for the admin to see and
 * rewrite, as a rule naming something gone is. Rules are rarely refused, so this costs nothing
 * but the check of each pattern on the rules already loaded.
 */
async function withoutRefusedPatterns(tx: Tx, rules: AutomationRule[], at: Date, cache?: ConfigCache): Promise<AutomationRule[]> {
  const kept: AutomationRule[] = [];
  for (const rule of rules) {
    const refused = refusedPatternsOf(rule.conditions);
    if (refused.length === 0) {
      kept.push(rule);
      continue;
    }
    const why = refused.map((r) => `the pattern “${r.pattern}” ${r.message}`).join('; ');
    await disableAutomationRule(tx, rule.id, `switched off by Firebreak: ${why}`, at);
    cache?.changed('automation_rules'); // and again when the commit is announced
  }
  return kept;
}

/** Carries out one firing; the ticket as it then is, or null when the rule could not run. */
async function fire(
  tx: Tx,
  firing: Firing,
  input: AutomationInput,
  apply: ApplyTicketChange,
  cache?: ConfigCache,
): Promise<TicketRow | null> {
  const { rule } = firing;
  const broken = await brokenReferences(tx, rule.conditions, rule.actions);
  if (broken.length > 0) {
    const reason = `switched off by Firebreak: ${broken.map((b) => `${b.field} ${b.message}`).join('; ')}`;
    await disableAutomationRule(tx, rule.id, reason, input.at);
    cache?.changed('automation_rules'); // and again when the commit is announced
    await note(tx, apply, input, rule, `“${rule.name}” did not run and was ${reason}.`);
    return null;
  }
  try {
    // A savepoint: a refused firing leaves the change that set it off, and earlier firings, as they were.
    return await tx.transaction(async (sp) => {
      const ticket = await lockedTicket(sp, input.after.id);
      const { events, patch, summary, notifyIds } = await changeOf(sp, ticket, firing, input.at);
      const marked: ChangeEvent[] = events.map((e) => ({
        ...e,
        data: { ...(e.data ?? {}), automation: { ruleId: rule.id, ruleName: rule.name } },
      }));
      marked.push({
        type: 'automation_ran',
        internal: true,
        body: summary.length > 0 ? `${summary.join('; ')}.` : 'Nothing to change.',
        // depth: 1 when a person's (or a job's) change set the rule off, 2 when another rule's did, …
        data: {
          ruleId: rule.id,
          ruleName: rule.name,
          notifyUserIds: notifyIds,
          depth: input.origin.firedBy.length + 1,
          automation: { ruleId: rule.id, ruleName: rule.name },
          // Which idle stretch set it off: a stretch fires once, even if its timer is armed again.
          ...(input.idleHours !== undefined ? { idle: { hours: input.idleHours, since: input.idleSince } } : {}),
        },
      });
      const origin = { firedBy: [...input.origin.firedBy, rule.id] };
      const { ticket: saved, events: written } = await apply(sp, {
        before: ticket,
        patch,
        actor: null,
        at: input.at,
        events: marked,
        automation: origin,
      });
      return await afterwards(sp, saved, written, firing, origin, input.at, apply);
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await note(tx, apply, input, rule, `“${rule.name}” could not run: ${error.message}`);
    return null;
  }
}

/**
 * What a firing does after its own change, in the same savepoint: the problem's side of a link,
 * pages, fair assignment (`assignFairly`, after the rule's own team is set), and the firing sent
 * to webhooks. Each is a change of its own, marked with the rule's chain.
 */
async function afterwards(
  tx: Tx,
  ticket: TicketRow,
  written: readonly TimelineEventRow[],
  firing: Firing,
  origin: ChangeOrigin,
  at: Date,
  apply: ApplyTicketChange,
): Promise<TicketRow> {
  const plan = planOf(firing.actions);
  for (const problemId of plan.problemIds) {
    const problem = await lockTicket(tx, problemId);
    if (problem && ticket.problemId === problem.id) {
      await apply(tx, { before: problem, patch: {}, actor: null, at, events: [linkEvent('linked', problem, ticket)], automation: origin });
    }
  }
  for (const page of plan.pages) {
    const policy = await findEscalationPolicyById(tx, page.escalationPolicyId);
    if (!policy) throw new AppError('unprocessable', 'its escalation policy is gone');
    const refusal = refuseIncidentResponse(ticket, 'page');
    if (refusal) throw new AppError('illegal_transition', refusal);
    if (!OPEN_STATES.includes(ticket.state))
      throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: only open tickets are paged for`);
    await triggerPage(tx, ticket, policy, page.message, null, at);
  }
  let latest = ticket;
  if (plan.assignFairly) {
    const deps = { db: tx, clock: { now: () => at } };
    const strategy = plan.assignFairly.strategy ?? undefined;
    latest = (await assignFairly(deps, null, ticket.id, { strategy, automation: origin })).ticket;
  }
  const ran = written.find((e) => e.type === 'automation_ran');
  for (const webhookId of plan.webhookIds) {
    const hook = await findWebhookById(tx, webhookId);
    if (hook && ran) await enqueueWebhookDelivery(tx, hook, latest, ran, at);
  }
  return latest;
}

/** The events and patch of one firing, and what it did in words (names, not ids). */
async function changeOf(tx: Tx, ticket: TicketRow, firing: Firing, at: Date) {
  const plan = planOf(firing.actions);
  const final = ticket.state === 'closed' || ticket.state === 'cancelled';
  if (final) throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: rules do not change a final ticket`);
  const planned = await planTicketUpdate(tx, ticket, plan.patch, at);
  const patch: Partial<TicketRow> = { ...planned.patch };
  const events = planned.events;
  const done: string[] = [];
  for (const problemId of plan.problemIds) {
    const problem = await lockTicket(tx, problemId);
    if (!problem) throw new AppError('unprocessable', 'its problem is gone');
    const refusal = refuseProblemLink(problem, ticket, 'problemId');
    if (refusal) throw new AppError(refusal.status, refusal.message);
    if (ticket.problemId === problem.id) continue;
    patch.problemId = problem.id;
    events.push(linkEvent('linked', problem, ticket));
    done.push(`linked to problem ${problem.number}`);
  }
  for (const page of plan.pages) {
    const policy = await findEscalationPolicyById(tx, page.escalationPolicyId);
    done.push(`paged ${policy?.name ?? 'an escalation policy'}`);
  }
  if (plan.assignFairly) done.push('assigned fairly within the team');
  for (const webhookId of plan.webhookIds)
    done.push(`sent to the webhook ${(await findWebhookById(tx, webhookId))?.name ?? 'that was removed'}`);
  const ids = [...Object.values(plan.patch).filter((v): v is string => typeof v === 'string'), ...plan.followerIds, ...plan.notifyIds];
  const names = await namesByIds(tx, [...new Set(ids)]);
  const nameOf = (id: string) => names.get(id) ?? 'someone';
  const summary: string[] = [];
  if (plan.patch.teamId) summary.push(`assigned team ${nameOf(plan.patch.teamId)}`);
  if (plan.patch.assigneeId) summary.push(`assigned ${nameOf(plan.patch.assigneeId)}`);
  for (const field of ['impact', 'urgency'] as const) if (plan.patch[field]) summary.push(`set ${field} ${plan.patch[field]}`);
  if (plan.patch.serviceId) summary.push(`set service ${nameOf(plan.patch.serviceId)}`);
  if (plan.patch.categoryId) summary.push(`set category ${nameOf(plan.patch.categoryId)}`);
  for (const replyId of plan.cannedReplyIds) {
    const reply = await findCannedReply(tx, replyId);
    if (!reply) continue;
    const internal = reply.visibility === 'internal';
    events.push({ type: internal ? 'work_note' : 'comment', internal, body: await renderForAutomation(tx, ticket, reply.body) });
    summary.push(`${internal ? 'added the work note' : 'replied with'} “${reply.name}”`);
  }
  for (const userId of plan.followerIds) await addFollower(tx, ticket.id, userId, at);
  if (plan.followerIds.length > 0) summary.push(`added followers ${plan.followerIds.map(nameOf).join(', ')}`);
  if (plan.notifyIds.length > 0) summary.push(`notified ${plan.notifyIds.map(nameOf).join(', ')}`);
  summary.push(...done);
  return { patch, events, summary, notifyIds: plan.notifyIds };
}

/** A canned reply's variables filled for this ticket; the desk signs, as no person wrote it. */
export async function renderForAutomation(db: Db, ticket: TicketRow, body: string): Promise<string> {
  const [requester, service] = await Promise.all([
    findUserById(db, ticket.requesterId),
    ticket.serviceId ? findServiceById(db, ticket.serviceId) : undefined,
  ]);
  const values: Record<CannedReplyVariable, string> = {
    requester_name: requester?.name ?? 'there',
    ticket_number: ticket.number,
    ticket_title: ticket.title,
    service: service?.name ?? 'the service',
    due: formatDueFor(ticket.slaDueAt, requester?.timeZone ?? 'UTC'),
    agent_name: 'the service desk',
  };
  return renderCannedReply(body, values);
}

async function note(tx: Tx, apply: ApplyTicketChange, input: AutomationInput, rule: AutomationRule, body: string): Promise<void> {
  await apply(tx, {
    before: await lockedTicket(tx, input.after.id),
    patch: {},
    bumpsVersion: false,
    actor: null,
    at: input.at,
    silent: 'automation_note',
    events: [
      {
        type: 'automation_ran',
        internal: true,
        body,
        data: { ruleId: rule.id, ruleName: rule.name, failed: true, automation: { ruleId: rule.id, ruleName: rule.name } },
      },
    ],
  });
}

async function lockedTicket(tx: Tx, id: string): Promise<TicketRow> {
  const ticket = await lockTicket(tx, id);
  if (!ticket) throw new Error(`ticket ${id} vanished inside its own change`);
  return ticket;
}

/** The services the ticket's service is a component of, read only when some rule tests a service. */
async function lineageFor(tx: Tx, rules: AutomationRule[], before: TicketRow | null, after: TicketRow) {
  const needed = rules.some((r) => r.conditions.some((c) => (c.op === 'in' || c.op === 'not_in') && c.field === 'service'));
  const of = async (serviceId: string | null) => (needed && serviceId ? listServiceAncestorIds(tx, serviceId) : []);
  const afterLineage = await of(after.serviceId);
  return { before: before?.serviceId === after.serviceId ? afterLineage : await of(before?.serviceId ?? null), after: afterLineage };
}

export function ruleOf(row: AutomationRuleRow): AutomationRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    stopAfterMatch: row.stopAfterMatch,
    trigger: row.trigger,
    conditions: row.conditions,
    actions: row.actions,
  };
}

/** The requester's organisation, read only when some rule tests it. */
export async function requesterOrganisationFor(db: Db, rules: readonly AutomationRule[], requesterId: string): Promise<string | null> {
  const needed = rules.some((r) => r.conditions.some((c) => (c.op === 'in' || c.op === 'not_in') && c.field === 'organisation'));
  return needed ? ((await findUserById(db, requesterId))?.organisation ?? null) : null;
}

/** The moment of the change and the business calendars the rules' working-hours conditions name. */
export async function conditionContextFor(db: Db, rules: readonly AutomationRule[], at: Date): Promise<ConditionContext> {
  const ids = new Set(rules.flatMap((r) => r.conditions.flatMap((c) => (c.op === 'working_hours' ? [c.calendarId] : []))));
  const calendars = new Map<string, BusinessCalendar>();
  for (const id of ids) {
    const row = await findCalendarById(db, id);
    if (row) calendars.set(id, { timeZone: row.timeZone, week: row.week, holidays: row.holidays });
  }
  return { at, calendars };
}

export function automationTicketOf(
  t: TicketRow,
  serviceLineage: readonly string[],
  requesterOrganisation: string | null = null,
): AutomationTicket {
  return {
    kind: t.kind,
    state: t.state,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    serviceId: t.serviceId,
    categoryId: t.categoryId,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    channel: t.channel,
    requesterId: t.requesterId,
    title: t.title,
    description: t.description,
    serviceLineage,
    requesterOrganisation,
  };
}
