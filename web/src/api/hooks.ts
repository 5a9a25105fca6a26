import { type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client';
import type {
  CategoryT,
  FollowedTicketT,
  KnownIssueT,
  KnownIssueViewT,
  MeT,
  PageT,
  ServiceT,
  TeamT,
  TicketT,
  TimelineEventT,
  UserT,
} from './types';

export const keys = {
  me: ['me'] as const,
  tickets: (params: Record<string, string>) => ['tickets', params] as const,
  ticket: (id: string) => ['ticket', id] as const,
  timeline: (id: string) => ['timeline', id] as const,
  knownIssues: (serviceId?: string) => ['known-issues', serviceId ?? 'all'] as const,
};

/** The signed-in person, or null when nobody is. */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await api<MeT>('GET', '/me', undefined, { allowUnauthenticated: true });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

/** What the server is set up to do (GET /features): whether it sends e-mail, so no page promises mail that is off. */
export function useFeatures() {
  return useQuery({
    queryKey: ['features'],
    queryFn: () => api<{ emailOut: boolean }>('GET', '/features'),
    staleTime: 5 * 60_000,
  });
}

export function toQuery(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A queue: pages fetched as the list scrolls, filtered and sorted by the server. */
export function useTicketPages(params: Record<string, string>) {
  return useInfiniteQuery({
    queryKey: keys.tickets(params),
    queryFn: ({ pageParam, signal }) =>
      api<PageT<TicketT>>('GET', `/tickets${toQuery({ ...params, cursor: pageParam ?? undefined, limit: '100' })}`, undefined, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useTicket(id: string) {
  return useQuery({ queryKey: keys.ticket(id), queryFn: () => api<TicketT>('GET', `/tickets/${id}`) });
}

export function useTimeline(id: string) {
  return useQuery({ queryKey: keys.timeline(id), queryFn: () => api<PageT<TimelineEventT>>('GET', `/tickets/${id}/timeline?limit=500`) });
}

export function useKnownIssues(serviceId?: string) {
  return useQuery({
    queryKey: keys.knownIssues(serviceId),
    queryFn: () => api<{ items: KnownIssueT[] }>('GET', `/known-issues${toQuery({ serviceId })}`),
  });
}

/** The tickets I follow (known issues I chose to follow instead of reporting them again). */
/** A known problem's public view (for its followers, or anyone while it is open). */
export function useKnownIssue(id: string, enabled = true) {
  return useQuery({
    queryKey: ['known-issue', id],
    queryFn: () => api<KnownIssueViewT>('GET', `/known-issues/${id}`),
    enabled,
  });
}

export function useFollowedTickets() {
  return useQuery({
    queryKey: ['followed-tickets'],
    queryFn: () => api<{ items: FollowedTicketT[] }>('GET', '/me/followed-tickets'),
  });
}

/** Follow or stop following a ticket; the list of followed tickets is read again after. */
export function useFollow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ticketId, follow }: { ticketId: string; follow: boolean }) =>
      api<null>(follow ? 'PUT' : 'DELETE', `/tickets/${ticketId}/follow`),
    onSettled: () => client.invalidateQueries({ queryKey: ['followed-tickets'] }),
  });
}

export function useServices() {
  return useQuery({ queryKey: ['services'], queryFn: () => api<{ items: ServiceT[] }>('GET', '/services'), staleTime: 300_000 });
}

export function useCategories() {
  return useQuery({ queryKey: ['categories'], queryFn: () => api<{ items: CategoryT[] }>('GET', '/categories'), staleTime: 300_000 });
}

export function useTeams(enabled = true) {
  return useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: TeamT[] }>('GET', '/teams'), staleTime: 300_000, enabled });
}

export function useUsers(params: Record<string, string | undefined>, enabled = true) {
  return useQuery({
    queryKey: ['users', params],
    queryFn: () => api<PageT<UserT>>('GET', `/users${toQuery({ limit: '200', ...params })}`),
    enabled,
  });
}

/**
 * The active people who work tickets (agents, managers, admins), for pickers: asked of the server
 * as staff, so a directory with thousands of requesters still offers everyone who can be chosen.
 */
export function useStaff() {
  return useUsers({ active: 'true', staff: 'true' });
}

export function usePriorityMatrix() {
  return useQuery({ queryKey: ['priority-matrix'], queryFn: () => api<{ matrix: number[][] }>('GET', '/priority-matrix') });
}

/** After a ticket changes: its page, its timeline and every queue that may list it. */
export function invalidateTicket(client: QueryClient, id: string) {
  client.invalidateQueries({ queryKey: keys.ticket(id) });
  client.invalidateQueries({ queryKey: keys.timeline(id) });
  client.invalidateQueries({ queryKey: ['tickets'] });
}

/** A write to a ticket, guarded by the version the person was looking at (If-Match). */
export function useTicketWrite<TBody>(ticket: TicketT, method: string, path: string, opts: { guard?: boolean } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) =>
      api<TicketT>(method, `/tickets/${ticket.id}${path}`, body, opts.guard === false ? {} : { ifMatch: ticket.version }),
    onSuccess: (saved) => {
      if (saved?.id) client.setQueryData(keys.ticket(ticket.id), saved);
      invalidateTicket(client, ticket.id);
    },
  });
}
