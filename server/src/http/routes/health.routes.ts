import { Features, Health, HealthUnavailable } from '../../../../core/contracts/system.js';
import { checkDatabase } from '../../services/health.service.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function healthRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Is the server up and its database reachable?',
        response: {
          200: Health,
          503: HealthUnavailable,
        },
      },
    },
    async (request, reply) => {
      try {
        await checkDatabase(deps.db);
        return { status: 'ok' as const, database: deps.databaseKind, time: deps.clock.now().toISOString() };
      } catch (err) {
        request.log.error({ err }, 'health check: database unreachable');
        return reply
          .status(503)
          .send({ status: 'unavailable' as const, database: deps.databaseKind, detail: 'the database does not answer' });
      }
    },
  );

  app.get(
    '/api/v1/features',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['system'],
        summary: 'What this server is set up to do, for the web UI: whether it sends e-mail',
        response: { 200: Features, ...problems(401) },
      },
    },
    async () => ({ emailOut: deps.emailOut }),
  );
}
