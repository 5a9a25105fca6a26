import { z } from 'zod';
import { IdParams, IfMatchHeaders } from '../../../../core/contracts/common.js';
import { AssignFairlyBody } from '../../../../core/contracts/fair-assignment.js';
import { Ticket } from '../../../../core/contracts/tickets.js';
import { assignFairlyView } from '../../services/ticket-write-views.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

/** Fair assignment (issue 18, item 3): "assign fairly" on a ticket, by its team's strategy or one named. */
export function fairAssignmentRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/api/v1/tickets/:id/assign-fairly',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Give the ticket to a member of its team, in turn or to the least loaded, with the reason on its timeline',
        description:
          "strategy: round_robin or least_loaded; left out, the team's own, or round robin when the team has none. Deactivated, off-shift and capped members are passed over; when nobody can take it, assigneeId is null and the reason says why (recorded as a work note).",
        params: IdParams,
        headers: IfMatchHeaders,
        body: AssignFairlyBody,
        response: {
          200: z.object({ ticket: Ticket, assigneeId: z.string().nullable(), reason: z.string() }),
          ...problems(400, 401, 403, 404, 409, 412, 422),
        },
      },
    },
    async (request, reply) => {
      const { view, assigneeId, reason } = await assignFairlyView(deps, actorOf(request), request.params.id, {
        strategy: request.body?.strategy,
        expectedVersion: expectedVersion(request.headers['if-match']),
      });
      reply.header('etag', etag(view.ticket.version));
      return { ticket: presentTicket(view), assigneeId, reason };
    },
  );
}
