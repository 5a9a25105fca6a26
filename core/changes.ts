import { type Edge, serviceImpact } from './service-graph.js';
import type { TicketKind, TicketState } from './vocabulary.js';

/**
 * Changes (issue 17, deliberately light): a planned change that fixes or risks a service. A
 * change is a ticket of kind `change` and moves through the ONE ticket state machine; its own
 * stages are read from the state and three marks on its change record, never stored as a
 * second state (as a problem's known error is read from `knownErrorAt`):
 *
 *   new / assigned, not submitted         → draft
 *   new / assigned, submitted             → awaiting approval
 *   new / assigned, approved              → scheduled
 *   in_progress / on_hold                 → implementing
 *   resolved / closed, outcome succeeded  → done
 *   resolved / closed, outcome failed     → failed
 *   cancelled                             → cancelled
 */
export const CHANGE_TYPES = ['standard', 'normal', 'emergency'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];
export const CHANGE_TYPE_LABELS: Record<ChangeType, string> = {
  standard: 'Standard (pre-approved)',
  normal: 'Normal',
  emergency: 'Emergency',
};

export const CHANGE_RISKS = ['low', 'medium', 'high'] as const;
export type ChangeRisk = (typeof CHANGE_RISKS)[number];
export const CHANGE_RISK_LABELS: Record<ChangeRisk, string> = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' };

export const CHANGE_OUTCOMES = ['succeeded', 'failed'] as const;
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];

export const CHANGE_DECISIONS = ['approved', 'rejected'] as const;
export type ChangeDecision = (typeof CHANGE_DECISIONS)[number];

export const CHANGE_STAGES = ['draft', 'awaiting_approval', 'scheduled', 'implementing', 'done', 'failed', 'cancelled'] as const;
export type ChangeStage = (typeof CHANGE_STAGES)[number];
export const CHANGE_STAGE_LABELS: Record<ChangeStage, string> = {
  draft: 'Draft',
  awaiting_approval: 'Awaiting approval',
  scheduled: 'Scheduled',
  implementing: 'Implementing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export interface ChangeMarks {
  state: TicketState;
  submittedAt: Date | string | null;
  approvedAt: Date | string | null;
  outcome: ChangeOutcome | null;
}

export function changeStage(change: ChangeMarks): ChangeStage {
  if (change.state === 'cancelled') return 'cancelled';
  if (change.state === 'resolved' || change.state === 'closed') return change.outcome === 'failed' ? 'failed' : 'done';
  if (change.state === 'in_progress' || change.state === 'on_hold') return 'implementing';
  if (change.approvedAt) return 'scheduled';
  if (change.submittedAt) return 'awaiting_approval';
  return 'draft';
}

