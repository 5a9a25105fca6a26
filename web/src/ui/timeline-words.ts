import type { OnHoldReason, ResolutionCode, TicketState } from '../../../core/vocabulary';
import type { TimelineEventT } from '../api/types';
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
  return String(value);
}

/** The sentence after the actor's name: "changed impact from Low (one person) to Medium (a team)". */
export function summary(event: TimelineEventT, names: Map<string, string>, audience: Audience = 'staff'): string {
  switch (event.type) {
    case 'created':
      return 'reported this';
    case 'comment':
      return 'replied';
    case 'work_note':
      return 'added a work note';
    case 'sla_warning':
      return 'SLA warning: time is running short';
    case 'sla_breached':
      return 'SLA breached';
    case 'escalated':
      return `escalated (${String(event.data?.kind ?? '')}, level ${String(event.data?.level ?? '')})`;
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
    default: {
      if (event.data?.cause === 'requester_replied') return 'replied, so the ticket is no longer waiting for them: work resumed';
      if (event.data?.action === 'return_to_queue') return "went back to the new team's queue, unassigned";
      const changes = event.changes ?? [];
      if (audience === 'requester') {
        const hold = changes.find((c) => c.field === 'onHoldReason' && c.to);
        if (hold?.to === 'awaiting_requester') return 'put this on hold: it is waiting for your reply';
        if (hold) return `put this on hold: ${show('onHoldReason', hold.to, names).toLowerCase()}`;
      }
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
