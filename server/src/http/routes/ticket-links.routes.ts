import { IdParams, IfMatchHeaders } from '../../../../core/contracts/common.js';
import {
  ChildParams,
  LinkChildren,
  LinkChildrenResult,
  MergeTicket,
  MeTooResult,
  TicketByNumber,
  TicketLinks,
  TicketNumberParams,
} from '../../../../core/contracts/major-incidents.js';
import { Ticket } from '../../../../core/contracts/tickets.js';
import {
  findTicketIdByNumber,
  getTicketLinks,
  joinAsAffected,
  linkChildTickets,
  mergeTicket,
  unlinkChildTicket,
} from '../../services/ticket-links.service.js';
import { getTicketView } from '../../services/ticket-query.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentTicketLinks } from '../presenters/ticket-links.presenter.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

/** Parent and child, merge and Me too (issue 14). */
export function ticketLinkRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/tickets/:id/links',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['major incidents'],
        summary: "A ticket's parent incident, the ticket it was merged into, its children (staff only) and its affected people",
        params: IdParams,
        response: { 200: TicketLinks, ...problems(401, 404) },
      },
    },
    async (request) => presentTicketLinks(await getTicketLinks(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/tickets/:id/children',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary:
          'Link tickets as children of this incident: they resolve with it, and each requester is told once that it is a known problem',
        description:
          'Refused, and nothing changes, for the incident itself or a cycle (409), a parent that is not an open incident, a final child, or a child of another incident (422 or 409). If-Match applies to the parent. Linking a child again changes nothing.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: LinkChildren,
        response: { 200: LinkChildrenResult, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { parent, linked } = await linkChildTickets(
        deps,
        actorOf(request),
        request.params.id,
        request.body.ticketIds,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(parent.version));
      return { linked, parentVersion: parent.version };
    },
  );

  app.delete(
    '/api/v1/tickets/:id/children/:childId',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Unlink a child: it no longer resolves with the incident',
        params: ChildParams,
        headers: IfMatchHeaders,
        response: { 200: Ticket, ...problems(401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const parent = await unlinkChildTicket(
        deps,
        actor,
        request.params.id,
        request.params.childId,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(parent.version));
      return presentTicket(await getTicketView(deps.db, actor, parent.id));
    },
  );

  app.post(
    '/api/v1/tickets/:id/merge',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Merge this ticket (a duplicate) into another: it closes with code "duplicate" and points to the survivor',
        description:
          "The duplicate's requester follows the survivor. Merging a ticket that is not open, or into itself, is 409. If-Match applies to the duplicate.",
        params: IdParams,
        headers: IfMatchHeaders,
        body: MergeTicket,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const closed = await mergeTicket(deps, actor, request.params.id, request.body.intoId, expectedVersion(request.headers['if-match']));
      reply.header('etag', etag(closed.version));
      return presentTicket(await getTicketView(deps.db, actor, closed.id));
    },
  );

  app.put(
    '/api/v1/tickets/:id/affected',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['major incidents'],
        summary: 'Me too: join a known problem as an affected person (and follow it) instead of reporting it again',
        params: IdParams,
        response: { 200: MeTooResult, ...problems(401, 404, 409) },
      },
    },
    async (request) => {
      const { ticket, joined } = await joinAsAffected(deps, actorOf(request), request.params.id);
      return { affectedCount: ticket.affectedCount, joined, following: true };
    },
  );

  app.get(
    '/api/v1/ticket-numbers/:number',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Find a ticket by its number (INC0000042), to link or merge by number',
        params: TicketNumberParams,
        response: { 200: TicketByNumber, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const id = await findTicketIdByNumber(deps, request.params.number);
      const { ticket } = await getTicketView(deps.db, actor, id);
      return { id: ticket.id, number: ticket.number, title: ticket.title, kind: ticket.kind, state: ticket.state };
    },
  );
}
