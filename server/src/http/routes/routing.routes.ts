import { RoutingModelStatus, RoutingSuggestionBody, RoutingSuggestions, RoutingTrainAccepted } from '../../../../core/contracts/routing.js';
import { getRouterStatus, requestRouterTraining, suggestRouting } from '../../services/routing.service.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** The learned router (issue 18, item 5): suggestions for the desk, training and its figures for admins. */
export function routingRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/api/v1/routing/suggestions',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['routing'],
        summary: "The teams and categories the learned router suggests for a ticket's text, most likely first",
        description: 'Confidences are calibrated on held-out tickets. Both lists are empty while no model is trained.',
        body: RoutingSuggestionBody,
        response: { 200: RoutingSuggestions, ...problems(400, 401, 403) },
      },
    },
    async (request) => suggestRouting(deps, request.body),
  );

  app.get(
    '/api/v1/routing/model',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['routing'],
        summary: "The learned router's state and the evaluation of its model on held-out tickets",
        response: { 200: RoutingModelStatus, ...problems(401, 403) },
      },
    },
    async () => getRouterStatus(deps),
  );

  app.post(
    '/api/v1/routing/model/train',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['routing'],
        summary: 'Train the learned router on the resolved tickets, as a background job',
        response: { 202: RoutingTrainAccepted, ...problems(401, 403) },
      },
    },
    async (_request, reply) => reply.code(202).send(await requestRouterTraining(deps)),
  );
}
