import type { TicketT } from '../../api/types';
import { IMPACT_LABEL, URGENCY_LABEL } from '../../ui/labels';

// The edit form's values (strings, as selects hold them) and how to say each in words.

export type FormValues = ReturnType<typeof formValuesOf>;

export function formValuesOf(ticket: TicketT) {
  return {
    teamId: ticket.team?.id ?? '',
    assigneeId: ticket.assignee?.id ?? '',
    serviceId: ticket.service?.id ?? '',
    categoryId: ticket.category?.id ?? '',
    impact: String(ticket.impact),
    urgency: String(ticket.urgency),
    scope: ticket.scope as string,
    override: ticket.priorityOverridden ? String(ticket.priority) : '',
    overrideReason: ticket.priorityOverrideReason ?? '',
  };
}

export const FORM_LABEL: Record<keyof FormValues, string> = {
  teamId: 'Team',
  assigneeId: 'Assignee',
  serviceId: 'Service',
  categoryId: 'Category',
  impact: 'Impact',
  urgency: 'Urgency',
  scope: 'Scope',
  override: 'Priority set by hand',
  overrideReason: 'Why the priority was set by hand',
};

/** A form value in words: names for ids, labels for levels. */
export function describeValue(
  k: keyof FormValues,
  v: string,
  lists: Record<'teams' | 'staff' | 'services' | 'categories', { id: string; name: string }[] | undefined>,
): string {
  const nameIn = (list: { id: string; name: string }[] | undefined, none: string) =>
    v ? (list?.find((x) => x.id === v)?.name ?? 'another') : none;
  if (k === 'teamId') return nameIn(lists.teams, 'no team');
  if (k === 'assigneeId') return nameIn(lists.staff, 'unassigned');
  if (k === 'serviceId') return nameIn(lists.services, 'no service');
  if (k === 'categoryId') return nameIn(lists.categories, 'no category');
  if (k === 'impact') return IMPACT_LABEL[Number(v)] ?? v;
  if (k === 'urgency') return URGENCY_LABEL[Number(v)] ?? v;
  if (k === 'scope') return v === 'global' ? 'global (major incident)' : 'local';
  if (k === 'override') return v ? `P${v}` : 'from the matrix';
  return v || '—';
}
