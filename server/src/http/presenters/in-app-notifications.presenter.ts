import type { z } from 'zod';
import type { InAppNotificationBody, InAppNotificationsPage } from '../../../../core/contracts/on-call.js';
import type { PageState } from '../../../../core/paging.js';
import type { NotificationRow } from '../../repositories/notifications.repository.js';

/** A page the notification is about, with whether it still runs (the bell then offers "Acknowledge"). */
function pageOf(n: NotificationRow, states: Map<string, PageState>) {
  const id = n.reason === 'paged' && typeof n.payload?.pageId === 'string' ? n.payload.pageId : null;
  const state = id ? states.get(id) : undefined;
  return id && state ? { id, state } : null;
}

export function presentInAppNotification(n: NotificationRow, pageStates: Map<string, PageState>): z.input<typeof InAppNotificationBody> {
  return {
    id: n.id,
    ticketId: n.ticketId,
    reason: n.reason,
    text: n.subject,
    body: n.bodyText,
    page: pageOf(n, pageStates),
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

/** The bell's page: its notifications newest first, where the next page starts, and the unread count. */
export function presentInAppNotificationsPage(page: {
  items: NotificationRow[];
  nextCursor: string | null;
  unread: number;
  pageStates: Map<string, PageState>;
}): z.input<typeof InAppNotificationsPage> {
  return {
    items: page.items.map((n) => presentInAppNotification(n, page.pageStates)),
    nextCursor: page.nextCursor,
    unread: page.unread,
  };
}
