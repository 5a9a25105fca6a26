/**
 * Automation rules (issue 18 item 1): when something happens to a ticket (the trigger) and the
 * ticket is as described (every condition holds), do these things (the actions). A rule is data:
 * admins write it, `evaluate.ts` decides whether it fires for one ticket change, the service
 * carries its actions out through the ticket-change pipeline. Pure: no I/O.
 */

import type { AssignmentStrategy } from '../fair-assignment.js';

/** What happened to the ticket. */
export const AUTOMATION_TRIGGERS = [
  'created',
  'updated',
  'field_changed',
  'requester_replied',
  'resolved',
  'reopened',
  // Recorded by the SLA timers (durable jobs) through the same pipeline, so rules hear of them too.
  'sla_warning',
  'sla_breached',
  // A durable timer per ticket (core/automation/idle.ts): no reply or work note for N business hours.
  'idle',
] as const;
export type AutomationTriggerKind = (typeof AUTOMATION_TRIGGERS)[number];

export const TRIGGER_LABELS: Record<AutomationTriggerKind, string> = {
  created: 'A ticket is created',
  updated: 'A ticket is changed',
  field_changed: 'A field changes',
  requester_replied: 'The requester replies publicly',
  resolved: 'A ticket is resolved',
  reopened: 'A ticket is reopened',
  sla_warning: 'An SLA target is close (warning)',
  sla_breached: 'An SLA target is breached',
  idle: 'Nobody has replied or added a work note for some business hours',
};

/** The fields a `field_changed` trigger may watch (the ticket row's names). */
export const WATCHED_FIELDS = ['state', 'priority', 'impact', 'urgency', 'teamId', 'assigneeId', 'serviceId', 'categoryId'] as const;
export type WatchedField = (typeof WATCHED_FIELDS)[number];

/** A field's value as a rule names it: an id, a state, a level; `null` is "none set". */
export type RuleValue = string | number | null;

export interface AutomationTrigger {
  on: AutomationTriggerKind;
  /** Only for `field_changed`: which field, and optionally from / to which value (absent: any). */
  field?: WatchedField;
  from?: RuleValue;
  to?: RuleValue;
  /** Only for `idle`: how many business hours (by the ticket's SLA calendar) without activity. */
  hours?: number;
}

/** The fields a condition may test for membership (`service` also matches the service's components). */
export const CONDITION_FIELDS = [
  'kind',
  'priority',
  'impact',
  'urgency',
  'service',
  'category',
  'team',
  'assignee',
  'channel',
  'organisation',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const CONDITION_FIELD_LABELS: Record<ConditionField, string> = {
  kind: 'Kind',
  priority: 'Priority',
  impact: 'Impact',
  urgency: 'Urgency',
  service: 'Service (or one of its components)',
  category: 'Category',
  team: 'Team',
  assignee: 'Assignee',
  channel: 'Channel',
  organisation: "Requester's organisation",
};

export type AutomationCondition =
  /** The field's value is one of `values` (`null` among them: "or none set"); `not_in`: is none of them. */
  | { op: 'in' | 'not_in'; field: ConditionField; values: RuleValue[] }
  /** Title or description contains the text, ignoring case. */
  | { op: 'contains'; text: string }
  /** Title or description matches the regular expression (case-insensitive; refused when it could backtrack without end). */
  | { op: 'matches'; pattern: string }
  /**
   * The change happened inside (`inside: true`) or outside the working hours of a business
   * calendar (its time zone, week and holidays): "time of day" as the desk keeps it.
   */
  | { op: 'working_hours'; calendarId: string; inside: boolean };

export type AutomationAction =
  /** Field values; priority follows from impact × urgency through the matrix, as for a person's edit. */
  | { type: 'set_fields'; impact?: 1 | 2 | 3; urgency?: 1 | 2 | 3; serviceId?: string; categoryId?: string }
  | { type: 'assign'; teamId?: string; assigneeId?: string }
  /** A canned reply rendered for the ticket: public (the requester reads it) or a work note, as the reply is kept. */
  | { type: 'reply'; cannedReplyId: string }
  | { type: 'add_followers'; userIds: string[] }
  | { type: 'notify'; userIds: string[] }
  /** Hands the ticket to a member of its team (after this rule's own assignment) by `assignFairly`. */
  | { type: 'assign_fairly'; strategy?: AssignmentStrategy }
  /** Links the ticket (an incident) to a problem, on both timelines. */
  | { type: 'link_problem'; problemId: string }
  /** Pages an escalation policy for the ticket (an open ticket), with this message. */
  | { type: 'page'; escalationPolicyId: string; message: string }
  /** Posts the firing to a registered webhook, through the outbound delivery queue (signed, retried, guarded). */
  | { type: 'webhook'; webhookId: string };
export type AutomationActionType = AutomationAction['type'];
export const AUTOMATION_ACTION_TYPES = [
  'set_fields',
  'assign',
  'reply',
  'add_followers',
  'notify',
  'assign_fairly',
  'link_problem',
  'page',
  'webhook',
] as const satisfies readonly AutomationActionType[];

export const ACTION_LABELS: Record<AutomationActionType, string> = {
  set_fields: 'Set fields',
  assign: 'Assign to a team or person',
  reply: 'Reply or add a work note from a canned reply',
  add_followers: 'Add followers',
  notify: 'Notify people',
  assign_fairly: "Assign fairly within the ticket's team",
  link_problem: 'Link to a problem',
  page: 'Page an escalation policy',
  webhook: 'Send to a webhook',
};

export interface AutomationRule {
  id: string;
  name: string;
  enabled: boolean;
  /** When this rule fires, the rules after it are not looked at for the same change. */
  stopAfterMatch: boolean;
  trigger: AutomationTrigger;
  conditions: AutomationCondition[];
  actions: AutomationAction[];
}

/**
 * How long a chain of rules may be: a rule's change may set off other rules, whose changes may
 * set off others, up to this depth; past it nothing fires and the reason is recorded.
 */
export const MAX_AUTOMATION_DEPTH = 3;

/** The text a condition reads, cut to this many characters so a pattern's work is bounded. */
export const MAX_MATCHED_TEXT = 20_000;
