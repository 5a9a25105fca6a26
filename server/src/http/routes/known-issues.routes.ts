import { z } from 'zod';
import { KnownIssue, KnownIssuesQuery } from '../../../../core/contracts/tickets.js';
import { listKnownIssues } from '../../services/known-issues.service.js';
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
        response: { 200: z.object({ items: z.array(KnownIssue) }), ...problems(400, 401) },
      },
    },
    async (request) => {
      const issues = await listKnownIssues(deps.db, request.query.serviceId);
      return {
        items: issues.map((i) => ({
          id: i.id,
          number: i.number,
          title: i.title,
          state: i.state as z.infer<typeof KnownIssue>['state'],
          priority: i.priority as z.infer<typeof KnownIssue>['priority'],
          openedAt: i.openedAt.toISOString(),
          service: i.serviceId ? { id: i.serviceId, name: i.serviceName ?? '' } : null,
          latestUpdate: i.latestUpdate ? { at: i.latestUpdate.at.toISOString(), body: i.latestUpdate.body } : null,
        })),
      };
    },
  );
}
