import { IdParams, NoContent } from '../../../../core/contracts/common.js';
import { RequesterKnownErrorQuery, RequesterKnownErrors } from '../../../../core/contracts/problems.js';
import { knownErrorSolvedIt, knownErrorsForReport } from '../../services/known-error-deflection.service.js';
import { actorOf } from '../plugins/authentication.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/**
 * The known errors beside a report in the portal (issue 17 item 7). Anyone signed in: what comes
 * back is the workaround staff wrote for requesters, never the problem's own fields.
 */
export function knownErrorDeflectionRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/known-errors/for-report',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['problems'],
        summary: 'Known errors that may be what a requester is reporting, with their workaround for requesters',
        description:
          "Open known errors on `serviceId`, or whose words match `q` (only the first words of a long text are used). A known error without a workaround for requesters is never listed; the problem's title, staff workaround and root cause are never returned.",
        querystring: RequesterKnownErrorQuery,
        response: { 200: RequesterKnownErrors, ...problems(400, 401) },
      },
    },
    async (request) => ({
      items: (await knownErrorsForReport(deps, request.query)).map((k) => ({ ...k, since: k.since.toISOString() })),
    }),
  );

  app.post(
    '/api/v1/known-errors/:id/solved',
    {
      // Anyone signed in, like an article's "This solved it": the portal shows known errors to everyone.
      config: { access: 'signed_in' },
      schema: {
        tags: ['problems'],
        summary: '"This solved it" on a known error: a report that ended without a ticket, counted on the problem',
        description:
          'Counted once per person: pressing again changes nothing. Only a known error the portal shows (open, with a workaround for requesters) can be pressed; any other id is 404.',
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await knownErrorSolvedIt(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
