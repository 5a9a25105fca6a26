import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  ApplyCannedReply,
  CannedReply,
  CannedReplyParams,
  CannedReplyPreview,
  SaveCannedReply,
} from '../../../../core/contracts/canned-replies.js';
import { IdParams, IfMatchHeaders, Items, NoContent } from '../../../../core/contracts/common.js';
import { Ticket, TimelineEvent } from '../../../../core/contracts/tickets.js';
import {
  applyCannedReply,
  type CannedReplyView,
  createCannedReply,
  getCannedReply,
  listCannedReplies,
  previewCannedReply,
  removeCannedReply,
  updateCannedReply,
} from '../../services/canned-replies.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentTicket, presentTimelineEvent } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

function present({ reply, updatedByName, changesSummary }: CannedReplyView): z.input<typeof CannedReply> {
  return {
    id: reply.id,
    name: reply.name,
    body: reply.body,
    visibility: reply.visibility,
    scope: reply.ownerId ? 'personal' : 'shared',
    ownerId: reply.ownerId,
    changes: {
      state: reply.setState,
      onHoldReason: reply.onHoldReason,
      resolutionCode: reply.resolutionCode,
      teamId: reply.setTeamId,
      assigneeId: reply.setAssigneeId,
    },
    changesSummary,
    version: reply.version,
    updatedAt: reply.updatedAt.toISOString(),
    updatedBy: reply.updatedById && updatedByName ? { id: reply.updatedById, name: updatedByName } : null,
  };
}

const sent = (reply: FastifyReply, view: CannedReplyView) => {
  reply.header('etag', etag(view.reply.version));
  return present(view);
};

/** Canned replies (issue 18 item 4): staff only; shared ones kept by managers, personal ones by their owner. */
export function cannedReplyRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/canned-replies',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'The shared canned replies and your personal ones',
        response: { 200: Items(CannedReply), ...problems(401, 403) },
      },
    },
    async (request) => ({ items: (await listCannedReplies(deps, actorOf(request))).map(present) }),
  );

  app.post(
    '/api/v1/canned-replies',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Save a canned reply (shared ones: managers and admins)',
        description:
          'The body may use {requester_name}, {ticket_number}, {ticket_title}, {service}, {due} and {agent_name}; any other {name} is refused with 400 naming it.',
        body: SaveCannedReply,
        response: { 201: CannedReply, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => sent(reply.status(201), await createCannedReply(deps, actorOf(request), request.body)),
  );

  app.get(
    '/api/v1/canned-replies/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['desk'], summary: 'One canned reply', params: IdParams, response: { 200: CannedReply, ...problems(401, 403, 404) } },
    },
    async (request, reply) => sent(reply, await getCannedReply(deps, actorOf(request), request.params.id)),
  );

  app.put(
    '/api/v1/canned-replies/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Change a canned reply (If-Match: a reply saved since you read it is refused with 412 naming who)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: SaveCannedReply,
        response: { 200: CannedReply, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      sent(
        reply,
        await updateCannedReply(deps, actorOf(request), request.params.id, request.body, expectedVersion(request.headers['if-match'])),
      ),
  );

  app.delete(
    '/api/v1/canned-replies/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Remove a canned reply',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problems(401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      await removeCannedReply(deps, actorOf(request), request.params.id, expectedVersion(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/tickets/:id/canned-replies/:replyId/preview',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'A canned reply as it would read on this ticket (variables filled in); changes nothing',
        params: CannedReplyParams,
        response: { 200: CannedReplyPreview, ...problems(401, 403, 404) },
      },
    },
    async (request) => previewCannedReply(deps, actorOf(request), request.params.id, request.params.replyId),
  );

  app.post(
    '/api/v1/tickets/:id/canned-replies/:replyId/apply',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Send a canned reply and apply its field changes in one transaction',
        description:
          'body: the text to send (the rendered reply when left out). Send If-Match with the ticket ETag. A refused field change (an illegal state move, say) refuses the whole call: no reply is posted.',
        params: CannedReplyParams,
        headers: IfMatchHeaders,
        body: ApplyCannedReply,
        response: { 201: z.object({ ticket: Ticket, comment: TimelineEvent }), ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { ticket, comment } = await applyCannedReply(
        deps,
        actorOf(request),
        request.params.id,
        request.params.replyId,
        request.body ?? {},
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(ticket.ticket.version));
      return reply.status(201).send({
        ticket: presentTicket(ticket),
        comment: presentTimelineEvent({ ...comment, actorName: request.authentication!.user.name }),
      });
    },
  );
}
