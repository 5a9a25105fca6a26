import { z } from 'zod';
import { IdParams, Items } from '../../../../core/contracts/common.js';
import {
  BusinessCalendarBody,
  CreateBusinessCalendar,
  CreateSlaPolicy,
  SlaPolicyBody,
  TicketSlaTargetBody,
  UpdateBusinessCalendar,
  UpdateSlaPolicy,
} from '../../../../core/contracts/sla.js';
import type { CalendarRow, SlaPolicyRow } from '../../repositories/sla.repository.js';
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
import { type Api, problems, type RouteDeps } from '../route-types.js';

const Delivery = z.object({
  id: z.uuid(),
  channel: z.enum(['email', 'webhook', 'in_app']),
  userId: z.uuid().nullable(),
  /** The e-mail address; for a webhook its URL (admins) or its name (everyone else: a chat webhook's URL is its secret). */
  address: z.string(),
  webhookName: z.string().nullable(),
  reason: z.string(),
  subject: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** not_sent: kept unsent because e-mail out was off (lastError says so). */
  state: z.enum(['pending', 'sent', 'dead', 'not_sent']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
});

const presentCalendar = (c: CalendarRow) => ({ ...c, createdAt: c.createdAt.toISOString() });
const presentPolicy = (p: SlaPolicyRow) => ({ ...p, createdAt: p.createdAt.toISOString() });

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
    async () => ({ items: (await listSlaPolicies(deps.db)).map(presentPolicy) }),
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
    async (request, reply) => reply.status(201).send(presentPolicy(await createSlaPolicy(deps, request.body, actorOf(request)))),
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
    async (request) => presentPolicy(await updateSlaPolicyById(deps, request.params.id, request.body, actorOf(request))),
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
    async (request) => ({
      items: (await getDeliveryLog(deps.db, actorOf(request), request.params.id)).map((d) => ({
        id: d.notification.id,
        channel: d.notification.channel,
        userId: d.notification.userId,
        address: d.notification.address,
        webhookName: d.webhookName,
        reason: d.notification.reason,
        subject: d.notification.subject,
        createdAt: d.notification.createdAt.toISOString(),
        sentAt: d.notification.sentAt?.toISOString() ?? null,
        state: d.notification.sentAt
          ? ('sent' as const)
          : d.state === 'dead'
            ? ('dead' as const)
            : d.state === 'held'
              ? ('not_sent' as const)
              : ('pending' as const),
        attempts: d.attempts ?? 0,
        lastError: d.lastError,
      })),
    }),
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
      return {
        items: targets.map((t) => ({ ...t, dueAt: t.dueAt?.toISOString() ?? null, warnAt: t.warnAt?.toISOString() ?? null })),
      };
    },
  );
}
