import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Items } from '../../../../core/contracts/common.js';
import {
  AckAnswer,
  AckTokenForm,
  AckTokenQuery,
  CreateEscalationPolicy,
  CreatePage,
  EscalationPolicyBody,
  HtmlOrProblem,
  PageBody,
  PageDetailBody,
  RequesterP1PagingBody,
  UpdateEscalationPolicy,
} from '../../../../core/contracts/on-call.js';
import { Ticket } from '../../../../core/contracts/tickets.js';
import { AppError } from '../../../../core/errors.js';
import { getRequesterP1Paging, setRequesterP1Paging } from '../../services/critical-paging.service.js';
import {
  createEscalationPolicy,
  getEscalationPolicy,
  listEscalationPolicyViews,
  updateEscalationPolicyById,
} from '../../services/escalation-policies.service.js';
import { acknowledgePage, acknowledgePageByToken, describePageAckToken } from '../../services/page-acknowledgement.service.js';
import { getPageView, listTicketPages } from '../../services/page-views.service.js';
import { pageTicket } from '../../services/paging.service.js';
import { confirmHeldPageView } from '../../services/ticket-write-views.service.js';
import { actorOf } from '../plugins/authentication.js';
import { ackConfirmationPage, ackLinkNotValidPage, acknowledgedPage, notAcknowledgedPage } from '../presenters/page-ack-link.presenter.js';
import { presentEscalationPolicy, presentPage, presentPageDetail } from '../presenters/paging.presenter.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, problems, type RouteDeps } from '../route-types.js';

/** Escalation policies, paging a ticket, acknowledging pages (API and e-mail link). */
export async function pagingRoutes(app: Api, deps: RouteDeps): Promise<void> {
  app.get(
    '/api/v1/escalation-policies',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: 'Escalation policies',
        response: { 200: Items(EscalationPolicyBody), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listEscalationPolicyViews(deps.db)).map(presentEscalationPolicy) }),
  );
  app.post(
    '/api/v1/escalation-policies',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary:
          'Add an escalation policy: ordered levels (people, schedules, teams) with timeouts, repeated; and the teams and services it pages for',
        body: CreateEscalationPolicy,
        response: { 201: EscalationPolicyBody, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentEscalationPolicy(await createEscalationPolicy(deps, request.body))),
  );
  app.get(
    '/api/v1/escalation-policies/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: 'An escalation policy',
        params: IdParams,
        response: { 200: EscalationPolicyBody, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentEscalationPolicy(await getEscalationPolicy(deps.db, request.params.id)),
  );
  app.patch(
    '/api/v1/escalation-policies/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary: 'Change an escalation policy (running pages follow it from their next step)',
        params: IdParams,
        body: UpdateEscalationPolicy,
        response: { 200: EscalationPolicyBody, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentEscalationPolicy(await updateEscalationPolicyById(deps, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/tickets/:id/pages',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: "Page an escalation policy for the ticket (default: its team's, else its service's)",
        params: IdParams,
        body: CreatePage,
        response: { 201: PageBody, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(presentPage(await pageTicket(deps, actorOf(request), request.params.id, request.body)));
    },
  );
  app.post(
    '/api/v1/tickets/:id/confirm-priority',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Confirm a requester-reported P1 that is not paged yet: its on-call is paged now',
        params: IdParams,
        response: { 200: Ticket, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const view = await confirmHeldPageView(deps, actorOf(request), request.params.id);
      reply.header('etag', etag(view.ticket.version));
      return presentTicket(view);
    },
  );
  app.get(
    '/api/v1/settings/requester-p1-paging',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: "Whether a P1 made by a requester's own answers waits for staff before paging, and for how long",
        response: { 200: RequesterP1PagingBody, ...problems(401, 403) },
      },
    },
    async () => getRequesterP1Paging(deps.db),
  );
  app.put(
    '/api/v1/settings/requester-p1-paging',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['on-call'],
        summary: "Set whether a requester-reported P1 pages at once or waits for a staff member's confirmation",
        body: RequesterP1PagingBody,
        response: { 200: RequesterP1PagingBody, ...problems(400, 401, 403) },
      },
    },
    async (request) => setRequesterP1Paging(deps, actorOf(request), request.body),
  );
  app.get(
    '/api/v1/tickets/:id/pages',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: "The ticket's pages, newest first, with whom each step reached",
        params: IdParams,
        response: { 200: Items(PageBody), ...problems(401, 403, 404) },
      },
    },
    async (request) => ({
      items: (await listTicketPages(deps.db, actorOf(request), request.params.id)).map((p) => presentPage(p)),
    }),
  );
  app.post(
    '/api/v1/pages/:id/acknowledge',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: 'Acknowledge a page you were paged for: escalation stops, and the ticket becomes yours if nobody has it',
        params: IdParams,
        response: { 200: PageBody, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { view, assignment } = await acknowledgePage(deps, actorOf(request), request.params.id);
      return presentPage(view, assignment);
    },
  );
  app.get(
    '/api/v1/pages/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: 'A page and the ticket it is for: what is paged, since when, whom each step reached (the acknowledge-first view)',
        params: IdParams,
        response: { 200: PageDetailBody, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      return presentPageDetail(await getPageView(deps.db, actorOf(request), request.params.id));
    },
  );

  // The e-mail link. GET only shows what would be acknowledged (mail scanners follow links);
  // the button POSTs the same signed token. Both are public: the token is the credential.
  app.get(
    '/api/v1/pages/acknowledge',
    {
      config: { access: 'public' },
      schema: {
        tags: ['on-call'],
        summary: 'The confirmation page behind the acknowledge link in a page e-mail (changes nothing)',
        querystring: AckTokenQuery,
        security: [],
        response: { 200: HtmlOrProblem, 400: HtmlOrProblem },
      },
    },
    async (request, reply) => {
      const found = await describePageAckToken(deps, request.query.token);
      // same-origin, not no-referrer: the token never leaves for another site, and the form's POST
      // carries its Origin. Under no-referrer Chromium sends "Origin: null", which the CSRF check
      // refuses for anyone signed in — the on-call person reading the mail usually is.
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'same-origin');
      if (!found) return reply.status(400).send(ackLinkNotValidPage());
      return reply.send(ackConfirmationPage(found.ticket, found.page, request.query.token));
    },
  );
  // Awaited, so the route exists (and is in app.routeAccess) as soon as buildApp returns.
  await app.register(async (scoped) => {
    // The confirmation page's form posts urlencoded; only this route reads that media type.
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/pages/acknowledge',
      {
        config: { access: 'public' },
        schema: {
          tags: ['on-call'],
          summary: 'Acknowledge a page with the signed token from its e-mail (form or JSON)',
          body: AckTokenForm,
          security: [],
          response: {
            200: AckAnswer,
            400: HtmlOrProblem,
            403: HtmlOrProblem,
            404: HtmlOrProblem,
            409: HtmlOrProblem,
          },
        },
      },
      async (request, reply) => {
        const wantsHtml = String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        try {
          const { view, ticket, assignment } = await acknowledgePageByToken(deps, request.body.token);
          if (!wantsHtml) return reply.send(presentPage(view, assignment));
          return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(acknowledgedPage(ticket, assignment));
        } catch (err) {
          if (!wantsHtml || !(err instanceof AppError)) throw err;
          return reply
            .status(err.status as 400 | 403 | 404 | 409)
            .type('text/html; charset=utf-8')
            .send(notAcknowledgedPage(err.message));
        }
      },
    );
  });
}
