import {
  RoutingModelStatus,
  RoutingSettings,
  RoutingSuggestionBody,
  RoutingSuggestions,
  RoutingTrainAccepted,
} from '../../../../core/contracts/routing.js';
import { getRouterOverview, getRoutingSettings, saveRoutingSettings } from '../../services/learned-routing.service.js';
import { requestRouterTraining, suggestRouting } from '../../services/routing.service.js';
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
        summary: "The learned router's state, its model's evaluation on held-out tickets, and how its decisions fared with the desk",
        response: { 200: RoutingModelStatus, ...problems(401, 403) },
      },
    },
    async () => getRouterOverview(deps),
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

  app.get(
    '/api/v1/routing/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['routing'],
        summary: 'When the learned router routes new tickets itself, and how often it retrains',
        response: { 200: RoutingSettings, ...problems(401, 403) },
      },
    },
    async () => getRoutingSettings(deps.db),
  );

  app.put(
    '/api/v1/routing/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['routing'],
        summary: 'Set the confidence above which new tickets without a team are routed automatically, and the retraining interval',
        body: RoutingSettings,
        response: { 200: RoutingSettings, ...problems(400, 401, 403) },
      },
    },
    async (request) => saveRoutingSettings(deps, request.body),
  );
}
