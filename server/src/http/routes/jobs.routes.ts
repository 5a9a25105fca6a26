import {
  DeadJobsPage,
  DeadJobsQuery,
  RetriedWork,
  RetryFailedWork,
  UnsentMail,
  UnsentMailQueued,
} from '../../../../core/contracts/jobs.js';
import { countUnsentMail, listFailedWork, retryFailedWork, sendUnsentMail } from '../../services/failed-work.service.js';
import { presentDeadJob } from '../presenters/jobs.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

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
        querystring: DeadJobsQuery,
        response: { 200: DeadJobsPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listFailedWork(deps.db, request.query);
      return { nextCursor: page.nextCursor, items: page.items.map(presentDeadJob) };
    },
  );

  app.get(
    '/api/v1/jobs/unsent-mail',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'How many mails were kept unsent because e-mail out was off, and whether it is on now',
        response: { 200: UnsentMail, ...problems(401, 403) },
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
        response: { 200: UnsentMailQueued, ...problems(401, 403, 422) },
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
        response: { 200: RetriedWork, ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ retried: await retryFailedWork(deps, 'all' in request.body ? 'all' : { ids: request.body.ids }) }),
  );
}
