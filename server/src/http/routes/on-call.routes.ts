import { IdParams, Items, NoContent } from '../../../../core/contracts/common.js';
import {
  CalendarFeedBody,
  CalendarFeedText,
  CalendarQuery,
  CreateOverride,
  CreateSchedule,
  OnCallBody,
  OnCallQuery,
  OverrideBody,
  OverrideParams,
  ScheduleBody,
  ShiftsBody,
  ShiftsQuery,
  UpdateSchedule,
} from '../../../../core/contracts/on-call.js';
import {
  addOverride,
  createSchedule,
  deleteScheduleById,
  getRota,
  getSchedule,
  listScheduleOverrides,
  listSchedules,
  onCallAt,
  removeOverride,
  rotateFeedToken,
  scheduleFeed,
  updateScheduleById,
} from '../../services/on-call.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentOnCall, presentOverride, presentRota, presentSchedule } from '../presenters/on-call.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** On-call schedules: layers of rotations, overrides, who is on call, the rota and its iCalendar feed. */
export function onCallRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/schedules',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: 'On-call schedules',
        response: { 200: Items(ScheduleBody), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listSchedules(deps.db)).map(presentSchedule) }),
  );
  app.post(
    '/api/v1/schedules',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary: 'Add a schedule: a time zone and layers of rotations (daily, weekly or custom), bottom first',
        body: CreateSchedule,
        response: { 201: ScheduleBody, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentSchedule(await createSchedule(deps, request.body))),
  );
  app.get(
    '/api/v1/schedules/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['on-call'], summary: 'A schedule', params: IdParams, response: { 200: ScheduleBody, ...problems(401, 403, 404) } },
    },
    async (request) => presentSchedule(await getSchedule(deps.db, request.params.id)),
  );
  app.patch(
    '/api/v1/schedules/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary: 'Change a schedule',
        params: IdParams,
        body: UpdateSchedule,
        response: { 200: ScheduleBody, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentSchedule(await updateScheduleById(deps, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/schedules/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary: 'Delete a schedule (refused while an escalation policy pages it)',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteScheduleById(deps, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/schedules/:id/on-call',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: 'Who is on call now, or at `at`',
        params: IdParams,
        querystring: OnCallQuery,
        response: { 200: OnCallBody, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const at = request.query.at ? new Date(request.query.at) : deps.clock.now();
      return presentOnCall(at, await onCallAt(deps.db, request.params.id, at));
    },
  );
  app.get(
    '/api/v1/schedules/:id/shifts',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: 'The rota from `from` to `to` (at most 93 days): who is on call when, each layer, and the overrides',
        params: IdParams,
        querystring: ShiftsQuery,
        response: { 200: ShiftsBody, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      return presentRota(from, to, await getRota(deps.db, request.params.id, from, to));
    },
  );

  app.get(
    '/api/v1/schedules/:id/overrides',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['on-call'],
        summary: "A schedule's overrides",
        params: IdParams,
        response: { 200: Items(OverrideBody), ...problems(401, 403, 404) },
      },
    },
    async (request) => ({ items: (await listScheduleOverrides(deps.db, request.params.id)).map(presentOverride) }),
  );
  app.post(
    '/api/v1/schedules/:id/overrides',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary: 'Put someone on call from `startsAt` to `endsAt`, over every layer (must not overlap another override)',
        params: IdParams,
        body: CreateOverride,
        response: { 201: OverrideBody, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        presentOverride(
          await addOverride(deps, actorOf(request), request.params.id, {
            userId: request.body.userId,
            startsAt: new Date(request.body.startsAt),
            endsAt: new Date(request.body.endsAt),
          }),
        ),
      ),
  );
  app.delete(
    '/api/v1/schedules/:id/overrides/:overrideId',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary: 'Remove an override',
        params: OverrideParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeOverride(deps, request.params.id, request.params.overrideId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/schedules/:id/calendar-feed',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['on-call'],
        summary: 'Make a new iCalendar feed secret (the previous one stops working); the secret is in this response only',
        params: IdParams,
        response: { 201: CalendarFeedBody, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const token = await rotateFeedToken(deps, request.params.id);
      return reply.status(201).send({
        token,
        url: `${deps.publicUrl}/api/v1/schedules/${request.params.id}/calendar.ics?token=${encodeURIComponent(token)}`,
      });
    },
  );
  app.get(
    '/api/v1/schedules/:id/calendar.ics',
    {
      // Calendar apps send no cookies: the feed secret in the URL is the credential.
      config: { access: 'public' },
      schema: {
        tags: ['on-call'],
        summary: 'The rota as an iCalendar feed (RFC 5545), a week back and two months ahead; subscribe with the URL from calendar-feed',
        params: IdParams,
        querystring: CalendarQuery,
        security: [],
        // text/calendar: a string is sent as is, not serialized as JSON.
        response: { 200: CalendarFeedText, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const text = await scheduleFeed(deps, request.params.id, request.query.token, deps.publicUrl);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(text);
    },
  );
}
