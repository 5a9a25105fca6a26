import { z } from 'zod';
import { InAppNotificationsPage, InAppNotificationsQuery, MarkRead } from '../../../../core/contracts/on-call.js';
import { listMyNotifications, markMyNotificationsRead } from '../../services/in-app-notifications.service.js';
import { actorOf } from '../plugins/authentication.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

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
