import { IdParams, Items } from '../../../../core/contracts/common.js';
import { Delivery } from '../../../../core/contracts/notifications.js';
import {
  BusinessCalendarBody,
  CreateBusinessCalendar,
  CreateSlaPolicy,
  SlaPolicyBody,
  TicketSlaTargetBody,
  UpdateBusinessCalendar,
  UpdateSlaPolicy,
} from '../../../../core/contracts/sla.js';
import { getDeliveryLog } from '../../services/notifications.service.js';
import {
  createCalendar,
  createSlaPolicy,
  getTicketSla,
  listCalendars,
  listSlaPolicies,
  updateCalendarById,
  updateSlaPolicyById,
} from '../../services/sla.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentDelivery } from '../presenters/deliveries.presenter.js';
import { presentCalendar, presentSlaPolicy, presentSlaTarget } from '../presenters/sla.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** Business calendars, SLA policies, and each ticket's SLA clocks. */
export function slaRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/business-calendars',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['sla'],
        summary: 'Business calendars',
        response: { 200: Items(BusinessCalendarBody), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listCalendars(deps.db)).map(presentCalendar) }),
  );
  app.post(
    '/api/v1/business-calendars',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['sla'],
        summary: 'Add a business calendar: working hours per weekday in a time zone, and holidays',
        body: CreateBusinessCalendar,
        response: { 201: BusinessCalendarBody, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentCalendar(await createCalendar(deps, request.body))),
  );
  app.patch(
    '/api/v1/business-calendars/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['sla'],
        summary: 'Change a business calendar',
        params: IdParams,
        body: UpdateBusinessCalendar,
        response: { 200: BusinessCalendarBody, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentCalendar(await updateCalendarById(deps, request.params.id, request.body, actorOf(request))),
  );

  app.get(
    '/api/v1/sla-policies',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['sla'],
        summary: 'SLA policies, in the order they are tried',
        response: { 200: Items(SlaPolicyBody), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listSlaPolicies(deps.db)).map(presentSlaPolicy) }),
  );
  app.post(
    '/api/v1/sla-policies',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['sla'],
        summary: 'Add an SLA policy: which tickets (priority, kind, service, organisation) and their targets',
        body: CreateSlaPolicy,
        response: { 201: SlaPolicyBody, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentSlaPolicy(await createSlaPolicy(deps, request.body, actorOf(request)))),
  );
  app.patch(
    '/api/v1/sla-policies/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['sla'],
        summary: 'Change an SLA policy (open tickets get their clocks recomputed at once)',
        params: IdParams,
        body: UpdateSlaPolicy,
        response: { 200: SlaPolicyBody, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentSlaPolicy(await updateSlaPolicyById(deps, request.params.id, request.body, actorOf(request))),
  );

  app.get(
    '/api/v1/tickets/:id/notifications',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: "The ticket's delivery log: each notification, to whom and why, and whether it was sent, is retrying or is dead",
        description:
          'A webhook is named by its name (webhookName); only admins also see its URL in address — for chat tools the URL is a secret.',
        params: IdParams,
        response: { 200: Items(Delivery), ...problems(401, 403, 404) },
      },
    },
    async (request) => ({ items: (await getDeliveryLog(deps.db, actorOf(request), request.params.id)).map(presentDelivery) }),
  );

  app.get(
    '/api/v1/tickets/:id/sla',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: "The ticket's SLA targets: due time, business time used and left, running, paused, met or breached",
        params: IdParams,
        response: { 200: Items(TicketSlaTargetBody), ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const targets = await getTicketSla(deps.db, actorOf(request), request.params.id, deps.clock.now());
      return { items: targets.map(presentSlaTarget) };
    },
  );
}
