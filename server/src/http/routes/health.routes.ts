import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Api, RouteDeps } from '../route-types.js';

export function healthRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Is the server up and its database reachable?',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), time: z.string() }),
          503: z.object({ status: z.literal('unavailable'), database: z.enum(['pglite', 'postgres']), detail: z.string() }),
        },
      },
    },
    async (request, reply) => {
      try {
        await deps.db.execute(sql`SELECT 1`);
        return { status: 'ok' as const, database: deps.databaseKind, time: deps.clock.now().toISOString() };
      } catch (err) {
        request.log.error({ err }, 'health check: database unreachable');
        return reply
          .status(503)
          .send({ status: 'unavailable' as const, database: deps.databaseKind, detail: 'the database does not answer' });
      }
    },
  );
}
