import type { z } from 'zod';
import { conditionHolds } from '../../../core/automation/evaluate.js';
import { audienceOf, fieldChangesOf, planOf } from '../../../core/automation/plan.js';
import type { AutomationAction, AutomationCondition, AutomationTrigger } from '../../../core/automation/rules.js';
import { refusedPatternsOf } from '../../../core/automation/text-match.js';
import {
  type AutomationDryRunBody,
  type AutomationDryRunResult,
  MAX_RULE_RECIPIENTS,
  type SaveAutomationRule,
} from '../../../core/contracts/automation.js';
import { AppError, notFound } from '../../../core/errors.js';
import { STRATEGY_LABELS } from '../../../core/fair-assignment.js';
import { type Actor, isAdmin } from '../../../core/permissions.js';
import type { Db, Tx } from '../db/client.js';
import {
  type AutomationRuleRow,
  deleteAutomationRule,
  findAutomationRule,
  insertAutomationRule,
  listAutomationRules,
  listServiceAncestorIds,
  listTicketsForDryRun,
  setAutomationRuleOrder,
  updateAutomationRule,
} from '../repositories/automation.repository.js';
import { findCannedReply } from '../repositories/canned-replies.repository.js';
import { namesByIds } from '../repositories/names.repository.js';
import { findEscalationPolicyById } from '../repositories/on-call.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { findWebhookById } from '../repositories/webhooks.repository.js';
import { startIdleSweep } from './automation-idle-sweep.service.js';
import { brokenReferences } from './automation-references.js';
import { automationTicketOf, conditionContextFor, renderForAutomation, requesterOrganisationFor } from './automation-run.service.js';
import { changingConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';

type SaveInput = z.infer<typeof SaveAutomationRule>;
export interface AutomationRuleView {
  rule: AutomationRuleRow;
  updatedByName: string | null;
}

/** Automation is configuration of the whole desk: admins only, whichever door they come in by. */
function mustBeAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins manage automation rules');
}

export async function listRules(deps: ServiceDeps, actor: Actor): Promise<AutomationRuleView[]> {
  mustBeAdmin(actor);
  return views(deps.db, await listAutomationRules(deps.db));
}

export async function getRule(deps: ServiceDeps, actor: Actor, id: string): Promise<AutomationRuleView> {
  mustBeAdmin(actor);
  const rule = await findAutomationRule(deps.db, id);
  if (!rule) throw notFound('automation rule');
  return (await views(deps.db, [rule]))[0];
}

export async function createRule(deps: ServiceDeps, actor: Actor, input: SaveInput): Promise<AutomationRuleView> {
  mustBeAdmin(actor);
  return changingConfig(deps.configCache, 'automation_rules', () =>
    deps.db.transaction(async (tx) => {
      await checkRule(tx, input);
      const now = deps.clock.now();
      const saved = await insertAutomationRule(tx, { ...rowOf(input), createdAt: now, updatedAt: now, updatedById: actor.id });
      await sweepIfNewlyIdle(tx, null, saved, now);
      return (await views(tx, [saved]))[0];
    }),
  );
}

/** Saves the whole rule (enabling and disabling too); a rule Firebreak switched off loses its reason when saved. */
export async function updateRule(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: SaveInput,
  expectedVersion?: number,
): Promise<AutomationRuleView> {
  mustBeAdmin(actor);
  return changingConfig(deps.configCache, 'automation_rules', () =>
    deps.db.transaction(async (tx) => {
      const current = await findAutomationRule(tx, id);
      if (!current) throw notFound('automation rule');
      if (expectedVersion !== undefined && expectedVersion !== current.version) throw stale(current, expectedVersion);
      await checkRule(tx, input);
      const now = deps.clock.now();
      const saved = await updateAutomationRule(tx, id, current.version, {
        ...rowOf(input),
        disabledReason: null,
        updatedAt: now,
        updatedById: actor.id,
      });
      if (!saved) throw stale(current, expectedVersion ?? current.version);
      await sweepIfNewlyIdle(tx, current, saved, now);
      return (await views(tx, [saved]))[0];
    }),
  );
}

/**
 * An enabled "idle for N business hours" rule that was not one before (new, switched on, another
 * trigger, or another N): open tickets already quiet get their timer for N by a sweep job.
 */
