import type { OnHoldReason, ResolutionCode, TicketState } from '../../../core/vocabulary';
import type { TimelineEventT } from '../api/types';
import { When } from './kit';
import { ON_HOLD_LABEL, PRIORITY_LABEL, RESOLUTION_LABEL, STATE_LABEL } from './labels';

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
  if (field === 'onHoldReason') return ON_HOLD_LABEL[value as OnHoldReason] ?? String(value);
  if (field === 'resolutionCode') return RESOLUTION_LABEL[value as ResolutionCode] ?? String(value);
  if (typeof value === 'string' && UUID.test(value)) return names.get(value) ?? 'someone';
  if (field === 'description') return '(text changed)';
  return String(value);
}

function summary(event: TimelineEventT, names: Map<string, string>): string {
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
    case 'priority_overridden':
      return 'set the priority by hand';
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
      if (event.data?.reassignedTeam) return `reassigned to another team: ${describeChanges(changes, names)}`;
      if (changes.length === 0) return event.type.replace(/_/g, ' ');
      return `changed ${describeChanges(changes, names)}`;
    }
  }
}

function describeChanges(changes: NonNullable<TimelineEventT['changes']>, names: Map<string, string>): string {
  return changes
    .map(
      (c) =>
        `${FIELD_LABEL[c.field] ?? c.field} from ${show(c.field, c.from, names, c.fromName)} to ${show(c.field, c.to, names, c.toName)}`,
    )
    .join(', ');
}

/**
 * The ticket's history. Text people wrote is shown as text (React escapes it), never as HTML.
 * Work notes look different from replies, and say who they are for.
 */
export function Timeline({ events, names = new Map() }: { events: TimelineEventT[]; names?: Map<string, string> }) {
  if (events.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {events.map((e) => {
        const kind = e.type === 'comment' ? 'comment' : e.type === 'work_note' ? 'work-note' : 'system';
        return (
          <li key={e.id} className={kind} data-event-type={e.type}>
            <div className="entry-head">
              <span className="who">{e.actor?.name ?? 'Firebreak'}</span>
              <span className={kind === 'system' ? 'system' : ''}>{summary(e, names)}</span>
              {e.type === 'work_note' && <span className="tag tag-note">Internal · staff only</span>}
              {e.type === 'comment' && <span className="tag tag-public">Public</span>}
              <span className="muted">
                <When at={e.at} />
              </span>
            </div>
            {e.body && e.type !== 'created' && <div className="entry-body">{e.body}</div>}
          </li>
        );
      })}
    </ol>
  );
}
