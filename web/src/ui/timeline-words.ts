import {
  CHANGE_RISK_LABELS,
  CHANGE_STAGE_LABELS,
  CHANGE_TYPE_LABELS,
  type ChangeRisk,
  type ChangeStage,
  type ChangeType,
} from '../../../core/changes';
import type { OnHoldReason, ResolutionCode, TicketState } from '../../../core/vocabulary';
import type { TimelineEventT } from '../api/types';
import { dateTime } from './format';
import { IMPACT_LABEL, ON_HOLD_LABEL, PRIORITY_LABEL, RESOLUTION_LABEL, STATE_LABEL, URGENCY_LABEL } from './labels';

/** Who reads the timeline: staff see every field's change; a requester reads what it means for them. */
export type Audience = 'staff' | 'requester';

type Change = NonNullable<TimelineEventT['changes']>[number];

const FIELD_LABEL: Record<string, string> = {
  title: 'title',
  description: 'description',
  serviceId: 'service',
  categoryId: 'category',
  subcategoryId: 'subcategory',
  impact: 'impact',
  urgency: 'urgency',
  priority: 'priority',
  scope: 'scope',
  teamId: 'team',
  assigneeId: 'assignee',
  requesterId: 'requester',
  state: 'state',
  onHoldReason: 'on-hold reason',
  resolutionCode: 'resolution',
  slaPolicyId: 'SLA policy',
  escalationLevel: 'escalation level',
  majorSince: 'major since',
  parentId: 'parent incident',
  rootCause: 'root cause',
  workaround: 'workaround',
  publicWorkaround: 'workaround for requesters',
  problemId: 'problem',
  // A change's plan (issue 17).
  type: 'change type',
  risk: 'risk',
  plannedStart: 'planned start',
  plannedEnd: 'planned end',
  implementationPlan: 'implementation plan',
  testPlan: 'test plan',
  backoutPlan: 'backout plan',
  approverIds: 'approvers',
  maintenanceId: 'status-page maintenance',
};

/** A major incident's response (issue 14): the event's body says what; this says what kind of step. */
const RESPONSE_WORDS: Record<string, string> = {
  role_assigned: 'gave a response role',
  role_handed_over: 'handed over a response role',
  role_released: 'released a response role',
  investigation_opened: 'opened an investigation',
  investigation_updated: 'updated an investigation',
  investigation_finding: 'added a finding',
  root_cause_recorded: 'recorded the root cause',
  task_added: 'handed out a task',
  task_updated: 'updated a task',
  task_overdue: 'flagged an overdue task',
  meeting_scheduled: 'scheduled a meeting',
  meeting_updated: 'updated a meeting',
  meeting_started: 'started a meeting',
  meeting_ended: 'ended a meeting',
  update_due: 'reminded that the next update is due',
  update_overdue: 'flagged the update as overdue',
  public_update_edited: 'corrected a public update',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

/** A changed value as a person reads it; ids become names when we know them. */
function show(field: string, value: unknown, names: Map<string, string>, name?: string | null): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (name) return name;
  if (field === 'state') return STATE_LABEL[value as TicketState] ?? String(value);
  if (field === 'priority') return PRIORITY_LABEL[value as number] ?? String(value);
  if (field === 'impact') return IMPACT_LABEL[value as number] ?? String(value);
  if (field === 'urgency') return URGENCY_LABEL[value as number] ?? String(value);
  if (field === 'onHoldReason') return ON_HOLD_LABEL[value as OnHoldReason] ?? String(value);
  if (field === 'resolutionCode') return RESOLUTION_LABEL[value as ResolutionCode] ?? String(value);
  if (typeof value === 'string' && UUID.test(value)) return names.get(value) ?? 'someone';
  if (field === 'description') return '(text changed)';
  if (field === 'type') return CHANGE_TYPE_LABELS[value as ChangeType] ?? String(value);
  if (field === 'risk') return CHANGE_RISK_LABELS[value as ChangeRisk] ?? String(value);
  if (field === 'plannedStart' || field === 'plannedEnd') return dateTime(String(value));
  if (field === 'implementationPlan' || field === 'testPlan' || field === 'backoutPlan') return '(text changed)';
  if (field === 'approverIds') return Array.isArray(value) ? value.map((id) => names.get(String(id)) ?? 'someone').join(', ') : 'none';
  if (field === 'maintenanceId') return 'announced';
  return String(value);
}

