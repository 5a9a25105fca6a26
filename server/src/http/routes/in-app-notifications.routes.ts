import { z } from 'zod';
import { InAppNotificationsPage, InAppNotificationsQuery, MarkRead } from '../../../../core/contracts/on-call.js';
import type { PageState } from '../../../../core/paging.js';
import type { NotificationRow } from '../../repositories/notifications.repository.js';
import { listMyNotifications, markMyNotificationsRead } from '../../services/in-app-notifications.service.js';
import { actorOf } from '../plugins/authentication.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

const pageOf = (n: NotificationRow, states: Map<string, PageState>) => {
  const id = n.reason === 'paged' && typeof n.payload?.pageId === 'string' ? n.payload.pageId : null;
  const state = id ? states.get(id) : undefined;
  return id && state ? { id, state } : null;
};

/** The bell: your own in-app notifications and marking them read. */
export function inAppNotificationRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/me/notifications',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['auth'],
        summary: 'Your in-app notifications, newest first (pass nextCursor as cursor for older ones), with the unread count',
        querystring: InAppNotificationsQuery,
        response: { 200: InAppNotificationsPage, ...problems(400, 401) },
      },
    },
    async (request) => {
      const page = await listMyNotifications(deps.db, actorOf(request), request.query);
      return {
        items: page.items.map((n) => ({
          id: n.id,
          ticketId: n.ticketId,
          reason: n.reason,
          text: n.subject,
          body: n.bodyText,
          page: pageOf(n, page.pageStates),
          createdAt: n.createdAt.toISOString(),
          readAt: n.readAt?.toISOString() ?? null,
        })),
        nextCursor: page.nextCursor,
        unread: page.unread,
      };
    },
  );
  app.post(
    '/api/v1/me/notifications/read',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['auth'],
        summary: 'Mark some of your notifications ({ids}) or all of them ({all: true}) read',
        body: MarkRead,
        response: { 200: z.object({ marked: z.number().int(), unread: z.number().int() }), ...problems(400, 401) },
      },
    },
    async (request) => markMyNotificationsRead(deps, actorOf(request), request.body),
  );
}
