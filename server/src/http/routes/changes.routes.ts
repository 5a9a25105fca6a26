import { z } from 'zod';
import {
  ApprovalPolicyBody,
  Calendar,
  CalendarQuery,
  CancelChange,
  ChangeDetail,
  CompleteChange,
  CreateChange,
  DecideChange,
  LinkToChange,
  UpdateChange,
} from '../../../../core/contracts/changes.js';
import { IdParams, IfMatchHeaders } from '../../../../core/contracts/common.js';
import { IdempotencyHeaders, Ticket } from '../../../../core/contracts/tickets.js';
import { getChange, listChangeCalendar } from '../../services/change-views.service.js';
import {
  announceChangeMaintenance,
  cancelChange,
  completeChange,
  createChange,
  decideChange,
  getApprovalPolicy,
  linkToChange,
  setApprovalPolicy,
  startChange,
  submitChange,
  updateChange,
} from '../../services/changes.service.js';
import { getTicketView } from '../../services/ticket-query.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentChange, presentChangeCalendar } from '../presenters/changes.presenter.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

const tags = ['changes'];

/** Changes (CHG…): plan, approval, window, calendar, conflicts and maintenance announcements (issue 17). Staff only. */
export function changeRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/api/v1/changes',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'Record a change (CHG…) as a draft, with its plan, window, approvers and linked problems or incidents',
        description:
          'A change is a ticket of kind "change": timeline, assignment, followers and the state machine of every ticket. plannedEnd before plannedStart is 422 naming plannedEnd; an approver who is not active staff, or a linked ticket that is not a problem or incident you may see, is 422 and nothing is recorded.',
        headers: IdempotencyHeaders,
        body: CreateChange,
        response: { 201: Ticket, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { change, replayed } = await createChange(deps, actor, request.body, request.headers['idempotency-key']);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .status(201)
        .header('etag', etag(change.version))
        .header('location', `/api/v1/changes/${change.id}`)
        .send(presentTicket(await getTicketView(deps.db, actor, change.id)));
    },
  );

  app.get(
    '/api/v1/changes',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'The change calendar: changes whose planned window overlaps [from, to), earliest first',
        description: 'Without from/to, the current week (Monday 00:00 UTC, seven days). A range spans at most 92 days.',
        querystring: CalendarQuery,
        response: { 200: Calendar, ...problems(400, 401, 403) },
      },
    },
    async (request) => presentChangeCalendar(await listChangeCalendar(deps, actorOf(request), request.query)),
  );

  app.get(
    '/api/v1/changes/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: "A change's stage, plan, approvals, links and the conflicts of its window now",
        description:
          'Conflicts are warnings: an open major incident on the change’s service or a service depending on it, or another open change whose window overlaps on a service both touch.',
        params: IdParams,
        response: { 200: ChangeDetail, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentChange(await getChange(deps, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/changes/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: "Edit a draft's title, description, service, type, risk, window, plans or approvers",
        description: 'Only a draft is edited (409 otherwise; a rejected change is a draft again). If-Match applies.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateChange,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await updateChange(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match']));
      reply.header('etag', etag(saved.version));
      return presentTicket(await getTicketView(deps.db, actor, saved.id));
    },
  );

  const moves = [
    ['submit', 'Submit a draft for approval (a standard change is pre-approved: scheduled at once)', null],
    ['start', 'Start implementing a scheduled change', null],
    ['complete', 'Finish implementing: done or failed, with notes on how it went', CompleteChange],
    ['cancel', 'Cancel a change that is not finished, with the reason', CancelChange],
  ] as const;
  for (const [action, summary, body] of moves) {
    app.post(
      `/api/v1/changes/:id/${action}`,
      {
        config: { access: 'agent' },
        schema: {
          tags,
          summary,
          description: 'A move from the wrong stage is 409 naming the stage. If-Match applies.',
          params: IdParams,
          headers: IfMatchHeaders,
          ...(body ? { body } : {}),
          response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412, 422) },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const id = request.params.id;
        const version = expectedVersion(request.headers['if-match']);
        const input = (request.body ?? {}) as Record<string, string>;
        const saved =
          action === 'submit'
            ? await submitChange(deps, actor, id, version)
            : action === 'start'
              ? await startChange(deps, actor, id, version)
              : action === 'complete'
                ? await completeChange(deps, actor, id, input as z.infer<typeof CompleteChange>, version)
                : await cancelChange(deps, actor, id, input.reason, version);
        reply.header('etag', etag(saved.version));
        return presentTicket(await getTicketView(deps.db, actor, saved.id));
      },
    );
  }

  app.post(
    '/api/v1/changes/:id/decision',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'Approve or reject a change awaiting approval, with a comment (required to reject)',
        description:
          'Named approvers decide; a change naming none is decided by a manager (403 for others). Approving a change you recorded or implement is 422 unless the approval policy allows it. Every named approver approving, or one manager, schedules it; one rejection makes it a draft again.',
        params: IdParams,
        body: DecideChange,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await decideChange(deps, actor, request.params.id, request.body);
      reply.header('etag', etag(saved.version));
      return presentTicket(await getTicketView(deps.db, actor, saved.id));
    },
  );

  app.post(
    '/api/v1/changes/:id/links',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'Link problems or incidents to a change; on both timelines',
        params: IdParams,
        headers: IfMatchHeaders,
        body: LinkToChange,
        response: {
          200: z.object({ linked: z.array(z.string()), changeVersion: z.number().int() }),
          ...problems(400, 401, 403, 404, 412, 422),
        },
      },
    },
    async (request, reply) => {
      const { change, linked } = await linkToChange(
        deps,
        actorOf(request),
        request.params.id,
        request.body.ticketIds,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(change.version));
      return { linked, changeVersion: change.version };
    },
  );

  app.post(
    '/api/v1/changes/:id/maintenance',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: "Announce a scheduled normal change's window as planned maintenance on the status page",
        description:
          'Uses the planned-maintenance service: its service must be shown on the status page (422 naming componentIds), once per change (409).',
        params: IdParams,
        response: { 201: z.object({ maintenanceId: z.string() }), ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { maintenanceId } = await announceChangeMaintenance(deps, actorOf(request), request.params.id);
      return reply.status(201).send({ maintenanceId });
    },
  );

  app.get(
    '/api/v1/settings/change-approval-policy',
    {
      config: { access: 'agent' },
      schema: {
        tags,
        summary: 'The change approval policy: whether people may approve changes they recorded or implement',
        response: { 200: ApprovalPolicyBody, ...problems(401, 403) },
      },
    },
    async () => getApprovalPolicy(deps.db),
  );

  app.put(
    '/api/v1/settings/change-approval-policy',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Set the change approval policy (admins)',
        body: ApprovalPolicyBody,
        response: { 200: ApprovalPolicyBody, ...problems(400, 401, 403) },
      },
    },
    async (request) => setApprovalPolicy(deps, request.body),
  );
}