/** The moves a change's own actions make; the ticket state machine still decides the state part. */
export const CHANGE_ACTIONS = ['submit', 'start', 'complete', 'cancel'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** From which stages each action may be taken (a rejected change is a draft again). */
const ACTION_FROM: Record<ChangeAction, readonly ChangeStage[]> = {
  submit: ['draft'],
  start: ['scheduled'],
  complete: ['implementing'],
  cancel: ['draft', 'awaiting_approval', 'scheduled', 'implementing'],
};

export interface Refusal {
  status: 'unprocessable' | 'conflict' | 'forbidden';
  field: string;
  message: string;
}

/**
 * Why a person may not escalate a change or page on-call for it, or null for any other kind: a
 * change is planned work with its own approval and window — there is no outage to escalate or
 * wake anyone for (an incident it causes is its own ticket). Monitoring and SLA timers never
 * reach this: it guards the people's actions only.
 */
export function refuseIncidentResponse(ticket: { kind: TicketKind; number: string }, action: 'escalate' | 'page'): string | null {
  if (ticket.kind !== 'change') return null;
  return action === 'escalate'
    ? `${ticket.number} is a change: it is approved and scheduled, not escalated. Record an incident if it caused one.`
    : `${ticket.number} is a change: nobody is paged for planned work. Record an incident if it caused one.`;
}

export function refuseChangeAction(number: string, stage: ChangeStage, action: ChangeAction): Refusal | null {
  if (ACTION_FROM[action].includes(stage)) return null;
  return {
    status: 'conflict',
    field: 'stage',
    message: `${number} is ${CHANGE_STAGE_LABELS[stage].toLowerCase()}: it can be ${ACTION_VERB[action]} only when ${ACTION_FROM[action]
      .map((s) => CHANGE_STAGE_LABELS[s].toLowerCase())
      .join(' or ')}`,
  };
}
const ACTION_VERB: Record<ChangeAction, string> = {
  submit: 'submitted for approval',
  start: 'started',
  complete: 'completed',
  cancel: 'cancelled',
};

/** A planned window must end after it starts; the field at fault is the end (the one people get wrong). */
export function refuseChangeWindow(plannedStart: Date, plannedEnd: Date): Refusal | null {
  if (plannedEnd.getTime() > plannedStart.getTime()) return null;
  return { status: 'unprocessable', field: 'plannedEnd', message: 'must be after the planned start' };
}

/** Submitting asks for a plan people can follow; a standard change is pre-approved and goes straight to scheduled. */
export function refuseSubmission(change: { type: ChangeType; implementationPlan: string; backoutPlan: string }): Refusal | null {
  if (!change.implementationPlan.trim()) {
    return { status: 'unprocessable', field: 'implementationPlan', message: 'write the implementation plan before asking for approval' };
  }
  if (change.type !== 'standard' && !change.backoutPlan.trim()) {
    return { status: 'unprocessable', field: 'backoutPlan', message: 'write how to back the change out before asking for approval' };
  }
  return null;
}

export interface ApprovalRow {
  approverId: string;
  decision: ChangeDecision | null;
}

/**
 * Where the approvals stand. Named approvers must all approve; one rejection rejects. A change
 * without named approvers needs one manager's approval (the rows then hold who decided).
 */
export function approvalOutcome(named: boolean, approvals: readonly ApprovalRow[]): 'approved' | 'rejected' | 'pending' {
  if (approvals.some((a) => a.decision === 'rejected')) return 'rejected';
  if (!named) return approvals.some((a) => a.decision === 'approved') ? 'approved' : 'pending';
  return approvals.length > 0 && approvals.every((a) => a.decision === 'approved') ? 'approved' : 'pending';
}

export interface ApprovalPolicy {
  /** Whether the person who recorded or implements a change may approve it; off by default (four eyes). */
  allowSelfApproval: boolean;
}
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = { allowSelfApproval: false };

/** Whether `actor` may decide on a change now. */
export function refuseDecision(
  actor: { id: string; isManager: boolean },
  change: { number: string; stage: ChangeStage; requesterId: string; assigneeId: string | null; namedApproverIds: readonly string[] },
  policy: ApprovalPolicy,
): Refusal | null {
  const named = change.namedApproverIds.length > 0;
  if (named ? !change.namedApproverIds.includes(actor.id) : !actor.isManager) {
    return {
      status: 'forbidden',
      field: 'approver',
      message: named ? `you are not an approver of ${change.number}` : `only a manager approves ${change.number} (it names no approvers)`,
    };
  }
  if (change.stage !== 'awaiting_approval') {
    return {
      status: 'conflict',
      field: 'stage',
      message: `${change.number} is ${CHANGE_STAGE_LABELS[change.stage].toLowerCase()}: only a change awaiting approval is approved or rejected`,
    };
  }
  if (!policy.allowSelfApproval && (actor.id === change.requesterId || actor.id === change.assigneeId)) {
    return {
      status: 'unprocessable',
      field: 'decision',
      message: `you recorded or implement ${change.number}: the approval policy asks someone else to approve it`,
    };
  }
  return null;
}

/** Half-open windows [start, end): one ending at 10:00 and another starting at 10:00 do not overlap. */
export function windowsOverlap(a: { start: Date; end: Date }, b: { start: Date; end: Date }): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

export interface ConflictChange {
  id: string;
  number: string;
  serviceId: string | null;
  start: Date;
  end: Date;
}

export interface ConflictIncident {
  id: string;
  number: string;
  serviceId: string | null;
}

export type ChangeConflict =
  | { kind: 'major_incident'; ticketId: string; number: string; serviceId: string }
  | { kind: 'change'; ticketId: string; number: string; serviceId: string };

/**
 * What a change's window touches: the change's service and every service depending on it (the
 * service graph). A conflict is an open major incident on one of those services, or another
 * change whose window overlaps and whose own touched services meet these (so two changes on
 * services sharing a dependent warn too: that dependent would feel both at once). Warnings, not
 * refusals: the desk decides. Nearest service first is not promised; the order is by kind then number.
 */
export function changeConflicts(
  change: ConflictChange,
  context: { edges: readonly Edge[]; openMajorIncidents: readonly ConflictIncident[]; otherChanges: readonly ConflictChange[] },
): ChangeConflict[] {
  if (!change.serviceId) return [];
  const touched = touchedServices(context.edges, change.serviceId);
  const result: ChangeConflict[] = [];
  for (const incident of context.openMajorIncidents) {
    if (incident.serviceId && touched.has(incident.serviceId)) {
      result.push({ kind: 'major_incident', ticketId: incident.id, number: incident.number, serviceId: incident.serviceId });
    }
  }
  for (const other of context.otherChanges) {
    if (other.id === change.id || !other.serviceId || !windowsOverlap(change, other)) continue;
    const theirs = touchedServices(context.edges, other.serviceId);
    if ([...theirs].some((s) => touched.has(s))) {
      result.push({ kind: 'change', ticketId: other.id, number: other.number, serviceId: other.serviceId });
    }
  }
  return result.sort((a, b) => a.kind.localeCompare(b.kind) || a.number.localeCompare(b.number));
}

function touchedServices(edges: readonly Edge[], serviceId: string): Set<string> {
  return new Set([serviceId, ...serviceImpact(edges, serviceId).map((s) => s.serviceId)]);
}

/** Monday 00:00 UTC of the week holding `at`: the calendar's weeks are UTC weeks, Monday first (ISO 8601). */
export function weekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}
