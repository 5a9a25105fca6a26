import { Alert, ListAlertsQuery, PromoteDisturbance } from '../../../../core/contracts/alerts.js';
import { IdParams, IfMatchHeaders, Items, Page } from '../../../../core/contracts/common.js';
import { Ticket } from '../../../../core/contracts/tickets.js';
import { alertsOfTicket, searchAlerts } from '../../services/alert-query.service.js';
import { promoteDisturbanceView } from '../../services/ticket-write-views.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentAlert } from '../presenters/alerts.presenter.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

export function alertRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/alerts',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['alerts'],
        summary: 'Alerts with their counts and state, most recently seen first',
        querystring: ListAlertsQuery,
        response: { 200: Page(Alert), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await searchAlerts(deps.db, request.query);
      return { items: page.items.map(presentAlert), nextCursor: page.nextCursor };
    },
  );
  app.get(
    '/api/v1/tickets/:id/alerts',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['alerts'],
        summary: "A ticket's alerts (its alert history is on the timeline as events of type alert)",
        params: IdParams,
        response: { 200: Items(Alert), ...problems(401, 403, 404) },
      },
    },
    async (request) => ({ items: (await alertsOfTicket(deps.db, request.params.id)).map(presentAlert) }),
  );
  app.post(
    '/api/v1/tickets/:id/promote',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Promote a disturbance to an incident (the new incident links back; the disturbance is resolved as promoted)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: PromoteDisturbance,
        response: { 201: Ticket, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const view = await promoteDisturbanceView(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match']));
      return reply
        .status(201)
        .header('etag', etag(view.ticket.version))
        .header('location', `/api/v1/tickets/${view.ticket.id}`)
        .send(presentTicket(view));
    },
  );
}
