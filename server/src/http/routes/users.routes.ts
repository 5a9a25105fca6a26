import { PasswordReset, ResetPassword } from '../../../../core/contracts/auth.js';
import { IdParams, Page } from '../../../../core/contracts/common.js';
import { CreateRequester, CreateUser, ListUsersQuery, UpdateUser, User } from '../../../../core/contracts/directory.js';
import { createRequester, createUser, getUserAs, searchUsers, updateUserById } from '../../services/directory.service.js';
import { resetPassword } from '../../services/passwords.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentUser } from '../presenters/users.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function userRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/users',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['directory'],
        summary: 'List people (filter by role, staff or requesters, active, text)',
        querystring: ListUsersQuery,
        response: { 200: Page(User), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await searchUsers(deps.db, request.query);
      return { items: page.items.map(presentUser), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['directory'],
        summary: 'Add a person (requester, agent, manager or admin)',
        body: CreateUser,
        response: { 201: User, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(presentUser(await createUser(deps, request.body))),
  );

  app.post(
    '/api/v1/requesters',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['directory'],
        summary: 'Add a requester (name and e-mail), e.g. a caller the desk is logging a ticket for',
        description: 'Staff may add requesters only; people who work tickets are added by an admin (POST /users).',
        body: CreateRequester,
        response: { 201: User, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(presentUser(await createRequester(deps, request.body))),
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['directory'],
        summary: 'One person (staff see anyone; requesters see themselves)',
        params: IdParams,
        response: { 200: User, ...problems(401, 404) },
      },
    },
    async (request) => {
      return presentUser(await getUserAs(deps.db, actorOf(request), request.params.id));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['directory'],
        summary:
          'Change a person: name, role, time zone, password, or deactivate (a new password or a deactivation ends their sessions and revokes their API tokens unless revokeApiTokens is false)',
        params: IdParams,
        body: UpdateUser,
        response: { 200: User, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentUser(await updateUserById(deps, actorOf(request).id, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/users/:id/password-reset',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['directory'],
        summary:
          'Reset a person’s password to a temporary one (in this response only, for you to pass on) that they must change at their next sign-in; ends their sessions and revokes their API tokens unless revokeApiTokens is false',
        params: IdParams,
        body: ResetPassword,
        response: { 200: PasswordReset, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => resetPassword(deps, actorOf(request).id, request.params.id, request.body),
  );
}
