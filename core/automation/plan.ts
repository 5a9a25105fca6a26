import type { AssignmentStrategy } from '../fair-assignment.js';
import type { AutomationAction, AutomationCondition, ConditionField } from './rules.js';

/** The fields a rule may set on a ticket (through the same update a person's edit goes through). */
export interface AutomationFieldPatch {
  impact?: 1 | 2 | 3;
  urgency?: 1 | 2 | 3;
  serviceId?: string;
  categoryId?: string;
  teamId?: string;
  assigneeId?: string;
}

/** What a firing does, gathered from its actions in order (a later action's value wins). */
export interface AutomationPlan {
  patch: AutomationFieldPatch;
  cannedReplyIds: string[];
  followerIds: string[];
  notifyIds: string[];
  /** Set when an `assign_fairly` action asks for it: the strategy named, or null for the team's own. */
  assignFairly: { strategy: AssignmentStrategy | null } | null;
  problemIds: string[];
  pages: { escalationPolicyId: string; message: string }[];
  webhookIds: string[];
}

export function planOf(actions: readonly AutomationAction[]): AutomationPlan {
  const plan: AutomationPlan = {
    patch: {},
    cannedReplyIds: [],
    followerIds: [],
    notifyIds: [],
    assignFairly: null,
    problemIds: [],
    pages: [],
    webhookIds: [],
  };
  for (const action of actions) {
    switch (action.type) {
      case 'set_fields': {
        const { type: _, ...fields } = action;
        Object.assign(plan.patch, definedOnly(fields));
        break;
      }
      case 'assign': {
        const { type: _, ...fields } = action;
        Object.assign(plan.patch, definedOnly(fields));
        break;
      }
      case 'reply':
        plan.cannedReplyIds.push(action.cannedReplyId);
        break;
      case 'add_followers':
        addEach(plan.followerIds, action.userIds);
        break;
      case 'notify':
        addEach(plan.notifyIds, action.userIds);
        break;
      case 'assign_fairly':
        plan.assignFairly = { strategy: action.strategy ?? null };
        break;
      case 'link_problem':
        // An incident has one problem: the last named is the one it ends up linked to.
        plan.problemIds = [action.problemId];
        break;
      case 'page':
        plan.pages.push({ escalationPolicyId: action.escalationPolicyId, message: action.message });
        break;
      case 'webhook':
        addEach(plan.webhookIds, [action.webhookId]);
        break;
    }
  }
  return plan;
}

/** The fields of the patch whose value differs from the ticket's: what would change. */
export function fieldChangesOf(
  patch: AutomationFieldPatch,
  ticket: Record<keyof AutomationFieldPatch, unknown>,
): { field: keyof AutomationFieldPatch; from: unknown; to: unknown }[] {
  return (Object.keys(patch) as (keyof AutomationFieldPatch)[])
    .filter((field) => patch[field] !== ticket[field])
    .map((field) => ({ field, from: ticket[field] ?? null, to: patch[field] }));
}

const CONDITION_REFERENCES: Partial<Record<ConditionField, ReferenceKind>> = {
  service: 'service',
  category: 'category',
  team: 'team',
  assignee: 'person',
};

/** Every id a rule names, by what it must be: for checking they exist when saved, and still exist when it runs. */
export function referencesOf(
  conditions: readonly AutomationCondition[],
  actions: readonly AutomationAction[],
): { path: string; kind: ReferenceKind; id: string }[] {
  const refs: { path: string; kind: ReferenceKind; id: string }[] = [];
  conditions.forEach((c, i) => {
    if (c.op === 'working_hours') refs.push({ path: `conditions.${i}.calendarId`, kind: 'calendar', id: c.calendarId });
    const kind = c.op === 'in' || c.op === 'not_in' ? CONDITION_REFERENCES[c.field] : undefined;
    if (!kind || (c.op !== 'in' && c.op !== 'not_in')) return;
    c.values.forEach((id, j) => {
      if (typeof id === 'string') refs.push({ path: `conditions.${i}.values.${j}`, kind, id });
    });
  });
  actions.forEach((a, i) => {
    const at = (field: string) => `actions.${i}.${field}`;
    if (a.type === 'set_fields') {
      if (a.serviceId) refs.push({ path: at('serviceId'), kind: 'service', id: a.serviceId });
      if (a.categoryId) refs.push({ path: at('categoryId'), kind: 'category', id: a.categoryId });
    } else if (a.type === 'assign') {
      if (a.teamId) refs.push({ path: at('teamId'), kind: 'team', id: a.teamId });
      if (a.assigneeId) refs.push({ path: at('assigneeId'), kind: 'agent', id: a.assigneeId });
    } else if (a.type === 'reply') {
      refs.push({ path: at('cannedReplyId'), kind: 'shared_canned_reply', id: a.cannedReplyId });
    } else if (a.type === 'link_problem') {
      refs.push({ path: at('problemId'), kind: 'open_problem', id: a.problemId });
    } else if (a.type === 'page') {
      refs.push({ path: at('escalationPolicyId'), kind: 'escalation_policy', id: a.escalationPolicyId });
    } else if (a.type === 'webhook') {
      refs.push({ path: at('webhookId'), kind: 'webhook', id: a.webhookId });
    } else if (a.type === 'add_followers' || a.type === 'notify') {
      a.userIds.forEach((id, j) => {
        refs.push({ path: at(`userIds.${j}`), kind: 'person', id });
      });
    }
  });
  return refs;
}
export type ReferenceKind =
  | 'service'
  | 'category'
  | 'team'
  | 'agent'
  | 'person'
  | 'shared_canned_reply'
  | 'calendar'
  | 'open_problem'
  | 'escalation_policy'
  | 'webhook';

/**
 * Everyone a rule tells of its firing (notified, or made a follower), each once: what the
 * large-audience confirmation counts.
 */
export function audienceOf(actions: readonly AutomationAction[]): string[] {
  const plan = planOf(actions);
  return [...new Set([...plan.notifyIds, ...plan.followerIds])];
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function addEach(into: string[], ids: readonly string[]): void {
  for (const id of ids) if (!into.includes(id)) into.push(id);
}
