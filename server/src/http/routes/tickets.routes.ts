import type { FastifyReply } from 'fastify';
import { IdParams, IfMatchHeaders, Page } from '../../../../core/contracts/common.js';
import {
  AddComment,
  CreateTicket,
  Escalate,
  IdempotencyHeaders,
  ListTicketsQuery,
  Ticket,
  TimelineEvent,
  TimelineQuery,
  Transition,
  UpdateTicket,
} from '../../../../core/contracts/tickets.js';
import { fieldError } from '../../../../core/errors.js';
import { defaultReportChannel, refusedReportChannel } from '../../../../core/permissions.js';
import type { TicketListRow } from '../../repositories/tickets.repository.js';
import { addComment } from '../../services/ticket-conversation.service.js';
import { getTicketView, getTimeline, searchTickets } from '../../services/ticket-query.service.js';
import { escalateTicketView, reportTicketView, transitionTicketView, updateTicketView } from '../../services/ticket-write-views.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentedJson } from '../presented-json.js';
import { presentTicket, presentTimelineEvent } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

export function ticketRoutes(app: Api, deps: RouteDeps): void {
  /** After a write: the new ETag, and the ticket as committed. */
  const presentWritten = (reply: FastifyReply, view: TicketListRow) => {
    reply.header('etag', etag(view.ticket.version));
    return presentTicket(view);
  };

  app.post(
    '/api/v1/tickets',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Report an incident or a service request',
        description:
          'Priority comes from the priority matrix (impact × urgency); the team from the subcategory, category or service. Send an Idempotency-Key header to make retries safe: a retried request returns the first ticket.',
        headers: IdempotencyHeaders,
        body: CreateTicket,
        response: { 201: Ticket, ...problems(400, 401, 403, 413, 422) },
      },
      serializerCompiler: presentedJson,
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const refused = refusedReportChannel(actor, request.body.channel);
      if (refused) throw fieldError('forbidden', refused.field, refused.message);
      const { view, replayed } = await reportTicketView(deps, actor, request.body, {
        defaultChannel: defaultReportChannel(actor, request.authentication?.via === 'token' ? 'token' : 'session'),
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .status(201)
        .header('etag', etag(view.ticket.version))
        .header('location', `/api/v1/tickets/${view.ticket.id}`)
        .send(presentTicket(view));
    },
  );

  app.get(
    '/api/v1/tickets',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'List tickets with filters, sorting and cursor pagination (requesters see their own)',
        description:
          'Filters combine with AND; comma-separated values combine with OR (state=new,assigned). state=open means any open state. assigneeId accepts `me` and `none`. q searches number, title and description by word prefix.',
        querystring: ListTicketsQuery,
        response: { 200: Page(Ticket), ...problems(400, 401) },
      },
      // A page of 50 tickets, each built field by field by presentTicket: no re-check of every field.
      serializerCompiler: presentedJson,
    },
    async (request) => {
      const page = await searchTickets(deps.db, actorOf(request), request.query);
      return { items: page.items.map(presentTicket), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/tickets/:id',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'One ticket; its ETag is the version to send in If-Match',
        params: IdParams,
        response: { 200: Ticket, ...problems(401, 404) },
      },
      serializerCompiler: presentedJson,
    },
    async (request, reply) => {
      const view = await getTicketView(deps.db, actorOf(request), request.params.id);
      reply.header('etag', etag(view.ticket.version));
      return presentTicket(view);
    },
  );

  app.patch(
    '/api/v1/tickets/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Change fields, assignment or priority (override needs a reason)',
        description: 'Send If-Match with the ETag you read: a ticket changed since then is refused with 412, never silently overwritten.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateTicket,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
      serializerCompiler: presentedJson,
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return presentWritten(
        reply,
        await updateTicketView(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match'])),
      );
    },
  );

  app.post(
    '/api/v1/tickets/:id/transitions',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Move a ticket through its lifecycle',
        description:
          'to: in_progress (start, resume, or reopen from resolved with a reason), on_hold (with onHoldReason), resolved (with resolutionCode and resolutionNotes), closed, cancelled (with a reason). An illegal move is refused with 409 naming the allowed ones. Requesters may close (confirm), reopen or cancel their own tickets. An incident closes only when its completion checklist is done (409 listing what is missing), unless an admin gives checklistOverrideReason.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: Transition,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412) },
      },
      serializerCompiler: presentedJson,
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return presentWritten(
        reply,
        await transitionTicketView(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match'])),
      );
    },
  );

  app.post(
    '/api/v1/tickets/:id/escalations',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Escalate with a reason: functional (to another team) or hierarchical (alert management)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: Escalate,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
      serializerCompiler: presentedJson,
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return presentWritten(
        reply,
        await escalateTicketView(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match'])),
      );
    },
  );

  app.post(
    '/api/v1/tickets/:id/comments',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Add a public comment or an internal work note',
        params: IdParams,
        body: AddComment,
        response: { 201: TimelineEvent, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const event = await addComment(deps, actorOf(request), request.params.id, request.body);
      const user = request.authentication!.user;
      return reply.status(201).send(presentTimelineEvent({ ...event, actorName: user.name }));
    },
  );

  app.get(
    '/api/v1/tickets/:id/timeline',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'The ticket history, oldest first (requesters never see work notes)',
        params: IdParams,
        querystring: TimelineQuery,
        response: { 200: Page(TimelineEvent), ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const page = await getTimeline(deps.db, actorOf(request), request.params.id, request.query);
      return { items: page.items.map(presentTimelineEvent), nextCursor: page.nextCursor };
    },
  );
}