async function sweepIfNewlyIdle(tx: Tx, before: AutomationRuleRow | null, after: AutomationRuleRow, at: Date): Promise<void> {
  const hours = idleHoursOf(after);
  if (hours === null || (before && idleHoursOf(before) === hours)) return;
  await startIdleSweep(tx, hours, at);
}

function idleHoursOf(rule: AutomationRuleRow): number | null {
  return rule.enabled && rule.trigger.on === 'idle' && rule.trigger.hours ? rule.trigger.hours : null;
}

export async function removeRule(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  mustBeAdmin(actor);
  if (!(await findAutomationRule(deps.db, id))) throw notFound('automation rule');
  await changingConfig(deps.configCache, 'automation_rules', () => deleteAutomationRule(deps.db, id));
}

/** The order rules run in: every rule, each once. */
export async function reorderRules(deps: ServiceDeps, actor: Actor, ids: string[]): Promise<AutomationRuleView[]> {
  mustBeAdmin(actor);
  return changingConfig(deps.configCache, 'automation_rules', () =>
    deps.db.transaction(async (tx) => {
      const all = await listAutomationRules(tx);
      const known = new Set(all.map((r) => r.id));
      if (ids.length !== all.length || new Set(ids).size !== ids.length || ids.some((id) => !known.has(id))) {
        throw new AppError('validation_failed', 'ids: must list every automation rule once', {
          errors: [{ field: 'ids', message: `must list each of the ${all.length} rules once` }],
        });
      }
      await setAutomationRuleOrder(tx, ids);
      return views(tx, await listAutomationRules(tx));
    }),
  );
}

const DRY_RUN_NOTE =
  'Each ticket is taken as it is now, as if the trigger had just happened to it: the conditions decide whether the rule would match.';

/**
 * A rule (saved, or the form's draft) against the newest `last` tickets, optionally opened in a
 * period: which would match and what would change — field by field with names, the replies as
 * they would read, the followers and people notified. Reads only: nothing is written.
 */
export async function dryRunRule(
  deps: ServiceDeps,
  actor: Actor,
  input: z.infer<typeof AutomationDryRunBody>,
): Promise<z.input<typeof AutomationDryRunResult>> {
  mustBeAdmin(actor);
  const db = deps.db;
  const rule = input.rule ? input.rule : await savedRule(db, input.ruleId as string);
  if (input.rule) await checkRule(db, input.rule);
  const tickets = await listTicketsForDryRun(db, {
    limit: input.last,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
  });
  const byService = rule.conditions.some((c) => (c.op === 'in' || c.op === 'not_in') && c.field === 'service');
  const lineages = new Map<string, string[]>();
  const asRules = [{ ...rule, id: 'draft', enabled: true, stopAfterMatch: false }];
  // A dry run asks "had it happened now": working hours are read at this moment.
  const context = await conditionContextFor(db, asRules, deps.clock.now());
  const matching = [];
  for (const ticket of tickets) {
    let lineage: string[] = [];
    if (byService && ticket.serviceId) {
      lineage = lineages.get(ticket.serviceId) ?? (await listServiceAncestorIds(db, ticket.serviceId));
      lineages.set(ticket.serviceId, lineage);
    }
    const facts = automationTicketOf(ticket, lineage, await requesterOrganisationFor(db, asRules, ticket.requesterId));
    if (rule.conditions.every((c) => conditionHolds(c, facts, context))) matching.push(ticket);
  }
  const plan = planOf(rule.actions);
  const replies = [];
  for (const id of plan.cannedReplyIds) {
    const reply = await findCannedReply(db, id);
    if (reply) replies.push(reply);
  }
  const ids = new Set<string>([...plan.followerIds, ...plan.notifyIds]);
  for (const t of matching) {
    for (const c of fieldChangesOf(plan.patch, t)) for (const v of [c.from, c.to]) if (typeof v === 'string') ids.add(v);
  }
  const names = await namesByIds(db, [...ids]);
  const also = await alsoOf(db, plan);
  const nameOf = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? (names.get(v) ?? v) : String(v));
  const items = [];
  for (const t of matching) {
    items.push({
      ticket: { id: t.id, number: t.number, title: t.title, state: t.state },
      changes: fieldChangesOf(plan.patch, t).map((c) => ({
        field: c.field,
        label: FIELD_LABELS[c.field],
        from: nameOf(c.from),
        to: nameOf(c.to),
      })),
      replies: await Promise.all(
        replies.map(async (r) => ({ name: r.name, visibility: r.visibility, body: await renderForAutomation(db, t, r.body) })),
      ),
      followers: plan.followerIds.map((id) => names.get(id) ?? id),
      notified: plan.notifyIds.map((id) => names.get(id) ?? id),
      also,
    });
  }
  return { examined: tickets.length, matched: matching.length, note: DRY_RUN_NOTE, items };
}