/**
 * Who did it, as the timeline names them: a person, an automation rule (for staff: "automation:
 * Payroll first"; requesters read only that the desk did), or Firebreak itself.
 */
export function actorName(event: TimelineEventT, audience: Audience = 'staff'): string {
  const rule = (event.data?.automation as { ruleName?: unknown } | undefined)?.ruleName;
  if (event.actor === null && typeof rule === 'string') return audience === 'staff' ? `automation: ${rule}` : 'Service desk';
  if (event.actor === null && event.type === 'automation_ran' && audience === 'staff') return 'automation';
  return event.actor?.name ?? 'Firebreak';
}

/** The sentence after the actor's name: "changed impact from Low (one person) to Medium (a team)". */
export function summary(event: TimelineEventT, names: Map<string, string>, audience: Audience = 'staff'): string {
  switch (event.type) {
    case 'created':
      return createdSummary(event);
    case 'comment':
      return event.data?.finalUpdate ? 'sent the final update' : 'replied';
    case 'preventive_measure':
      return 'recorded a preventive measure';
    case 'review_scheduled':
      return typeof event.data?.at === 'string'
        ? `scheduled the post-incident review for ${dateTime(event.data.at)}`
        : 'scheduled the post-incident review';
    case 'checklist_item':
      return event.data?.ticked ? 'ticked a checklist item' : 'unticked a checklist item';
    case 'stakeholder_update': {
      // Who the update went to, by audience name (the text is the event's body).
      const to = ((event.data?.audiences as { name: string }[] | undefined) ?? []).map((a) => a.name).join(', ');
      return to ? `sent an update to ${to}` : 'sent an update';
    }
    case 'work_note':
      return 'added a work note';
    case 'sla_warning':
      return 'SLA warning: time is running short';
    case 'sla_breached':
      return 'SLA breached';
    case 'escalated': {
      const fair = (event.data?.fairAssignment as { reason?: string } | undefined)?.reason;
      return `escalated (${String(event.data?.kind ?? '')}, level ${String(event.data?.level ?? '')})${fair ? `; assigned fairly (${fair})` : ''}`;
    }
    case 'page_held':
      return 'did not page on-call yet';
    case 'priority_overridden': {
      const change = event.changes?.find((c) => c.field === 'priority');
      return change
        ? `set the priority by hand from ${show('priority', change.from, names)} to ${show('priority', change.to, names)}`
        : 'set the priority by hand';
    }
    case 'alert':
      return event.data?.status === 'resolved' ? 'alert resolved' : 'alert fired';
    case 'promoted': {
      const to = event.data?.to as { number?: string } | undefined;
      const from = event.data?.from as { number?: string } | undefined;
      return to ? `promoted this to incident ${to.number ?? ''}` : `promoted from disturbance ${from?.number ?? ''}`;
    }
    case 'scope_changed': {
      const to = event.changes?.find((c) => c.field === 'scope')?.to;
      return to === 'global' ? 'made this global (wide: many users or sites)' : 'made this local (one site or few users)';
    }
    case 'major_declared':
      return 'declared a major incident';
    case 'children_changed': {
      const numbers = (key: string) => ((event.data?.[key] as { number: string }[] | undefined) ?? []).map((c) => c.number).join(', ');
      const movedTo = event.data?.movedTo as { number?: string } | undefined;
      const movedFrom = event.data?.movedFrom as { number?: string } | undefined;
      if (movedTo) return `moved its children ${numbers('unlinked')} to ${movedTo.number ?? 'the incident it was merged into'}`;
      if (movedFrom) return `took over ${numbers('linked')} as children from the merged ${movedFrom.number ?? 'duplicate'}`;
      return event.data?.linked ? `linked ${numbers('linked')} as children` : `unlinked ${numbers('unlinked')}`;
    }
    case 'merged':
      return event.data?.intoNumber
        ? `merged this into ${String(event.data.intoNumber)}`
        : `merged ${String(event.data?.fromNumber ?? 'a duplicate')} into this`;
    case 'affected_added':
      return 'is affected too (Me too)';
    case 'problem_linked': {
      // On the problem it names the incident; on the incident, the problem (issue 17).
      const d = event.data ?? {};
      const linked = d.action === 'linked';
      return `${linked ? 'linked' : 'unlinked'} incident ${String(d.incidentNumber ?? '')} ${linked ? 'to' : 'from'} problem ${String(d.problemNumber ?? '')}`;
    }
    case 'change_stage_changed': {
      // Changes (issue 17): the stage names, as the change page shows them.
      const to = event.data?.to as ChangeStage | undefined;
      return to ? `moved the change to ${CHANGE_STAGE_LABELS[to].toLowerCase()}` : 'moved the change';
    }
    case 'change_decided':
      return event.data?.decision === 'approved' ? 'approved the change' : 'rejected the change';
    case 'change_linked':
      return `linked ${String(event.data?.ticketNumber ?? '')} to change ${String(event.data?.changeNumber ?? '')}`;
    case 'automation_ran':
      // The body says what the rule did, or why it could not run.
      return event.data?.stoppedRuleIds ? 'stopped a chain of automation rules' : event.data?.failed ? 'could not run' : 'ran';
    case 'known_error_changed':
      return event.data?.knownError
        ? 'marked this problem as a known error (its workaround is shown on open incidents)'
        : 'took the known-error mark off';
    default: {
      if (RESPONSE_WORDS[event.type]) return RESPONSE_WORDS[event.type];
      if (event.data?.cause === 'requester_replied') return 'replied, so the ticket is no longer waiting for them: work resumed';
      if (event.data?.action === 'return_to_queue') return "went back to the new team's queue, unassigned";
      const changes = event.changes ?? [];
      if (audience === 'requester') {
        const hold = changes.find((c) => c.field === 'onHoldReason' && c.to);
        if (hold?.to === 'awaiting_requester') return 'put this on hold: it is waiting for your reply';
        if (hold) return `put this on hold: ${show('onHoldReason', hold.to, names).toLowerCase()}`;
      }
      const parent = changes.find((c) => c.field === 'parentId');
      if (parent && event.data?.parentNumber) {
        if (parent.to && event.data.movedFromNumber) {
          return `moved this from incident ${String(event.data.movedFromNumber)} (merged) to incident ${String(event.data.parentNumber)}`;
        }
        return parent.to
          ? `linked this to incident ${String(event.data.parentNumber)}`
          : `unlinked this from incident ${String(event.data.parentNumber)}`;
      }
      if (event.data?.rule === 'affected_people') return `raised ${describeChanges(changes, names)} (many people are affected)`;
      const fair = event.data?.fairAssignment as { reason?: string } | undefined;
      if (fair?.reason && changes.length > 0) return `assigned fairly (${fair.reason}): ${describeChanges(changes, names)}`;
      if (event.data?.reassignedTeam) return `reassigned to another team: ${describeChanges(changes, names)}`;
      if (changes.length === 0) return event.type.replace(/_/g, ' ');
      return `changed ${describeChanges(changes, names)}`;
    }
  }
}

