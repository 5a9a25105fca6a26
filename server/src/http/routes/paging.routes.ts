import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Items, Problem } from '../../../../core/contracts/common.js';
import {
  AckTokenForm,
  AckTokenQuery,
  CreateEscalationPolicy,
  CreatePage,
  EscalationPolicyBody,
  PageBody,
  PageDetailBody,
  RequesterP1PagingBody,
  UpdateEscalationPolicy,
} from '../../../../core/contracts/on-call.js';
import { Ticket } from '../../../../core/contracts/tickets.js';
import { AppError } from '../../../../core/errors.js';
import { confirmHeldPage, getRequesterP1Paging, setRequesterP1Paging } from '../../services/critical-paging.service.js';
import {
  createEscalationPolicy,
  type EscalationPolicyView,
  getEscalationPolicy,
  listEscalationPolicyViews,
  updateEscalationPolicyById,
} from '../../services/escalation-policies.service.js';
import { getPageView, listTicketPages, type PageView } from '../../services/page-views.service.js';
import {
  type AckAssignment,
  acknowledgePage,
  acknowledgePageByToken,
  describePageAckToken,
  pageTicket,
} from '../../services/paging.service.js';
import { getTicketView } from '../../services/ticket-query.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, problems, type RouteDeps } from '../route-types.js';

const presentPolicy = (p: EscalationPolicyView) => ({ ...p, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() });
const presentPage = (
  { page, recipients, steps, policyName, triggeredByName, acknowledgedByName }: PageView,
  assignment?: AckAssignment | null,
) => ({
  ...page,
  createdAt: page.createdAt.toISOString(),
  acknowledgedAt: page.acknowledgedAt?.toISOString() ?? null,
  endedAt: page.endedAt?.toISOString() ?? null,
  recipients: recipients.map((r) => ({ ...r, pagedAt: r.pagedAt.toISOString() })),
  steps,
  policyName,
  triggeredByName,
  acknowledgedByName,
  ...(assignment !== undefined ? { assignment } : {}),
});

/** The e-mail link's pages answer HTML for people, problem+json for bad requests. */
const HtmlOrProblem = z.union([z.string(), Problem]);

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Firebreak</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1.1rem;padding:.6rem 1.4rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

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
    async () => ({ items: (await listEscalationPolicyViews(deps.db)).map(presentPolicy) }),
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
    async (request, reply) => reply.status(201).send(presentPolicy(await createEscalationPolicy(deps, request.body))),
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
    async (request) => presentPolicy(await getEscalationPolicy(deps.db, request.params.id)),
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
    async (request) => presentPolicy(await updateEscalationPolicyById(deps, request.params.id, request.body)),
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
      const actor = actorOf(request);
      const saved = await confirmHeldPage(deps, actor, request.params.id);
      reply.header('etag', etag(saved.version));
      return presentTicket(await getTicketView(deps.db, actor, saved.id));
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
      const view = await getPageView(deps.db, actorOf(request), request.params.id);
      const { ticket: t, serviceName, teamName, assigneeName } = view.ticket;
      return {
        page: presentPage(view),
        ticket: {
          id: t.id,
          number: t.number,
          title: t.title,
          priority: t.priority,
          state: t.state,
          serviceName,
          teamName,
          assigneeId: t.assigneeId,
          assigneeName,
        },
      };
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
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (!found) {
        return reply
          .status(400)
          .send(htmlPage('This link does not work', '<p>It is not valid or has expired. Acknowledge the page in Firebreak instead.</p>'));
      }
      const { page, ticket } = found;
      const about = `<p><strong>${escapeHtml(ticket.number)}</strong>: ${escapeHtml(ticket.title)}</p><p>${escapeHtml(page.message)}</p>`;
      if (page.state !== 'triggered') {
        return reply.send(htmlPage(`This page is ${page.state}`, `${about}<p>Nothing more to do here.</p>`));
      }
      return reply.send(
        htmlPage(
          'Acknowledge this page?',
          `${about}<form method="post" action="/api/v1/pages/acknowledge"><input type="hidden" name="token" value="${escapeHtml(request.query.token)}"><button type="submit">Acknowledge</button></form>`,
        ),
      );
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
            200: z.union([z.string(), PageBody]),
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
          const taken =
            assignment?.outcome === 'assigned'
              ? '<p>The ticket is now assigned to you.</p>'
              : assignment?.outcome === 'already_assigned'
                ? `<p>${escapeHtml(assignment.assigneeName)} stays the assignee.</p>`
                : '';
          return reply
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-store')
            .send(
              htmlPage(
                'Acknowledged',
                `<p><strong>${escapeHtml(ticket.number)}</strong>: ${escapeHtml(ticket.title)}</p><p>Escalation has stopped. Thank you.</p>${taken}`,
              ),
            );
        } catch (err) {
          if (!wantsHtml || !(err instanceof AppError)) throw err;
          return reply
            .status(err.status as 400 | 403 | 404 | 409)
            .type('text/html; charset=utf-8')
            .send(htmlPage('Not acknowledged', `<p>${escapeHtml(err.message)}</p>`));
        }
      },
    );
  });
}
