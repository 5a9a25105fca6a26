import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, IfMatchHeaders } from '../../../../core/contracts/common.js';
import { HtmlOrProblem } from '../../../../core/contracts/on-call.js';
import {
  RateByLink,
  RateLinkQuery,
  RateTicket,
  SatisfactionQuery,
  SatisfactionRating,
  SatisfactionRatingPage,
  TicketSatisfaction,
} from '../../../../core/contracts/storms.js';
import { AppError } from '../../../../core/errors.js';
import { ratingRefusal } from '../../../../core/satisfaction.js';
import {
  describeRateLink,
  getTicketSatisfaction,
  listSatisfactionRatings,
  rateTicket,
  rateTicketByLink,
} from '../../services/satisfaction.service.js';
import { actorOf } from '../plugins/authentication.js';
import {
  notRatedPage,
  presentListedRating,
  presentRating,
  ratedPage,
  rateFormPage,
  rateLinkNotValidPage,
} from '../presenters/satisfaction.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

/** Satisfaction (issue 14, item 10): the requester rates a closed ticket 1–5, in the portal or from the mail's link. */
export async function satisfactionRoutes(app: Api, deps: RouteDeps): Promise<void> {
  app.get(
    '/api/v1/tickets/:id/satisfaction',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: "A ticket's satisfaction rating (its requester and the desk), and whether the caller may rate it now",
        params: IdParams,
        response: { 200: TicketSatisfaction, ...problems(401, 404) },
      },
    },
    async (request, reply) => {
      const { ticketId, canRate, rating } = await getTicketSatisfaction(deps, actorOf(request), request.params.id);
      if (rating) reply.header('etag', etag(rating.version));
      return { ticketId, canRate, rating: rating && presentRating(rating) };
    },
  );

  app.put(
    '/api/v1/tickets/:id/satisfaction',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Rate how a closed ticket was handled, 1 to 5 with an optional comment (its requester; changeable for 7 days)',
        description:
          'One answer per ticket: the first PUT creates it (201), later ones change it (200) for 7 days after the first, then 409. A rating outside 1–5 is 422; a ticket that is not closed, 409. If-Match (the rating’s version) is optional.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: RateTicket,
        response: { 200: SatisfactionRating, 201: SatisfactionRating, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { rating, created } = await rateTicket(
        deps,
        actorOf(request),
        request.params.id,
        request.body,
        expectedVersion(request.headers['if-match']),
      );
      return reply
        .status(created ? 201 : 200)
        .header('etag', etag(rating.version))
        .send(presentRating(rating));
    },
  );

  app.get(
    '/api/v1/satisfaction-ratings',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['tickets'],
        summary: 'Every satisfaction rating, newest first (for reports)',
        querystring: SatisfactionQuery,
        response: { 200: SatisfactionRatingPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listSatisfactionRatings(deps, request.query);
      return { items: page.items.map(presentListedRating), nextCursor: page.nextCursor };
    },
  );

  // The e-mail link. GET only shows the form (mail scanners follow links); the form POSTs the
  // same signed token with the rating. Both are public: the token is the credential.
  app.get(
    '/api/v1/satisfaction/rate',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tickets'],
        summary: 'The rating form behind the link in the "how did we do?" mail (changes nothing)',
        querystring: RateLinkQuery,
        security: [],
        response: { 200: HtmlOrProblem, 400: HtmlOrProblem },
      },
    },
    async (request, reply) => {
      const found = await describeRateLink(deps, request.query.token);
      // same-origin, not no-referrer: the token never leaves for another site, and the form's POST
      // still carries its Origin (under no-referrer it is "null", which the CSRF check refuses).
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'same-origin');
      if (!found) return reply.status(400).send(rateLinkNotValidPage());
      const refusal = ratingRefusal({
        rating: 3,
        ticket: found.ticket,
        personId: found.ticket.requesterId,
        existing: found.rating,
        now: deps.clock.now(),
      });
      return reply.send(
        rateFormPage(found.ticket, found.rating, request.query.token, { canRate: refusal === null, reason: refusal?.message }),
      );
    },
  );

  await app.register(async (scoped) => {
    // The form posts urlencoded; only this route reads that media type.
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/satisfaction/rate',
      {
        config: { access: 'public' },
        schema: {
          tags: ['tickets'],
          summary: 'Rate a closed ticket with the signed token from the "how did we do?" mail (form or JSON)',
          body: RateByLink,
          security: [],
          response: {
            200: SatisfactionRating,
            201: SatisfactionRating,
            400: HtmlOrProblem,
            403: HtmlOrProblem,
            404: HtmlOrProblem,
            409: HtmlOrProblem,
            422: HtmlOrProblem,
          },
        },
      },
      async (request, reply) => {
        const wantsHtml = String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        try {
          const { rating, created, ticket } = await rateTicketByLink(deps, request.body);
          if (!wantsHtml) return reply.status(created ? 201 : 200).send(presentRating(rating));
          return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ratedPage(ticket, rating.rating));
        } catch (err) {
          if (!wantsHtml || !(err instanceof AppError)) throw err;
          return reply
            .status(err.status as 400 | 403 | 404 | 409 | 422)
            .type('text/html; charset=utf-8')
            .send(notRatedPage(err.message));
        }
      },
    );
  });
}