function describeChanges(changes: Change[], names: Map<string, string>): string {
  return changes.map((c) => describeChange(c, names)).join(', ');
}

/** One field's change: "impact from A to B"; "on-hold reason to B" when it had none; "assignee (was A) removed" when cleared. */
function describeChange(c: Change, names: Map<string, string>): string {
  const label = FIELD_LABEL[c.field] ?? c.field;
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (c.field === 'description') return 'the description';
  if (empty(c.from) && !empty(c.to)) return `${label} to ${show(c.field, c.to, names, c.toName)}`;
  if (!empty(c.from) && empty(c.to)) return `${label} from ${show(c.field, c.from, names, c.fromName)} to none`;
  return `${label} from ${show(c.field, c.from, names, c.fromName)} to ${show(c.field, c.to, names, c.toName)}`;
}

/** "reported this", and what the learned router gave it (issue 18): its category and/or team, each with the confidence it had. */
function createdSummary(event: TimelineEventT): string {
  const parts = ['reported this'];
  const category = event.data?.routerCategory as { name?: unknown; confidence?: unknown } | undefined;
  if (category && typeof category.name === 'string' && typeof category.confidence === 'number') {
    parts.push(`category ${category.name} from the learned router, ${Math.round(category.confidence * 100)}%`);
  }
  if (event.data?.routedBy === 'learned_router' && typeof event.data.routerConfidence === 'number') {
    parts.push(`routed by the learned router, ${Math.round(event.data.routerConfidence * 100)}%`);
  }
  return parts.join('; ');
}
