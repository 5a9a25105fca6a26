import { type BusinessCalendar, isWorkingTime } from '../business-calendar.js';
import {
  type AutomationAction,
  type AutomationCondition,
  type AutomationRule,
  type AutomationTrigger,
  type ConditionField,
  MAX_AUTOMATION_DEPTH,
  type RuleValue,
} from './rules.js';
import { matchedText, textContains, textMatches } from './text-match.js';

/** The ticket as rules see it (the row's fields; `serviceLineage`: its service, then the services it is a component of). */
export interface AutomationTicket {
  kind: string;
  state: string;
  priority: number;
  impact: number;
  urgency: number;
  serviceId: string | null;
  categoryId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  channel: string;
  requesterId: string;
  title: string;
  description: string | null;
  serviceLineage?: readonly string[];
  /** The requester's organisation as their profile names it (free text; absent or null: none). */
  requesterOrganisation?: string | null;
}

/**
 * When the change happened and the business calendars its rules' `working_hours` conditions
 * name (read by the service; a calendar missing from the map makes its condition false).
 */
export interface ConditionContext {
  at: Date;
  calendars: ReadonlyMap<string, BusinessCalendar>;
}

/**
 * Where a change came from. A person's or a job's change is `{ firedBy: [] }`; a change that
 * rules made names them, outermost first, so none of them fires again on it and the chain stays
 * shorter than `MAX_AUTOMATION_DEPTH`.
 */
export interface ChangeOrigin {
  firedBy: readonly string[];
}

export interface AutomationChange {
  before: AutomationTicket | null;
  after: AutomationTicket;
  /** The events the change appended (`actorId`: who wrote them; `null` is Firebreak). */
  events: readonly { type: string; internal: boolean; actorId: string | null; data?: Record<string, unknown> | null }[];
  origin: ChangeOrigin;
  /** Absent: no `working_hours` condition holds (nothing says when the change happened). */
  context?: ConditionContext;
  /**
   * Set when this is no change at all but a ticket's idle timer running out after this many
   * business hours: only `idle` rules with that many hours look at it.
   */
  idleHours?: number;
}

export interface Firing {
  rule: AutomationRule;
  actions: AutomationAction[];
}

export interface Evaluation {
  firings: Firing[];
  /** Why rules that would have fired did not: the chain reached its depth. */
  stopped: { reason: string; ruleIds: string[] } | null;
}

/** Whether one rule fires for one change, leaving the chain and order to `evaluateRules`. */
export function ruleFires(rule: AutomationRule, change: AutomationChange): boolean {
  if (!rule.enabled) return false;
  // A closed or cancelled ticket is final: no rule changes it (closing is not an invitation to edit).
  if (FINAL.includes(change.after.state)) return false;
  // A rule never fires on a change it made itself (nor on one its own chain made).
  if (change.origin.firedBy.includes(rule.id)) return false;
  return triggered(rule.trigger, change) && rule.conditions.every((c) => conditionHolds(c, change.after, change.context));
}

/**
 * The rules that fire for one change, in the admins' order: a rule that fires and says "stop after
 * match" ends the list. A change made by a chain already `MAX_AUTOMATION_DEPTH` long fires nothing;
 * the rules it would have fired are named in `stopped` with the reason, for the log and timeline.
 */
export function evaluateRules(rules: readonly AutomationRule[], change: AutomationChange): Evaluation {
  const firings: Firing[] = [];
  for (const rule of rules) {
    if (!ruleFires(rule, change)) continue;
    firings.push({ rule, actions: rule.actions });
    if (rule.stopAfterMatch) break;
  }
  if (change.origin.firedBy.length >= MAX_AUTOMATION_DEPTH && firings.length > 0) {
    return {
      firings: [],
      stopped: {
        reason: `a chain of ${change.origin.firedBy.length} rules stops here (at most ${MAX_AUTOMATION_DEPTH} in a row); the rules that would have run next did not`,
        ruleIds: firings.map((f) => f.rule.id),
      },
    };
  }
  return { firings, stopped: null };
}

function triggered(trigger: AutomationTrigger, { before, after, events, idleHours }: AutomationChange): boolean {
  if (idleHours !== undefined) return trigger.on === 'idle' && trigger.hours === idleHours;
  switch (trigger.on) {
    case 'idle':
      return false;
    case 'created':
      return before === null;
    case 'updated':
      return before !== null;
    case 'field_changed': {
      if (before === null || !trigger.field) return false;
      const from = before[trigger.field] as RuleValue;
      const to = after[trigger.field] as RuleValue;
      if (from === to) return false;
      return (trigger.from === undefined || trigger.from === from) && (trigger.to === undefined || trigger.to === to);
    }
    case 'requester_replied':
      return events.some((e) => e.type === 'comment' && !e.internal && e.actorId === after.requesterId);
    case 'resolved':
      return after.state === 'resolved' && before?.state !== 'resolved';
    case 'sla_warning':
    case 'sla_breached':
      return events.some((e) => e.type === trigger.on);
    case 'reopened':
      return (
        before !== null && (before.state === 'resolved' || before.state === 'closed') && after.state !== before.state && isOpen(after.state)
      );
  }
}

const OPEN = ['new', 'assigned', 'in_progress', 'on_hold'];
const FINAL = ['closed', 'cancelled'];
const isOpen = (state: string) => OPEN.includes(state);

/** Every condition of a rule reads the ticket after the change. */
export function conditionHolds(condition: AutomationCondition, ticket: AutomationTicket, context?: ConditionContext): boolean {
  switch (condition.op) {
    case 'working_hours': {
      const calendar = context?.calendars.get(condition.calendarId);
      if (!context || !calendar) return false;
      return isWorkingTime(calendar, context.at) === condition.inside;
    }
    case 'contains':
      return textContains(matchedText(ticket), condition.text);
    case 'matches':
      return textMatches(matchedText(ticket), condition.pattern);
    case 'in':
      return valuesOf(condition.field, ticket).some((v) => includesValue(condition.field, condition.values, v));
    case 'not_in':
      return !valuesOf(condition.field, ticket).some((v) => includesValue(condition.field, condition.values, v));
  }
}

/** The values a field has for a condition: a service counts as itself and every service it is a component of. */
function valuesOf(field: ConditionField, t: AutomationTicket): RuleValue[] {
  switch (field) {
    case 'kind':
      return [t.kind];
    case 'priority':
      return [t.priority];
    case 'impact':
      return [t.impact];
    case 'urgency':
      return [t.urgency];
    case 'service':
      return t.serviceId === null ? [null] : [t.serviceId, ...(t.serviceLineage ?? [])];
    case 'category':
      return [t.categoryId];
    case 'team':
      return [t.teamId];
    case 'assignee':
      return [t.assigneeId];
    case 'channel':
      return [t.channel];
    case 'organisation':
      return [t.requesterOrganisation?.trim() || null];
  }
}

/** An organisation is typed by people on profiles: "ACME " and "acme" are the same one. */
function includesValue(field: ConditionField, values: readonly RuleValue[], value: RuleValue): boolean {
  if (field !== 'organisation' || typeof value !== 'string') return values.includes(value);
  const wanted = value.toLocaleLowerCase('en');
  return values.some((v) => typeof v === 'string' && v.trim().toLocaleLowerCase('en') === wanted);
}
