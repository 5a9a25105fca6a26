import type { MeT, TeamT } from '../api/types';

export interface QueueDef {
  id: string;
  label: string;
  params: (me: MeT, myTeamIds: string[]) => Record<string, string>;
  /** Reached only by a link (a report's drill-down), not listed among the queues. */
  hidden?: boolean;
}

/** The desk's standard queues; each is a server-side filter of the ticket list. */
export const QUEUES: QueueDef[] = [
  { id: 'mine', label: 'Assigned to me', params: () => ({ assigneeId: 'me', state: 'open', sort: 'priority' }) },
  {
    id: 'team',
    label: 'My teams',
    params: (_me, teams) => ({ teamId: teams.join(',') || '00000000-0000-0000-0000-000000000000', state: 'open', sort: 'priority' }),
  },
  { id: 'unassigned', label: 'Unassigned', params: () => ({ assigneeId: 'none', state: 'open', sort: 'priority' }) },
  { id: 'open', label: 'All open', params: () => ({ state: 'open', sort: 'priority' }) },
  {
    id: 'breaching',
    label: 'Breaching soon',
    // Due within two hours, breached ones first. Rounded to five minutes so the list (and its
    // cache key) stays the same while the person looks at it.
    params: () => ({
      state: 'open',
      sort: 'slaDueAt',
      slaDueBefore: new Date(Math.ceil((Date.now() + 2 * 3600_000) / 300_000) * 300_000).toISOString(),
    }),
  },
  { id: 'resolved', label: 'Recently resolved', params: () => ({ state: 'resolved,closed', sort: '-updatedAt' }) },
  // Problems (issue 17): the desk's open investigations of underlying causes, known errors among them.
  { id: 'problems', label: 'Problems', params: () => ({ kind: 'problem', state: 'open', sort: 'priority' }) },
  // Imported tickets sharing a source attribute (the ticket page's links; the `attr` filter).
  { id: 'imported', label: 'Imported tickets', params: () => ({ sort: '-openedAt' }), hidden: true },
  // Changes (issue 17): planned work not yet finished; the change calendar shows them by window.
  { id: 'changes', label: 'Changes', params: () => ({ kind: 'change', state: 'open', sort: 'priority' }) },
  // The tickets behind a dashboard figure: every filter comes from the link (dashboard/filters.ts).
  { id: 'report', label: 'Tickets behind a report', params: () => ({ sort: '-openedAt' }), hidden: true },
];

/** The filters a report's drill-down adds to a queue (the ticket list's own query names). */
export const REPORT_FILTER_KEYS = [
  'state',
  'serviceId',
  'categoryId',
  'minReassignments',
  'minReopens',
  'firstContact',
  'slaBreached',
  'rated',
  'ratedFrom',
  'ratedBefore',
  'openedFrom',
  'openedBefore',
  'resolvedFrom',
  'resolvedBefore',
] as const;

export function myTeamIds(me: MeT, teams: TeamT[] | undefined): string[] {
  return (teams ?? []).filter((t) => t.memberIds.includes(me.id) || t.managerId === me.id).map((t) => t.id);
}

/**
 * Whether Enter, pressed with focus on `target`, opens the queue's highlighted ticket: yes from
 * the page itself and from any row of the list (whichever row has focus, the highlighted one
 * opens); no from a field, select, button or a link outside the list, which handle Enter themselves.
 */
export function enterOpensHighlighted(target: Element | null): boolean {
  if (!target || target.closest('.queue')) return true;
  if (
    target.closest(
      'input, textarea, select, button, a[href], summary, [contenteditable="true"], [role="button"], [role="link"], [role="combobox"], [role="option"], [role="menuitem"]',
    )
  )
    return false;
  return true;
}

/** Where the ticket page's back link goes: the queue or search it was opened from (kept in the navigation's state), else the desk. */
export function backToQueue(state: unknown): { to: string; label: string } {
  const from = (state as { from?: unknown } | null)?.from;
  if (typeof from === 'string' && from.startsWith('/desk/search')) return { to: from, label: '← Search results' };
  if (typeof from === 'string' && from.startsWith('/desk/queue/')) return { to: from, label: '← Queues' };
  return { to: '/desk', label: '← Queues' };
}
