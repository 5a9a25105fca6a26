import { IdParams, Items, NoContent } from '../../../../core/contracts/common.js';
import { SavedReport, SaveReport } from '../../../../core/contracts/saved-reports.js';
import { createMyReport, deleteMyReport, getMyReport, listMyReports, updateMyReport } from '../../services/saved-reports.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentSavedReport } from '../presenters/saved-reports.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/**
 * Saved report definitions and their e-mail schedule (issue 16): staff (agents, managers, admins)
 * each manage their own; another person's report answers 404. An agent's report may name only
 * their own teams, as when reading a report.
 */
export function savedReportRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/reports/saved',
    {
      config: { access: 'agent' },
      schema: { tags: ['reports'], summary: 'Your saved reports', response: { 200: Items(SavedReport), ...problems(401, 403) } },
    },
    async (request) => ({ items: (await listMyReports(deps, actorOf(request))).map(presentSavedReport) }),
  );

  app.post(
    '/api/v1/reports/saved',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'Save a report (KPIs and filters), optionally e-mailed weekly or monthly to staff addresses',
        body: SaveReport,
        response: { 201: SavedReport, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentSavedReport(await createMyReport(deps, actorOf(request), request.body))),
  );

  app.get(
    '/api/v1/reports/saved/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'One of your saved reports',
        params: IdParams,
        response: { 200: SavedReport, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentSavedReport(await getMyReport(deps, actorOf(request), request.params.id)),
  );

  app.put(
    '/api/v1/reports/saved/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'Change one of your saved reports (its schedule too)',
        params: IdParams,
        body: SaveReport,
        response: { 200: SavedReport, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => presentSavedReport(await updateMyReport(deps, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/reports/saved/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['reports'],
        summary: 'Remove one of your saved reports',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteMyReport(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
