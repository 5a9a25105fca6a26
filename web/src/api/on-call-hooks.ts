import { useQuery } from '@tanstack/react-query';
import * as onCallApi from './endpoints/on-call';
import { keys, ticketChanged } from './keys';
import { useApiMutation } from './mutation';

// Reads of on-call: schedules, who is on call, the rota, overrides, policies, pages, the bell.

export function useSchedules() {
  return useQuery({ queryKey: keys.onCall.schedules, queryFn: onCallApi.schedules });
}

export function useEscalationPolicies() {
  return useQuery({ queryKey: keys.onCall.policies, queryFn: onCallApi.policies });
}

export function useRequesterP1Paging() {
  return useQuery({ queryKey: keys.onCall.requesterP1Paging, queryFn: onCallApi.requesterP1Paging });
}

export function useOnCallNow(scheduleId: string) {
  return useQuery({ queryKey: keys.onCall.now.of(scheduleId), queryFn: () => onCallApi.onCallNow(scheduleId), refetchInterval: 60_000 });
}

export function useRota(scheduleId: string, from: Date, to: Date) {
  return useQuery({ queryKey: keys.onCall.rota.of(scheduleId, from.toISOString()), queryFn: () => onCallApi.shifts(scheduleId, from, to) });
}

export function useOverrides(scheduleId: string) {
  return useQuery({ queryKey: keys.onCall.overrides.of(scheduleId), queryFn: () => onCallApi.overrides(scheduleId) });
}

export function usePageDetail(pageId: string) {
  return useQuery({ queryKey: keys.pages.detail(pageId), queryFn: () => onCallApi.pageDetail(pageId) });
}

/** The bell's list: what Firebreak told me in the app, with the unread count. */
export function useNotifications() {
  return useQuery({ queryKey: keys.notifications, queryFn: onCallApi.notifications, refetchInterval: 60_000 });
}

/** Mark notifications read; the bell's count follows. */
export function useMarkRead() {
  return useApiMutation({ mutationFn: onCallApi.markRead, invalidates: [keys.notifications] });
}

/**
 * Acknowledge a page (which stops its escalation and may make the ticket mine), from the page's
 * own screen, the ticket's pages or the bell: the page, every list of pages, the bell and the
 * ticket are read again. `markRead` also marks the bell's notification of it read.
 */
export function useAcknowledgePage() {
  return useApiMutation({
    mutationFn: async ({ pageId, markRead }: { pageId: string; ticketId: string | null; markRead?: string }) => {
      const page = await onCallApi.acknowledge(pageId);
      if (markRead) await onCallApi.markRead({ ids: [markRead] });
      return page;
    },
    invalidates: (_page, { pageId, ticketId }) => [
      keys.pages.detail(pageId),
      keys.pages.all,
      keys.notifications,
      ...(ticketId ? ticketChanged(ticketId) : []),
    ],
  });
}
