import { IdParams, IfMatchHeaders, Items } from '../../../../core/contracts/common.js';
import {
  AddFinding,
  CreateIncidentTask,
  CreateInvestigation,
  CreateMeeting,
  IncidentTask,
  Investigation,
  MajorIncidentParams,
  Meeting,
  RootCause,
  UpdateIncidentTask,
  UpdateInvestigation,
  UpdateMeeting,
} from '../../../../core/contracts/incident-response.js';
import { IdempotencyHeaders, Ticket } from '../../../../core/contracts/tickets.js';
import { listMeetingsOf, moveMeeting, scheduleMeeting, updateMeeting } from '../../services/incident-meetings.service.js';
import { addTask, listTasksOf, updateTask } from '../../services/incident-tasks.service.js';
import {
  addFinding,
  listInvestigationsOf,
  openInvestigation,
  setRootCause,
  updateInvestigation,
} from '../../services/investigations.service.js';
import { getTicketView } from '../../services/ticket-query.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentInvestigation, presentMeeting, presentTask } from '../presenters/major-incidents.presenter.js';
import { presentTicket } from '../presenters/tickets.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

const TAGS = ['major incidents'];
const IF_MATCH = 'Send If-Match with the ETag you read: a record changed since then is refused with 412, never silently overwritten.';
const IDEMPOTENT = 'Send an Idempotency-Key header to make retries safe: a retried request returns the first record.';

/** A major incident's investigations, root cause, tasks and meetings (issue 14 items 5–7). Staff only. */
export function majorIncidentWorkRoutes(app: Api, deps: RouteDeps): void {
  // ---------- Investigations ----------
  app.get(
    '/api/v1/tickets/:id/investigations',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'The investigations of a major incident, oldest first, each with its findings',
        params: IdParams,
        response: { 200: Items(Investigation), ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => ({ items: (await listInvestigationsOf(deps, actorOf(request), request.params.id)).map(presentInvestigation) }),
  );

  app.post(
    '/api/v1/tickets/:id/investigations',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Open an investigation: a hypothesis, an owner and helpers',
        description: IDEMPOTENT,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CreateInvestigation,
        response: { 201: Investigation, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const made = await openInvestigation(deps, actorOf(request), request.params.id, request.body, request.headers['idempotency-key']);
      return reply.status(201).header('etag', etag(made.version)).send(presentInvestigation(made));
    },
  );

  app.patch(
    '/api/v1/tickets/:id/investigations/:itemId',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Change an investigation: confirm it (its conclusion becomes the root cause), rule it out, reopen it, or edit it',
        description: IF_MATCH,
        params: MajorIncidentParams,
        headers: IfMatchHeaders,
        body: UpdateInvestigation,
        response: { 200: Investigation, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const saved = await updateInvestigation(
        deps,
        actorOf(request),
        request.params.id,
        request.params.itemId,
        request.body,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(saved.version));
      return presentInvestigation(saved);
    },
  );

  app.post(
    '/api/v1/tickets/:id/investigations/:itemId/findings',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Add a finding to an investigation’s running log',
        description: IDEMPOTENT,
        params: MajorIncidentParams,
        headers: IdempotencyHeaders,
        body: AddFinding,
        response: { 201: Investigation, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const saved = await addFinding(
        deps,
        actorOf(request),
        request.params.id,
        request.params.itemId,
        request.body.body,
        request.headers['idempotency-key'],
      );
      return reply.status(201).send(presentInvestigation(saved));
    },
  );

  app.put(
    '/api/v1/tickets/:id/root-cause',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Record or edit a major incident’s root cause (on the timeline)',
        description: 'If-Match is the ticket’s ETag: the root cause is a field of the ticket. Answers the ticket.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: RootCause,
        response: { 200: Ticket, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await setRootCause(
        deps,
        actor,
        request.params.id,
        request.body.rootCause,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(saved.version));
      return presentTicket(await getTicketView(deps.db, actor, saved.id));
    },
  );

  // ---------- Tasks ----------
  app.get(
    '/api/v1/tickets/:id/tasks',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'The tasks of a major incident, oldest first (overdue: past due and not done)',
        params: IdParams,
        response: { 200: Items(IncidentTask), ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const now = deps.clock.now();
      return { items: (await listTasksOf(deps, actorOf(request), request.params.id)).map((t) => presentTask(t, now)) };
    },
  );

  app.post(
    '/api/v1/tickets/:id/tasks',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Hand out a task: title, owner, due time (not in the past)',
        description: `At the due time a task not done is flagged to the incident manager. ${IDEMPOTENT}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CreateIncidentTask,
        response: { 201: IncidentTask, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const made = await addTask(deps, actorOf(request), request.params.id, request.body, request.headers['idempotency-key']);
      return reply.status(201).header('etag', etag(made.version)).send(presentTask(made, deps.clock.now()));
    },
  );

  app.patch(
    '/api/v1/tickets/:id/tasks/:itemId',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Change a task: done, owner, due time, title',
        description: IF_MATCH,
        params: MajorIncidentParams,
        headers: IfMatchHeaders,
        body: UpdateIncidentTask,
        response: { 200: IncidentTask, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const saved = await updateTask(
        deps,
        actorOf(request),
        request.params.id,
        request.params.itemId,
        request.body,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(saved.version));
      return presentTask(saved, deps.clock.now());
    },
  );

  // ---------- Meetings ----------
  app.get(
    '/api/v1/tickets/:id/meetings',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'The meetings of a major incident, by start time',
        params: IdParams,
        response: { 200: Items(Meeting), ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => ({ items: (await listMeetingsOf(deps, actorOf(request), request.params.id)).map(presentMeeting) }),
  );

  app.post(
    '/api/v1/tickets/:id/meetings',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Schedule a meeting: attendees are invited (in-app, and by e-mail with an iCalendar invitation)',
        description: `A time in the past is refused with 422. escalateTo: a global incident's Technical Manager (or a manager) escalates it to management (hierarchical) and invites that manager. ${IDEMPOTENT}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CreateMeeting,
        response: { 201: Meeting, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const made = await scheduleMeeting(deps, actorOf(request), request.params.id, request.body, request.headers['idempotency-key']);
      return reply.status(201).header('etag', etag(made.version)).send(presentMeeting(made));
    },
  );

  app.patch(
    '/api/v1/tickets/:id/meetings/:itemId',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Change a meeting: notes, decisions, agenda, attendees, or its time (everyone’s invitation is updated)',
        description: IF_MATCH,
        params: MajorIncidentParams,
        headers: IfMatchHeaders,
        body: UpdateMeeting,
        response: { 200: Meeting, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const saved = await updateMeeting(
        deps,
        actorOf(request),
        request.params.id,
        request.params.itemId,
        request.body,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(saved.version));
      return presentMeeting(saved);
    },
  );

  for (const action of ['start', 'end'] as const) {
    app.post(
      `/api/v1/tickets/:id/meetings/:itemId/${action}`,
      {
        config: { access: 'agent' },
        schema: {
          tags: TAGS,
          summary: action === 'start' ? 'Start a meeting (on the timeline)' : 'End a meeting (on the timeline)',
          params: MajorIncidentParams,
          response: { 200: Meeting, ...problems(401, 403, 404, 409) },
        },
      },
      async (request) => presentMeeting(await moveMeeting(deps, actorOf(request), request.params.id, request.params.itemId, action)),
    );
  }
}
