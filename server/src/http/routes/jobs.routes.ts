import { z } from 'zod';
import { countUnsentMail, listFailedWork, retryFailedWork, sendUnsentMail } from '../../services/failed-work.service.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

const DeadJob = z.object({
  id: z.string(),
  kind: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  runAt: z.string(),
  finishedAt: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  /** The ticket the work was about, if any. */
  ticketId: z.string().nullable(),
  ticketNumber: z.string().nullable(),
  /** For a notification's delivery: where it was going and what it said. */
  delivery: z.object({ channel: z.string(), address: z.string(), subject: z.string() }).nullable(),
});

/** Either the jobs named, or all failed work at once. */
const RetryFailedWork = z.union([
  z.strictObject({ ids: z.array(z.string().min(1).max(200)).min(1).max(500) }),
  z.strictObject({ all: z.literal(true) }),
]);

/** Background work that failed for good, with its error, for admins to see and act on. */
export function jobRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/jobs/dead',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary:
          'Jobs that failed on every attempt (timers, deliveries), oldest first, with their last error and what they were about; pass nextCursor as cursor for the next page. Mails held while e-mail out is off are not failed work: see /jobs/unsent-mail',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().min(1).max(500).optional(),
        }),
        response: { 200: z.object({ items: z.array(DeadJob), nextCursor: z.string().nullable() }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listFailedWork(deps.db, request.query);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map(({ job, ticketId, ticketNumber, delivery }) => ({
          id: job.id,
          kind: job.kind,
          attempts: job.attempts,
          lastError: job.lastError,
          runAt: job.runAt.toISOString(),
          finishedAt: job.finishedAt?.toISOString() ?? null,
          payload: job.payload,
          ticketId,
          ticketNumber,
          delivery,
        })),
      };
    },
  );

  app.get(
    '/api/v1/jobs/unsent-mail',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'How many mails were kept unsent because e-mail out was off, and whether it is on now',
        response: { 200: z.object({ count: z.number().int(), emailOut: z.boolean() }), ...problems(401, 403) },
      },
    },
    async () => ({ count: await countUnsentMail(deps.db), emailOut: deps.emailOut }),
  );

  app.post(
    '/api/v1/jobs/unsent-mail/send',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'Send now the mails kept unsent while e-mail out was off (refused while it is still off)',
        response: { 200: z.object({ queued: z.number().int() }), ...problems(401, 403, 422) },
      },
    },
    async () => ({ queued: await sendUnsentMail(deps, deps.emailOut) }),
  );

  app.post(
    '/api/v1/jobs/dead/retry',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'Run failed work again now, with a fresh count of attempts (after fixing what made it fail)',
        description:
          'Send {"ids": [...]} for some jobs or {"all": true} for every one. Jobs that are not dead (any more) are left alone; the answer lists those put back. A notification already sent is never sent twice.',
        body: RetryFailedWork,
        response: { 200: z.object({ retried: z.array(z.string()) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ retried: await retryFailedWork(deps, 'all' in request.body ? 'all' : { ids: request.body.ids }) }),
  );
}
