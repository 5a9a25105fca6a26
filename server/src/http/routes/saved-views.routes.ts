import { IdParams, Items, NoContent } from '../../../../core/contracts/common.js';
import { SavedView, SaveView } from '../../../../core/contracts/saved-views.js';
import { mySavedViews, removeMyView, saveMyView } from '../../services/saved-views.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentSavedView } from '../presenters/saved-views.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function savedViewRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/me/saved-views',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Your saved queue views',
        response: { 200: Items(SavedView), ...problems(401, 403) },
      },
    },
    async (request) => ({ items: (await mySavedViews(deps, actorOf(request))).map(presentSavedView) }),
  );

  app.post(
    '/api/v1/me/saved-views',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Save a queue view under a name (the same name replaces it)',
        body: SaveView,
        response: { 200: SavedView, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => presentSavedView(await saveMyView(deps, actorOf(request), request.body)),
  );

  app.delete(
    '/api/v1/me/saved-views/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['desk'],
        summary: 'Remove one of your saved views',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeMyView(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
