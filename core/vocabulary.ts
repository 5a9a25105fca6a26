/**
 * The vocabulary of Firebreak (DESIGN.md §1). Each enum-like set is defined once here as a
 * const tuple and reused by the database schema, the API contracts and the UI.
 */

/** A disturbance is noticed but does not (yet) disrupt service; it can be promoted to an incident. */
export const TICKET_KINDS = ['incident', 'service_request', 'disturbance', 'problem', 'change'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/**
 * The desk's own work rather than something people report: a problem (an inquiry into a cause)
 * and a change (planned work). Reports and SLA policies take them only when asked for by name.
 */
export const DESK_OWN_WORK_KINDS: readonly TicketKind[] = ['problem', 'change'];

/** Human number prefixes per kind: INC0000001, REQ0000001, DST0000001, PRB0000001, CHG0000001. */
export const TICKET_NUMBER_PREFIX: Record<TicketKind, string> = {
  incident: 'INC',
  service_request: 'REQ',
  disturbance: 'DST',
  problem: 'PRB',
  change: 'CHG',
};

export const TICKET_STATES = ['new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** States in which a ticket is still being worked (everything but resolved, closed, cancelled). */
export const OPEN_STATES: readonly TicketState[] = ['new', 'assigned', 'in_progress', 'on_hold'];

export const ON_HOLD_REASONS = ['awaiting_requester', 'awaiting_vendor', 'awaiting_change', 'awaiting_problem'] as const;
export type OnHoldReason = (typeof ON_HOLD_REASONS)[number];

export const RESOLUTION_CODES = [
  'solved_permanently',
  'solved_workaround',
  'solved_remotely',
  'not_reproducible',
  'duplicate',
  'resolved_by_caller',
  'resolved_by_change',
  'no_fault_found',
  /** A disturbance that became an incident: the work continues on the incident. */
  'promoted_to_incident',
  /** Resolved by its monitoring: every alert on it resolved (and the routing rule allows it). */
  'resolved_by_monitoring',
] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

/** How a ticket arrived. `alert` is monitoring; `walk_in` is someone at the desk in person. */
export const CHANNELS = ['portal', 'email', 'api', 'phone', 'alert', 'chat', 'walk_in'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SCOPES = ['local', 'global'] as const;
export type Scope = (typeof SCOPES)[number];

/** Ordered from least to most privileged; see `hasRoleAtLeast`. */
export const ROLES = ['requester', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function hasRoleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** 1 high … 3 low, for both impact and urgency. */
export const LEVELS = [1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];

/** 1 critical … 5 planning. */
export const PRIORITIES = [1, 2, 3, 4, 5] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TIMELINE_EVENT_TYPES = [
  'created',
  'field_changed',
  'state_changed',
  'assigned',
  'priority_overridden',
  'comment',
  'work_note',
  'sla_warning',
  'sla_breached',
  'escalated',
  'page_triggered',
  'page_notified',
  'page_acknowledged',
  'page_exhausted',
  'page_ended',
  /** A requester-reported P1 is not paged yet: it waits for a staff member to confirm the priority. */
  'page_held',
  /** A monitoring alert attached to the ticket, fired again, or resolved (data: alert id, fingerprint, status). */
  'alert',
  /** A disturbance promoted to an incident; recorded on both (data: the other ticket). */
  'promoted',
  /** Local ⇄ global, with the reason (issue 14); `changes` holds the scope, `body` the reason. */
  'scope_changed',
  /** The incident became a major incident (declared, made global); `body` the reason. */
  'major_declared',
  /** Children linked to or unlinked from an incident (data: linked / unlinked numbers); on the parent. */
  'children_changed',
  /** A duplicate merged into another ticket; on both (data: the other ticket). */
  'merged',
  /** Someone joined an incident as affected ("Me too", a child's requester, a merged duplicate's). */
  'affected_added',
  /** Major incidents (issue 14): a response role taken, handed over or released (data: role, people). */
  'role_assigned',
  'role_handed_over',
  'role_released',
  /** An investigation opened, changed (status, hypothesis, people, conclusion) or given a finding. */
  'investigation_opened',
  'investigation_updated',
  'investigation_finding',
  /** The incident's root cause recorded or edited (also when an investigation is confirmed). */
  'root_cause_recorded',
  /** A response task added, changed (done, owner, due) or flagged overdue to the incident manager. */
  'task_added',
  'task_updated',
  'task_overdue',
  /** A meeting scheduled (attendees invited), changed, started or ended. */
  'meeting_scheduled',
  'meeting_updated',
  'meeting_started',
  'meeting_ended',
  /** A preventive measure recorded on an incident (the completion checklist asks for one). */
  'preventive_measure',
  /** A post-incident review given a date (data: at). */
  'review_scheduled',
  /** A manual item of the completion checklist ticked or unticked (data: key, ticked). */
  'checklist_item',
  /** An update sent to stakeholders through the composer (data: stage, audiences, recipients); issue 15. */
  'stakeholder_update',
  /** The update cadence: the next update is due now (to the communications manager), or overdue (to the incident manager). */
  'update_due',
  'update_overdue',
  /** A public update's text corrected after it was sent (body: the new text; changes: text from/to; data: updateId, revision, notify); issue 15. */
  'public_update_edited',
  /** Post-incident reviews (issue 17): a review drafted, moved (data: from, to), an action item reminder (data: actionItemId, ownerId, kind). */
  'review_changed',
  'action_item_reminder',
  /** Problems (issue 17): an incident linked to or unlinked from a problem; on both (data: action, problem and incident ids and numbers). */
  'problem_linked',
  /** A problem marked as a known error (its workaround recorded) or no longer one (data: knownError, workaround). */
  'known_error_changed',
  /** Changes (issue 17): a change moved stage (data: action, from, to) — submitted, approved, started, done, failed. */
  'change_stage_changed',
  /** An approver approved or rejected a change (body: their comment; data: decision, approverId). */
  'change_decided',
  /** A problem or incident linked to a change; on both timelines (data: changeId, changeNumber, ticketId, ticketNumber). */
  'change_linked',
  /**
   * An automation rule ran on the ticket (issue 18): body says what it did; data: ruleId, ruleName,
   * notifyUserIds (people told), or stoppedRuleIds and the reason when a chain reached its depth.
   */
  'automation_ran',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** Functional: to a more skilled team; hierarchical: to management's attention. */
export const ESCALATION_KINDS = ['functional', 'hierarchical'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

/** Where alerts come from; each has its own adapter in core/alerts. */
export const ALERT_SOURCES = ['generic', 'alertmanager', 'grafana', 'pagerduty'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** PagerDuty's four, which every other source is mapped onto. */
export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** What a routing rule does with a matching alert. */
export const ALERT_ACTIONS = ['ignore', 'disturbance', 'incident'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** Built-in checks Firebreak runs itself against what an admin configured. */
export const CHECK_KINDS = ['http', 'tcp'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** up: the last probe passed; failing: it failed, not yet as often in a row as down needs; down: the check's alert is firing. */
export const CHECK_STATES = ['pending', 'up', 'failing', 'down', 'paused'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

/** What an investigation found of its hypothesis: still open, confirmed (the root cause), or ruled out. */
export const INVESTIGATION_STATUSES = ['open', 'confirmed', 'ruled_out'] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];