/** The actions a dry run cannot show as field changes, in words with names. */
async function alsoOf(db: Db, plan: ReturnType<typeof planOf>): Promise<string[]> {
  const also: string[] = [];
  if (plan.assignFairly) {
    const how = plan.assignFairly.strategy ? STRATEGY_LABELS[plan.assignFairly.strategy] : "the team's own way";
    also.push(`Assign fairly within the team (${how})`);
  }
  for (const id of plan.problemIds) {
    const problem = await findTicketById(db, id);
    also.push(`Link to problem ${problem ? `${problem.number} ${problem.title}` : '(gone)'}`);
  }
  for (const page of plan.pages)
    also.push(`Page ${(await findEscalationPolicyById(db, page.escalationPolicyId))?.name ?? '(gone)'}: “${page.message}”`);
  for (const id of plan.webhookIds) also.push(`Send to the webhook ${(await findWebhookById(db, id))?.name ?? '(gone)'}`);
  return also;
}

const FIELD_LABELS = {
  impact: 'Impact',
  urgency: 'Urgency',
  serviceId: 'Service',
  categoryId: 'Category',
  teamId: 'Team',
  assigneeId: 'Assignee',
} as const;

async function savedRule(db: Db, id: string) {
  const rule = await findAutomationRule(db, id);
  if (!rule) throw notFound('automation rule');
  return rule;
}

/** What the contract cannot see: patterns that could run away, and ids that name nothing usable. */
async function checkRule(
  db: Db,
  input: { conditions: AutomationCondition[]; actions: AutomationAction[]; confirmLargeAudience?: boolean },
): Promise<void> {
  const errors: { field: string; message: string }[] = [];
  for (const refused of refusedPatternsOf(input.conditions))
    errors.push({ field: `conditions.${refused.index}.pattern`, message: refused.message });
  errors.push(...(await brokenReferences(db, input.conditions, input.actions)));
  if (errors.length > 0) {
    throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  const audience = audienceOf(input.actions).length;
  if (audience > MAX_RULE_RECIPIENTS && !input.confirmLargeAudience) {
    // Not a refusal: the admin is asked to confirm, and the same rule with the flag is saved.
    const message = `would tell ${audience} people (notified or made followers) each time it fires; send confirmLargeAudience: true to save it anyway`;
    throw new AppError('unprocessable', `confirmLargeAudience: ${message}`, {
      errors: [{ field: 'confirmLargeAudience', message }],
      extra: { audience, confirmationRequired: true },
    });
  }
}

function rowOf(input: SaveInput) {
  return {
    name: input.name,
    enabled: input.enabled,
    stopAfterMatch: input.stopAfterMatch,
    trigger: input.trigger as AutomationTrigger,
    conditions: input.conditions as AutomationCondition[],
    actions: input.actions as AutomationAction[],
  };
}

function stale(current: AutomationRuleRow, expected: number): AppError {
  return new AppError(
    'stale_version',
    `“${current.name}” was saved since you loaded it (you have version ${expected}, it is now at ${current.version}). Reload it and try again.`,
    { extra: { currentVersion: current.version } },
  );
}

async function views(db: Db, rows: AutomationRuleRow[]): Promise<AutomationRuleView[]> {
  const names = await namesByIds(db, [...new Set(rows.map((r) => r.updatedById).filter((x): x is string => !!x))]);
  return rows.map((rule) => ({ rule, updatedByName: rule.updatedById ? (names.get(rule.updatedById) ?? null) : null }));
}
