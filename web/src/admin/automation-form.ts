import type { AutomationAction, AutomationCondition, AutomationTrigger } from '../../../core/automation/rules';
import type { AssignmentStrategy } from '../../../core/fair-assignment';
import type { AutomationRuleT, SaveAutomationRuleIn } from '../api/endpoints/automation';

/**
 * The Admin › Automation form's values: the common shape of a rule as choices a person makes
 * (a service, priorities, a team…). Conditions and actions the form does not offer (written
 * through the API) are kept as they are in `extraConditions` / `extraActions` and saved again.
 */
export interface RuleForm {
  name: string;
  enabled: boolean;
  stopAfterMatch: boolean;
  trigger: AutomationTrigger['on'];
  watchedField: NonNullable<AutomationTrigger['field']>;
  /** For the idle trigger: business hours without a reply or work note. */
  idleHours: string;
  serviceId: string;
  kind: string;
  channel: string;
  teamIs: string;
  priorities: number[];
  contains: string;
  matches: string;
  assignTeamId: string;
  assignAssigneeId: string;
  cannedReplyId: string;
  followerId: string;
  notifyId: string;
  /** The requester's organisation, as profiles spell it (case and surrounding spaces ignored). */
  organisation: string;
  /** A business calendar whose working hours the change must fall inside (or outside) of. */
  hoursCalendarId: string;
  hoursInside: boolean;
  /** '' no fair assignment; 'team': the team's own way (round robin when it has none); or a strategy. */
  assignFairly: '' | 'team' | AssignmentStrategy;
  problemId: string;
  pagePolicyId: string;
  pageMessage: string;
  webhookId: string;
  extraConditions: AutomationCondition[];
  extraActions: AutomationAction[];
}

export const EMPTY_FORM: RuleForm = {
  name: '',
  enabled: false,
  stopAfterMatch: false,
  trigger: 'created',
  watchedField: 'priority',
  idleHours: '8',
  serviceId: '',
  kind: '',
  channel: '',
  teamIs: '',
  priorities: [],
  contains: '',
  matches: '',
  assignTeamId: '',
  assignAssigneeId: '',
  cannedReplyId: '',
  followerId: '',
  notifyId: '',
  organisation: '',
  hoursCalendarId: '',
  hoursInside: false,
  assignFairly: '',
  problemId: '',
  pagePolicyId: '',
  pageMessage: '',
  webhookId: '',
  extraConditions: [],
  extraActions: [],
};

const ONE_VALUE_FIELDS = { service: 'serviceId', kind: 'kind', channel: 'channel', team: 'teamIs', organisation: 'organisation' } as const;

/** A saved rule as the form shows it. */
export function formOf(rule: AutomationRuleT): RuleForm {
  const form: RuleForm = { ...EMPTY_FORM, extraConditions: [], extraActions: [] };
  form.name = rule.name;
  form.enabled = rule.enabled;
  form.stopAfterMatch = rule.stopAfterMatch;
  const trigger = rule.trigger as unknown as AutomationTrigger;
  form.trigger = trigger.on;
  if (trigger.field) form.watchedField = trigger.field;
  if (trigger.hours) form.idleHours = String(trigger.hours);
  for (const c of rule.conditions as unknown as AutomationCondition[]) {
    if (c.op === 'contains' && !form.contains) form.contains = c.text;
    else if (c.op === 'matches' && !form.matches) form.matches = c.pattern;
    else if (c.op === 'in' && c.field === 'priority' && form.priorities.length === 0) form.priorities = c.values.map(Number);
    else if (c.op === 'working_hours' && !form.hoursCalendarId) {
      form.hoursCalendarId = c.calendarId;
      form.hoursInside = c.inside;
    } else if (c.op === 'in' && c.field in ONE_VALUE_FIELDS && c.values.length === 1 && typeof c.values[0] === 'string') {
      const key = ONE_VALUE_FIELDS[c.field as keyof typeof ONE_VALUE_FIELDS];
      if (form[key]) form.extraConditions.push(c);
      else form[key] = c.values[0];
    } else form.extraConditions.push(c);
  }
  for (const a of rule.actions as unknown as AutomationAction[]) {
    if (a.type === 'assign' && !form.assignTeamId && !form.assignAssigneeId) {
      form.assignTeamId = a.teamId ?? '';
      form.assignAssigneeId = a.assigneeId ?? '';
    } else if (a.type === 'reply' && !form.cannedReplyId) form.cannedReplyId = a.cannedReplyId;
    else if (a.type === 'add_followers' && !form.followerId && a.userIds.length === 1) form.followerId = a.userIds[0];
    else if (a.type === 'notify' && !form.notifyId && a.userIds.length === 1) form.notifyId = a.userIds[0];
    else if (a.type === 'assign_fairly' && !form.assignFairly) form.assignFairly = a.strategy ?? 'team';
    else if (a.type === 'link_problem' && !form.problemId) form.problemId = a.problemId;
    else if (a.type === 'page' && !form.pagePolicyId) {
      form.pagePolicyId = a.escalationPolicyId;
      form.pageMessage = a.message;
    } else if (a.type === 'webhook' && !form.webhookId) form.webhookId = a.webhookId;
    else form.extraActions.push(a);
  }
  return form;
}

