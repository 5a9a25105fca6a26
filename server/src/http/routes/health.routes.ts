import { Features, Health, Ready } from '../../../../core/contracts/system.js';
import { latestMigrationLevel } from '../../db/migrate.js';
import { checkReadiness } from '../../services/health.service.js';
import { sendProblem } from '../plugins/problem.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function healthRoutes(app: Api, deps: RouteDeps): void {
  // Liveness: the process answers. It does not ask the database, so a database that is away does
  // not get every process restarted by its supervisor; readiness below is what asks.
  app.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness: is this process up and answering? (does not ask the database; see /api/v1/ready)',
        response: { 200: Health },
      },
    },
    async () => ({ status: 'ok' as const, database: deps.databaseKind, time: deps.clock.now().toISOString() }),
  );

  const expected = latestMigrationLevel();
  app.get(
    '/api/v1/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary:
          'Readiness: may a load balancer send requests here? The database answers and every migration is applied; 503 with the reason otherwise',
        response: { 200: Ready, ...problems(503) },
      },
    },
    async (request, reply) => {
      const readiness = await checkReadiness(deps.db, expected);
      if (readiness.ready) return { status: 'ready' as const, database: deps.databaseKind, migrations: expected.count };
      request.log.warn({ reason: readiness.reason }, 'not ready');
      reply.header('retry-after', '5');
      return sendProblem(reply, request, 503, `Not ready: ${readiness.reason}.`, { code: 'not_ready' });
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
