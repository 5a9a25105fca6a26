import { IdParams } from '../../../../core/contracts/common.js';
import { CreateMaintenance, EditMaintenance, Maintenance, MaintenanceList } from '../../../../core/contracts/maintenance.js';
import {
  cancelMaintenance,
  createMaintenance,
  editMaintenance,
  getMaintenance,
  listMaintenanceWithUpdates,
} from '../../services/maintenance.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentMaintenance } from '../presenters/maintenance.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

const DAY = 86_400_000;

/**
 * Planned maintenance on the status page (issue 15 #7). Staff see the plan; managers and admins
 * plan, change and cancel windows (`canScheduleMaintenance`). Each write announces itself to the
 * subscribers of the window's components; the window starts and completes by its own timers.
 */
export function maintenanceRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/maintenance',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['status page'],
        summary: 'Planned maintenance: windows not over yet and those of the last 90 days, soonest first',
        response: { 200: MaintenanceList, ...problems(401, 403) },
      },
    },
    async () => {
      const since = new Date(deps.clock.now().getTime() - 90 * DAY);
      return { items: (await listMaintenanceWithUpdates(deps, since)).map(presentMaintenance) };
    },
  );
  app.get(
    '/api/v1/maintenance/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['status page'],
        summary: 'One planned maintenance window with its news',
        params: IdParams,
        response: { 200: Maintenance, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentMaintenance(await getMaintenance(deps, request.params.id)),
  );
  app.post(
    '/api/v1/maintenance',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary:
          'Plan maintenance on public services: announced to their subscribers now and again at the lead time (default a day), started and completed automatically',
        body: CreateMaintenance,
        response: { 201: Maintenance, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { startsAt, endsAt, ...rest } = request.body;
      const created = await createMaintenance(deps, actorOf(request), { ...rest, startsAt: new Date(startsAt), endsAt: new Date(endsAt) });
      return reply.status(201).send(presentMaintenance(created));
    },
  );
  app.patch(
    '/api/v1/maintenance/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary: "Change a window's plan or words (subscribers are told; its timers move with it)",
        params: IdParams,
        body: EditMaintenance,
        response: { 200: Maintenance, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request) => {
      const { startsAt, endsAt, ...rest } = request.body;
      const edited = await editMaintenance(deps, actorOf(request), request.params.id, {
        ...rest,
        ...(startsAt ? { startsAt: new Date(startsAt) } : {}),
        ...(endsAt ? { endsAt: new Date(endsAt) } : {}),
      });
      return presentMaintenance(edited);
    },
  );
  app.post(
    '/api/v1/maintenance/:id/cancel',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary: 'Cancel a window that is scheduled or in progress (subscribers are told)',
        params: IdParams,
        response: { 200: Maintenance, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => presentMaintenance(await cancelMaintenance(deps, actorOf(request), request.params.id)),
  );
}
