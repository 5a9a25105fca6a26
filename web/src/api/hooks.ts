import { type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError } from './client';
import * as catalogApi from './endpoints/catalog';
import * as directoryApi from './endpoints/directory';
import * as meApi from './endpoints/me';
import * as ticketApi from './endpoints/tickets';
import { keys, ticketChanged } from './keys';
import { useApiMutation } from './mutation';

export { toQuery } from './endpoints/query';

/** The signed-in person, or null when nobody is. */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await meApi.get({ allowUnauthenticated: true });
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
  return useQuery({ queryKey: keys.features, queryFn: meApi.features, staleTime: 5 * 60_000 });
}

export function useSavedViews() {
  return useQuery({ queryKey: keys.savedViews, queryFn: meApi.savedViews });
}

export function useServices() {
  return useQuery({ queryKey: keys.services, queryFn: catalogApi.services, staleTime: 300_000 });
}

export function useCategories() {
  return useQuery({ queryKey: keys.categories, queryFn: catalogApi.categories, staleTime: 300_000 });
}

export function useTeams(enabled = true) {
  return useQuery({ queryKey: keys.teams, queryFn: directoryApi.teams, staleTime: 300_000, enabled });
}

export function useUsers(params: Record<string, string | undefined>, enabled = true) {
  return useQuery({
    queryKey: keys.users.list(params),
    queryFn: () => directoryApi.users({ limit: '200', ...params }),
    enabled,
  });
}

/** Active people whose name or e-mail contains `q`, for a person picker. */
export function usePeopleSearch(q: string, enabled: boolean) {
  return useQuery({ queryKey: keys.users.search(q), queryFn: () => directoryApi.users({ q, active: 'true', limit: '8' }), enabled });
}

/** One person, e.g. the requester a queue is filtered by. */
export function useUser(id: string | undefined) {
  return useQuery({ queryKey: keys.users.one(id ?? ''), queryFn: () => directoryApi.user(id ?? ''), enabled: Boolean(id) });
}

/**
 * The active people who work tickets (agents, managers, admins), for pickers: asked of the server
 * as staff, so a directory with thousands of requesters still offers everyone who can be chosen.
 */
export function useStaff() {
  return useUsers({ active: 'true', staff: 'true' });
}

export function usePriorityMatrix() {
  return useQuery({ queryKey: keys.priorityMatrix, queryFn: catalogApi.priorityMatrix });
}

export function useApiTokens() {
  return useQuery({ queryKey: keys.apiTokens, queryFn: directoryApi.tokens });
}

export function useCalendars() {
  return useQuery({ queryKey: keys.calendars, queryFn: catalogApi.calendars });
}

export function useSlaPolicies() {
  return useQuery({ queryKey: keys.slaPolicies, queryFn: catalogApi.slaPolicies });
}

/** A queue: pages fetched as the list scrolls, filtered and sorted by the server. */
export function useTicketPages(params: Record<string, string>) {
  return useInfiniteQuery({
    queryKey: keys.tickets.list(params),
    queryFn: ({ pageParam, signal }) => ticketApi.list({ ...params, cursor: pageParam ?? undefined, limit: '100' }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useTicket(id: string) {
  return useQuery({ queryKey: keys.ticket.row(id), queryFn: () => ticketApi.get(id) });
}

export function useTimeline(id: string) {
  return useQuery({ queryKey: keys.ticket.timeline(id), queryFn: () => ticketApi.timeline(id) });
}

export function useKnownIssues(serviceId?: string) {
  return useQuery({ queryKey: keys.knownIssues.list(serviceId), queryFn: () => ticketApi.knownIssues(serviceId) });
}

/** A known problem's public view (for its followers, or anyone while it is open). */
export function useKnownIssue(id: string, enabled = true) {
  return useQuery({ queryKey: keys.knownIssues.view(id), queryFn: () => ticketApi.knownIssue(id), enabled });
}

/** The tickets I follow (known issues I chose to follow instead of reporting them again). */
export function useFollowedTickets() {
  return useQuery({ queryKey: keys.followed, queryFn: ticketApi.followed });
}

/** After a ticket changes: its page, its timeline and every queue that may list it. */
export function invalidateTicket(client: QueryClient, id: string) {
  for (const queryKey of ticketChanged(id)) client.invalidateQueries({ queryKey });
}

/** Follow or stop following a ticket; the list of followed tickets is read again after. */
export function useFollow() {
  return useApiMutation({
    mutationFn: ({ ticketId, follow }: { ticketId: string; follow: boolean }) => ticketApi.follow(ticketId, follow),
    invalidates: [keys.followed],
    refreshOnError: true,
  });
}
