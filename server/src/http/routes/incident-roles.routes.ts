import { IdParams, IfMatchHeaders, Items } from '../../../../core/contracts/common.js';
import {
  AssignRole,
  CreateIncidentRole,
  IncidentRole,
  MyIncidentRole,
  ReleaseRole,
  RoleHolding,
  UpdateIncidentRole,
} from '../../../../core/contracts/incident-response.js';
import {
  assignRole,
  createRosterRole,
  listRoleHolders,
  listRoster,
  myIncidentRoles,
  releaseRole,
  updateRosterRole,
} from '../../services/incident-roles.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentIncidentRole, presentMyRole, presentRoleHolding } from '../presenters/major-incidents.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

const TAGS = ['major incidents'];

/** Response roles (issue 14): the admin's roster, who holds which role on a major incident, and "what is my role". */
export function incidentRoleRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/incident-roles',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'The roster of response roles, in order (retired ones too, marked inactive)',
        response: { 200: Items(IncidentRole), ...problems(401, 403) },
      },
    },
    async (request) => ({ items: (await listRoster(deps, actorOf(request))).map(presentIncidentRole) }),
  );

  app.post(
    '/api/v1/incident-roles',
    {
      config: { access: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Add a response role to the roster',
        body: CreateIncidentRole,
        response: { 201: IncidentRole, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const role = await createRosterRole(deps, actorOf(request), request.body);
      return reply.status(201).header('etag', etag(role.version)).send(presentIncidentRole(role));
    },
  );

  app.patch(
    '/api/v1/incident-roles/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Change a response role (active: false retires it; its history stays)',
        description: 'Send If-Match with the ETag you read: a role changed since then is refused with 412.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateIncidentRole,
        response: { 200: IncidentRole, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const role = await updateRosterRole(
        deps,
        actorOf(request),
        request.params.id,
        request.body,
        expectedVersion(request.headers['if-match']),
      );
      reply.header('etag', etag(role.version));
      return presentIncidentRole(role);
    },
  );

  app.get(
    '/api/v1/tickets/:id/roles',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Who holds which response role on a major incident now',
        params: IdParams,
        response: { 200: Items(RoleHolding), ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => ({ items: (await listRoleHolders(deps, actorOf(request), request.params.id)).map(presentRoleHolding) }),
  );

  app.post(
    '/api/v1/tickets/:id/roles',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Give someone a response role, or hand it over (fromUserId: the current holder)',
        description:
          'On the timeline; the person is notified in-app and by e-mail, and paged when the role pages. A single-holder role held by someone else is refused with 409 naming the holder: hand it over instead. Answers the holders now.',
        params: IdParams,
        body: AssignRole,
        response: { 200: Items(RoleHolding), ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      items: (await assignRole(deps, actorOf(request), request.params.id, request.body)).map(presentRoleHolding),
    }),
  );

  app.post(
    '/api/v1/tickets/:id/roles/release',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Release a response role (the holder gives it up); on the timeline. Answers the holders now.',
        params: IdParams,
        body: ReleaseRole,
        response: { 200: Items(RoleHolding), ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      items: (await releaseRole(deps, actorOf(request), request.params.id, request.body)).map(presentRoleHolding),
    }),
  );

  app.get(
    '/api/v1/me/incident-roles',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'What is my role: the response roles you hold now, with their incidents and checklists',
        response: { 200: Items(MyIncidentRole), ...problems(401, 403) },
      },
    },
    async (request) => ({ items: (await myIncidentRoles(deps, actorOf(request))).map(presentMyRole) }),
  );
}
