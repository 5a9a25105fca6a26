import { IdParams, Items, NoContent } from '../../../../core/contracts/common.js';
import { FollowedTicket } from '../../../../core/contracts/tickets.js';
import { followTicket, myFollowedTickets, unfollowTicket } from '../../services/followers.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentFollowedTicket } from '../presenters/followers.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** Following a ticket one did not report (a known issue), to hear of its updates and resolution. */
export function followerRoutes(app: Api, deps: RouteDeps): void {
  app.put(
    '/api/v1/tickets/:id/follow',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary:
          'Follow a ticket: hear of its public updates and its resolution (anyone who can see it, or anyone while it is a known issue)',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 404) },
      },
    },
    async (request, reply) => {
      await followTicket(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/tickets/:id/follow',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Stop following a ticket',
        params: IdParams,
        response: { 204: NoContent, ...problems(401) },
      },
    },
    async (request, reply) => {
      await unfollowTicket(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/followed-tickets',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'The tickets you follow, most recently followed first (at most 50)',
        response: { 200: Items(FollowedTicket), ...problems(401) },
      },
    },
    async (request) => ({ items: (await myFollowedTickets(deps, actorOf(request))).map(presentFollowedTicket) }),
  );
}
