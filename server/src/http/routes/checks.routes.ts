import { Check, CheckResult, CheckResultsQuery, CreateCheck, UpdateCheck } from '../../../../core/contracts/alerts.js';
import { IdParams, Items, NoContent } from '../../../../core/contracts/common.js';
import { changeCheck, checkResults, createCheck, deleteCheck, getCheck, listChecks, runCheckNow } from '../../services/checks.service.js';
import { presentCheck, presentCheckResult } from '../presenters/checks.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function checkRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/checks',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['alerts'],
        summary: 'Built-in checks',
        response: { 200: Items(Check), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listChecks(deps.db)).map(presentCheck) }),
  );
  app.post(
    '/api/v1/checks',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Add an HTTP(S) or TCP check, run every intervalSeconds by the job runner',
        description:
          'http: passes on the expected status (default any 2xx/3xx), the keyword in the body, and within maxLatencyMs. tcp: passes when a connection opens. After failuresBeforeDown failed probes in a row (default 2) the check is down and fires an alert that opens an incident for the service; a recovery resolves it. Latency drifting far from its own baseline (EWMA z-score) or an error rate far above its own (beta-binomial test of the last 30 probes) records a disturbance first. Only the target configured here is ever contacted; one that is, or resolves to, an address on this machine or a private network is refused (422) unless FIREBREAK_ALLOW_PRIVATE_TARGETS allows it.',
        body: CreateCheck,
        response: { 201: Check, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentCheck(await createCheck(deps, request.body))),
  );
  app.get(
    '/api/v1/checks/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['alerts'], summary: 'One check', params: IdParams, response: { 200: Check, ...problems(401, 403, 404) } },
    },
    async (request) => presentCheck(await getCheck(deps.db, request.params.id)),
  );
  app.patch(
    '/api/v1/checks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Change a check, pause it (active: false) or resume it (active: true)',
        description:
          'A change to an active check takes effect at once: the next probe runs now. A new target or kind starts both baselines over. Pausing leaves its open alerts and tickets as they are.',
        params: IdParams,
        body: UpdateCheck,
        response: { 200: Check, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => presentCheck(await changeCheck(deps, request.params.id, request.body)),
  );
  app.post(
    '/api/v1/checks/:id/run',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['alerts'],
        summary: 'Check now: the next probe runs at once (through the job runner), and the cadence continues from it',
        params: IdParams,
        response: { 202: Check, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(202).send(presentCheck(await runCheckNow(deps, request.params.id))),
  );
  app.delete(
    '/api/v1/checks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Delete a check and its probe history (the alerts and tickets it raised stay)',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteCheck(deps, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/checks/:id/results',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['alerts'],
        summary: 'Probe history, oldest first: the points of a response-time chart',
        params: IdParams,
        querystring: CheckResultsQuery,
        response: { 200: Items(CheckResult), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const since = request.query.since ? new Date(request.query.since) : new Date(0);
      const rows = await checkResults(deps.db, request.params.id, since, request.query.limit);
      return { items: rows.map(presentCheckResult) };
    },
  );
}
