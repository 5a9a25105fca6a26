import { z } from 'zod';
import { Check, CheckResult, CheckResultsQuery, CreateCheck } from '../../../../core/contracts/alerts.js';
import type { CheckRow } from '../../repositories/checks.repository.js';
import { checkResults, createCheck, getCheck, listChecks, stopCheck } from '../../services/checks.service.js';
import { type Api, IdParams, problems, type RouteDeps } from '../route-types.js';

const presentCheck = (c: CheckRow) => ({
  id: c.id,
  name: c.name,
  serviceId: c.serviceId,
  kind: c.kind,
  target: c.target,
  intervalSeconds: c.intervalSeconds,
  timeoutMs: c.timeoutMs,
  expectStatus: c.expectStatus,
  keyword: c.keyword,
  maxLatencyMs: c.maxLatencyMs,
  integrationId: c.integrationId,
  active: c.active,
  baseline: { samples: c.baseline.n, meanMs: c.baseline.mean, stdMs: Math.sqrt(c.baseline.variance), drifting: c.baseline.drifting },
  createdAt: c.createdAt.toISOString(),
  lastRunAt: c.lastRunAt?.toISOString() ?? null,
});

export function checkRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/checks',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['alerts'],
        summary: 'Built-in checks',
        response: { 200: z.object({ items: z.array(Check) }), ...problems(401, 403) },
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
          'http: passes on the expected status (default any 2xx/3xx), the keyword in the body, and within maxLatencyMs. tcp: passes when a connection opens. A failing check fires an alert that opens an incident for the service; a recovery resolves it; latency drifting far from its own baseline (EWMA z-score) records a disturbance first. Only the target configured here is ever contacted.',
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
  app.delete(
    '/api/v1/checks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Stop a check (its history stays)',
        params: IdParams,
        response: { 200: Check, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentCheck(await stopCheck(deps.db, request.params.id)),
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
        response: { 200: z.object({ items: z.array(CheckResult) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const since = request.query.since ? new Date(request.query.since) : new Date(0);
      const rows = await checkResults(deps.db, request.params.id, since, request.query.limit);
      return {
        items: rows.map((r) => ({
          at: r.at.toISOString(),
          ok: r.ok,
          latencyMs: r.latencyMs,
          statusCode: r.statusCode,
          error: r.error,
          z: r.z,
        })),
      };
    },
  );
}