/** What the form saves (and dry-runs). */
export function ruleOf(form: RuleForm): SaveAutomationRuleIn {
  const conditions: AutomationCondition[] = [];
  for (const [field, key] of Object.entries(ONE_VALUE_FIELDS) as [
    keyof typeof ONE_VALUE_FIELDS,
    (typeof ONE_VALUE_FIELDS)[keyof typeof ONE_VALUE_FIELDS],
  ][]) {
    if (form[key]) conditions.push({ op: 'in', field, values: [form[key]] });
  }
  if (form.priorities.length > 0) conditions.push({ op: 'in', field: 'priority', values: [...form.priorities].sort() });
  if (form.contains.trim()) conditions.push({ op: 'contains', text: form.contains.trim() });
  if (form.matches) conditions.push({ op: 'matches', pattern: form.matches });
  if (form.hoursCalendarId) conditions.push({ op: 'working_hours', calendarId: form.hoursCalendarId, inside: form.hoursInside });
  const actions: AutomationAction[] = [];
  if (form.assignTeamId || form.assignAssigneeId) {
    actions.push({
      type: 'assign',
      ...(form.assignTeamId ? { teamId: form.assignTeamId } : {}),
      ...(form.assignAssigneeId ? { assigneeId: form.assignAssigneeId } : {}),
    });
  }
  if (form.cannedReplyId) actions.push({ type: 'reply', cannedReplyId: form.cannedReplyId });
  if (form.followerId) actions.push({ type: 'add_followers', userIds: [form.followerId] });
  if (form.notifyId) actions.push({ type: 'notify', userIds: [form.notifyId] });
  if (form.assignFairly) actions.push({ type: 'assign_fairly', ...(form.assignFairly === 'team' ? {} : { strategy: form.assignFairly }) });
  if (form.problemId) actions.push({ type: 'link_problem', problemId: form.problemId });
  if (form.pagePolicyId) actions.push({ type: 'page', escalationPolicyId: form.pagePolicyId, message: form.pageMessage });
  if (form.webhookId) actions.push({ type: 'webhook', webhookId: form.webhookId });
  return {
    name: form.name,
    enabled: form.enabled,
    stopAfterMatch: form.stopAfterMatch,
    trigger:
      form.trigger === 'field_changed'
        ? { on: 'field_changed', field: form.watchedField }
        : form.trigger === 'idle'
          ? { on: 'idle', hours: Number(form.idleHours) }
          : { on: form.trigger },
    conditions: [...conditions, ...form.extraConditions],
    actions: [...actions, ...form.extraActions],
  };
}

/** The server names fields by their place in the saved rule; the form shows them by its own. */
export function formFieldOf(path: string, saved: SaveAutomationRuleIn): string | null {
  const [list, index] = path.split('.');
  const i = Number(index);
  if (list === 'name') return 'name';
  if (path === 'trigger.hours') return 'idleHours';
  if (list === 'conditions') {
    const c = saved.conditions?.[i];
    if (!c) return null;
    if (c.op === 'matches') return 'matches';
    if (c.op === 'contains') return 'contains';
    if (c.op === 'working_hours') return 'hoursCalendarId';
    if (c.field === 'priority') return 'priorities';
    return ONE_VALUE_FIELDS[c.field as keyof typeof ONE_VALUE_FIELDS] ?? null;
  }
  if (list === 'actions') {
    const a = saved.actions[i];
    if (!a) return null;
    if (a.type === 'assign') return path.endsWith('assigneeId') ? 'assignAssigneeId' : 'assignTeamId';
    if (a.type === 'reply') return 'cannedReplyId';
    if (a.type === 'add_followers') return 'followerId';
    if (a.type === 'notify') return 'notifyId';
    if (a.type === 'assign_fairly') return 'assignFairly';
    if (a.type === 'link_problem') return 'problemId';
    if (a.type === 'page') return path.endsWith('message') ? 'pageMessage' : 'pagePolicyId';
    if (a.type === 'webhook') return 'webhookId';
  }
  return null;
}
