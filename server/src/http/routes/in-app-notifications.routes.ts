import { InAppNotificationsPage, InAppNotificationsQuery, MarkedRead, MarkRead } from '../../../../core/contracts/on-call.js';
import { listMyNotifications, markMyNotificationsRead } from '../../services/in-app-notifications.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentInAppNotificationsPage } from '../presenters/in-app-notifications.presenter.js';
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
      return presentInAppNotificationsPage(await listMyNotifications(deps.db, actorOf(request), request.query));
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
        response: { 200: MarkedRead, ...problems(400, 401) },
      },
    },
    async (request) => markMyNotificationsRead(deps, actorOf(request), request.body),
  );
}
