import type { MeT, TeamT } from '../api/types';

export interface QueueDef {
  id: string;
  label: string;
  params: (me: MeT, myTeamIds: string[]) => Record<string, string>;
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
];

export function myTeamIds(me: MeT, teams: TeamT[] | undefined): string[] {
  return (teams ?? []).filter((t) => t.memberIds.includes(me.id) || t.managerId === me.id).map((t) => t.id);
}

export interface SavedView {
  id: string;
  name: string;
  queue: string;
  filters: Record<string, string>;
}
