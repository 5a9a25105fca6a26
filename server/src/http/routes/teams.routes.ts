import { IdParams, Items } from '../../../../core/contracts/common.js';
import { CreateTeam, Team, UpdateTeam } from '../../../../core/contracts/directory.js';
import { createTeam, getTeam, listTeamsWithMembers, updateTeamById } from '../../services/teams.service.js';
import { presentTeam } from '../presenters/teams.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function teamRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/teams',
    {
      config: { access: 'agent' },
      schema: { tags: ['directory'], summary: 'List teams', response: { 200: Items(Team), ...problems(401, 403) } },
    },
    async () => ({ items: (await listTeamsWithMembers(deps.db)).map(presentTeam) }),
  );

  app.post(
    '/api/v1/teams',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['directory'],
        summary: 'Create a team with members and a manager',
        body: CreateTeam,
        response: { 201: Team, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentTeam(await createTeam(deps, request.body))),
  );

  app.get(
    '/api/v1/teams/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['directory'], summary: 'One team', params: IdParams, response: { 200: Team, ...problems(401, 403, 404) } },
    },
    async (request) => presentTeam(await getTeam(deps.db, request.params.id)),
  );

  app.patch(
    '/api/v1/teams/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['directory'],
        summary: 'Change a team (memberIds replaces the member list)',
        params: IdParams,
        body: UpdateTeam,
        response: { 200: Team, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentTeam(await updateTeamById(deps, request.params.id, request.body)),
  );
}
