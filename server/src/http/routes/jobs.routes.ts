import { z } from 'zod';
import { listDeadJobs } from '../../repositories/jobs.repository.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

const DeadJob = z.object({
  id: z.string(),
  kind: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  runAt: z.string(),
  finishedAt: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});

/** Background work that failed for good, with its error, for admins to see and act on. */
export function jobRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/jobs/dead',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'Jobs that failed on every attempt (timers, deliveries), oldest first, with their last error',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(DeadJob) }), ...problems(401, 403) },
      },
    },
    async (request) => ({
      items: (await listDeadJobs(deps.db, request.query.limit)).map((job) => ({
        id: job.id,
        kind: job.kind,
        attempts: job.attempts,
        lastError: job.lastError,
        runAt: job.runAt.toISOString(),
        finishedAt: job.finishedAt?.toISOString() ?? null,
        payload: job.payload,
      })),
    }),
  );
}
