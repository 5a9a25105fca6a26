import { IdParams, IfMatchHeaders } from '../../../../core/contracts/common.js';
import {
  CreateProblem,
  KnownErrors,
  LinkIncidents,
  LinkIncidentsResult,
  ProblemIncidentParams,
  ProblemLinks,
  ServiceImpact,
  UpdateProblem,
} from '../../../../core/contracts/problems.js';
import { IdempotencyHeaders, Ticket } from '../../../../core/contracts/tickets.js';
import {
  createProblem,
  getKnownErrors,
  getProblemLinks,
  getServiceImpact,
  linkIncidents,
  setKnownError,
  unlinkIncident,
  updateProblem,
} from '../../services/problems.service.js';
import { getTicketView } from '../../services/ticket-query.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

/** Problems and known errors, and what else a ticket's service takes down (issue 17). Staff only. */
export function problemRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/api/v1/problems',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: 'Record a problem (PRB…), on its own or from incidents',
        description:
          'A problem is a ticket of kind "problem": it has the timeline, assignment, team and state machine of every ticket. incidentIds links incidents at once; one that does not exist, is not an incident, or belongs to another problem refuses the whole request (422/409) and nothing is recorded. Idempotency-Key makes retries safe.',
        headers: IdempotencyHeaders,
        body: CreateProblem,
        response: { 201: Ticket, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { problem, replayed } = await createProblem(deps, actor, request.body, request.headers['idempotency-key']);
      if (replayed) reply.header('idempotent-replayed', 'true');
      const view = await getTicketView(deps.db, actor, problem.id);
      return reply
        .status(201)
        .header('etag', etag(problem.version))
        .header('location', `/api/v1/tickets/${problem.id}`)
        .send(presentTicket(view));
    },
  );

  app.patch(
    '/api/v1/problems/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: "Edit a problem's root cause analysis, workaround, and workaround for requesters",
        description:
          'If-Match applies (412 naming who changed it). Any other kind of ticket is refused with 422: only problems take these fields. `workaround` is for staff; `publicWorkaround` is the only text of a known error the portal shows requesters (without it, they are not shown the known error).',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateProblem,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await updateProblem(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match']));
      reply.header('etag', etag(saved.version));
      return presentTicket(await getTicketView(deps.db, actor, saved.id));
    },
  );

  for (const method of ['put', 'delete'] as const) {
    app[method](
      '/api/v1/problems/:id/known-error',
      {
        config: { access: 'agent' },
        schema: {
          tags: ['problems'],
          summary: method === 'put' ? 'Mark a problem as a known error (it needs a workaround)' : 'Take the known-error mark off a problem',
          description:
            'A known error shows its workaround on every open incident of the same service (or category, when the problem names no service) until the problem is resolved or closed.',
          params: IdParams,
          headers: IfMatchHeaders,
          response: { 200: Ticket, ...problems(401, 403, 404, 409, 412, 422) },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const saved = await setKnownError(deps, actor, request.params.id, method === 'put', expectedVersion(request.headers['if-match']));
        reply.header('etag', etag(saved.version));
        return presentTicket(await getTicketView(deps.db, actor, saved.id));
      },
    );
  }

  app.post(
    '/api/v1/problems/:id/incidents',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: 'Link incidents to a problem (many incidents, one problem each); on both timelines',
        description:
          'An incident that does not exist or that you may not see is 422 naming incidentIds; one of another problem is 409. Nothing changes on a refusal. If-Match applies to the problem.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: LinkIncidents,
        response: { 200: LinkIncidentsResult, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { problem, linked } = await linkIncidents(
        deps,
        actorOf(request),
        request.params.id,
        request.body.incidentIds,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(problem.version));
      return { linked, problemVersion: problem.version };
    },
  );

  app.delete(
    '/api/v1/problems/:id/incidents/:incidentId',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: 'Unlink an incident from a problem; on both timelines',
        params: ProblemIncidentParams,
        headers: IfMatchHeaders,
        response: { 200: Ticket, ...problems(401, 403, 404, 412, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const problem = await unlinkIncident(
        deps,
        actor,
        request.params.id,
        request.params.incidentId,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(problem.version));
      return presentTicket(await getTicketView(deps.db, actor, problem.id));
    },
  );

  app.get(
    '/api/v1/tickets/:id/problem-links',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: "A problem's stage and linked incidents, or an incident's problem",
        params: IdParams,
        response: { 200: ProblemLinks, ...problems(401, 403, 404) },
      },
    },
    async (request) => getProblemLinks(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/tickets/:id/known-errors',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: 'The known errors (with workarounds) that apply to this open incident',
        params: IdParams,
        response: { 200: KnownErrors, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const items = await getKnownErrors(deps, actorOf(request), request.params.id);
      return { items: items.map((k) => ({ ...k, knownErrorAt: k.knownErrorAt.toISOString() })) };
    },
  );

  app.get(
    '/api/v1/tickets/:id/service-impact',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: "What else is affected: every service that depends, directly or transitively, on the ticket's service",
        params: IdParams,
        response: { 200: ServiceImpact, ...problems(401, 403, 404) },
      },
    },
    async (request) => getServiceImpact(deps, actorOf(request), request.params.id),
  );
}
