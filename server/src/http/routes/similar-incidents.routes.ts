import { IdParams } from '../../../../core/contracts/common.js';
import { SimilarIncidents } from '../../../../core/contracts/similar-incidents.js';
import { getSimilarIncidents } from '../../services/similar-incidents.service.js';
import { actorOf } from '../plugins/authentication.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** Similar past incidents on the desk's ticket page (issue 17, item 8). Staff only. */
export function similarIncidentRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/tickets/:id/similar',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['problems'],
        summary: 'The five resolved or closed incidents most similar to this ticket (text and service), with their resolutions',
        params: IdParams,
        response: { 200: SimilarIncidents, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const items = await getSimilarIncidents(deps, actorOf(request), request.params.id);
      return { items: items.map((s) => ({ ...s, resolvedAt: s.resolvedAt ? s.resolvedAt.toISOString() : null })) };
    },
  );
}
