import type { FastifyReply } from 'fastify';
import { IdParams, IfMatchHeaders } from '../../../../core/contracts/common.js';
import { ChangeScope, DeclareMajor, IncidentOwnership } from '../../../../core/contracts/major-incidents.js';
import { Ticket } from '../../../../core/contracts/tickets.js';
import type { Actor } from '../../../../core/permissions.js';
import type { TicketRow } from '../../repositories/tickets.repository.js';
import { getIncidentOwnership, setIncidentOwnership } from '../../services/incident-ownership.service.js';
import { changeScope, declareMajorIncident } from '../../services/major-incidents.service.js';
import { getTicketView } from '../../services/ticket-query.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

/** Scope, ownership and declaring major incidents (issue 14). */
export function majorIncidentRoutes(app: Api, deps: RouteDeps): void {
  const presentWritten = async (reply: FastifyReply, actor: Actor, saved: TicketRow) => {
    reply.header('etag', etag(saved.version));
    return presentTicket(await getTicketView(deps.db, actor, saved.id));
  };

  app.post(
    '/api/v1/tickets/:id/scope',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary:
          "Change an incident's scope (local or global) with a reason; made global, it becomes a major incident owned by the Technical Manager",
        params: IdParams,
        headers: IfMatchHeaders,
        body: ChangeScope,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return presentWritten(
        reply,
        actor,
        await changeScope(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match'])),
      );
    },
  );

  app.post(
    '/api/v1/tickets/:id/declare-major',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary:
          'Declare a major incident: it becomes global, is marked major and is owned by the Technical Manager (409 when it is major already)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: DeclareMajor,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return presentWritten(
        reply,
        actor,
        await declareMajorIncident(deps, actor, request.params.id, request.body.reason, expectedVersion(request.headers['if-match'])),
      );
    },
  );

  app.get(
    '/api/v1/settings/incident-ownership',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Who owns local and global incidents: the role names and their holders',
        response: { 200: IncidentOwnership, ...problems(401, 403) },
      },
    },
    async () => getIncidentOwnership(deps.db),
  );

  app.put(
    '/api/v1/settings/incident-ownership',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['major incidents'],
        summary: 'Set the ownership roles: a display name for each, held by a person or a team (its manager)',
        body: IncidentOwnership,
        response: { 200: IncidentOwnership, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => setIncidentOwnership(deps, request.body),
  );
}
