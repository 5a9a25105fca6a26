import { IdParams, NoContent } from '../../../../core/contracts/common.js';
import {
  Audience,
  AudienceInput,
  Audiences,
  Composer,
  DueUpdates,
  EditPublicUpdate,
  PublicUpdate,
  PublicUpdateParams,
  SendUpdate,
  SentUpdate,
  UpdateCadenceSettings,
  UpdateTemplates,
} from '../../../../core/contracts/stakeholder-updates.js';
import type { UpdateIntervals } from '../../../../core/update-cadence.js';
import {
  createStakeholderAudience,
  deleteStakeholderAudience,
  getUpdateTemplates,
  listStakeholderAudiences,
  setUpdateTemplates,
  updateStakeholderAudience,
} from '../../services/stakeholder-audiences.service.js';
import { editPublicUpdate, getComposer, sendStakeholderUpdate } from '../../services/stakeholder-updates.service.js';
import { getUpdateCadenceSettings, listUpdatesDue, setUpdateCadenceSettings } from '../../services/update-cadence.service.js';
import { actorOf } from '../plugins/authentication.js';
import {
  presentAudience,
  presentComposer,
  presentDueUpdates,
  presentPublicUpdate,
  presentSentUpdate,
} from '../presenters/stakeholder-updates.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

/**
 * Stakeholder updates (issue 15 items 4–6): the composer on an incident and its one send, the
 * update cadence and the queue's due updates (the desk), and what admins set up (templates,
 * stakeholder lists, the cadence). Requesters have none of it: they read public updates on
 * their tickets and the status page.
 */
export function stakeholderUpdateRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/tickets/:id/update-composer',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary:
          "The update composer of an incident: templates, the variables' values, audiences (proposed ones marked), cadence, the evaluation point waiting, updates sent",
        params: IdParams,
        response: { 200: Composer, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => presentComposer(await getComposer(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/tickets/:id/stakeholder-updates',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary:
          'Send an update to the audiences ticked: public ones as a public comment (status page, portal, requesters, followers), lists and role holders as notifications, outside addresses by e-mail',
        params: IdParams,
        body: SendUpdate,
        response: { 201: SentUpdate, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentSentUpdate(await sendStakeholderUpdate(deps, actorOf(request), request.params.id, request.body))),
  );

  app.put(
    '/api/v1/tickets/:id/public-updates/:updateId',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary:
          'Correct the text of a public update already sent (staff who may send updates): shown marked "edited" on the status page, its JSON, the feeds and the portal; the earlier words stay on the timeline; subscribers are told again only with notifySubscribers',
        params: PublicUpdateParams,
        body: EditPublicUpdate,
        response: { 200: PublicUpdate, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request) =>
      presentPublicUpdate(await editPublicUpdate(deps, actorOf(request), request.params.id, request.params.updateId, request.body)),
  );

  app.get(
    '/api/v1/stakeholder-updates/due',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: 'Open incidents with a next update due, soonest first, and whether it is due or overdue now (the desk queue)',
        response: { 200: DueUpdates, ...problems(401, 403) },
      },
    },
    async () => presentDueUpdates(await listUpdatesDue(deps)),
  );

  app.get(
    '/api/v1/update-cadence',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: 'Minutes between updates per priority, and the grace after which a missing update is overdue',
        response: { 200: UpdateCadenceSettings, ...problems(401, 403) },
      },
    },
    async () => {
      const s = await getUpdateCadenceSettings(deps.db);
      return { intervals: s.intervals as Record<string, number>, graceMinutes: s.graceMinutes };
    },
  );

  app.put(
    '/api/v1/update-cadence',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['incidents'],
        summary: 'Set the update cadence (admins); applies from the next change of each incident',
        body: UpdateCadenceSettings,
        response: { 200: UpdateCadenceSettings, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const s = await setUpdateCadenceSettings(deps, actorOf(request), {
        intervals: request.body.intervals as UpdateIntervals,
        graceMinutes: request.body.graceMinutes,
      });
      return { intervals: s.intervals as Record<string, number>, graceMinutes: s.graceMinutes };
    },
  );

  app.get(
    '/api/v1/update-templates',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: "The composer's templates per stage",
        response: { 200: UpdateTemplates, ...problems(401, 403) },
      },
    },
    async () => getUpdateTemplates(deps.db),
  );

  app.put(
    '/api/v1/update-templates',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['incidents'],
        summary: "Replace the composer's templates (admins); a variable that does not exist is refused, by name",
        body: UpdateTemplates,
        response: { 200: UpdateTemplates, ...problems(400, 401, 403) },
      },
    },
    async (request) => setUpdateTemplates(deps, actorOf(request), request.body),
  );

  app.get(
    '/api/v1/stakeholder-lists',
    {
      config: { access: 'agent' },
      schema: { tags: ['incidents'], summary: 'The stakeholder lists', response: { 200: Audiences, ...problems(401, 403) } },
    },
    async () => ({ items: (await listStakeholderAudiences(deps)).map(presentAudience) }),
  );

  app.post(
    '/api/v1/stakeholder-lists',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['incidents'],
        summary: 'Create a stakeholder list (people, teams, outside addresses; services it is proposed for)',
        body: AudienceInput,
        response: { 201: Audience, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const made = await createStakeholderAudience(deps, actorOf(request), request.body);
      return reply.status(201).header('etag', etag(made.version)).send(presentAudience(made));
    },
  );

  app.put(
    '/api/v1/stakeholder-lists/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['incidents'],
        summary: 'Replace a stakeholder list (If-Match: its version)',
        params: IdParams,
        body: AudienceInput,
        response: { 200: Audience, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const saved = await updateStakeholderAudience(
        deps,
        actorOf(request),
        request.params.id,
        request.body,
        expectedVersion(request.headers['if-match']),
      );
      return reply.header('etag', etag(saved.version)).send(presentAudience(saved));
    },
  );

  app.delete(
    '/api/v1/stakeholder-lists/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['incidents'],
        summary: 'Remove a stakeholder list (updates already sent keep its name)',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteStakeholderAudience(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
