import { IdParams, Items } from '../../../../core/contracts/common.js';
import { KnownIssue, KnownIssuesQuery, KnownIssueView } from '../../../../core/contracts/tickets.js';
import { getKnownIssueView, listKnownIssues } from '../../services/known-issues.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentKnownIssue, presentKnownIssueView } from '../presenters/known-issues.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function knownIssueRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/known-issues',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Open global incidents anyone may follow ("is it just me?")',
        description:
          'With `serviceId`: incidents on that service, its components and everything it depends on. Shows only the title, state and the latest public update.',
        querystring: KnownIssuesQuery,
        response: { 200: Items(KnownIssue), ...problems(400, 401) },
      },
    },
    async (request) => {
      return { items: (await listKnownIssues(deps.db, request.query.serviceId)).map(presentKnownIssue) };
    },
  );

  app.get(
    '/api/v1/known-issues/:id',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: "A known problem's public view: its state, the desk's public updates and the resolution",
        description:
          'Anyone may read an open global incident; once resolved, its followers (and whoever may see the ticket) still may. Never work notes, the description or what requesters wrote.',
        params: IdParams,
        response: { 200: KnownIssueView, ...problems(401, 404) },
      },
    },
    async (request) => {
      return presentKnownIssueView(await getKnownIssueView(deps.db, actorOf(request), request.params.id));
    },
  );
}
