import { IdParams } from '../../../../core/contracts/common.js';
import {
  ChecklistItemParams,
  CompletionChecklists,
  IncidentCompletion,
  RecordFinalUpdate,
  RecordPreventiveMeasure,
  ScheduleReview,
  SetChecklistItem,
} from '../../../../core/contracts/incident-completion.js';
import {
  getCompletionChecklists,
  getIncidentCompletion,
  recordFinalUpdate,
  recordPreventiveMeasure,
  scheduleReview,
  setChecklistItem,
  setCompletionChecklists,
} from '../../services/incident-completion.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentIncidentCompletion } from '../presenters/incident-completion.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/**
 * Closing an incident properly (issue 14 #9): its completion checklist, what is recorded to
 * complete it, and the admin's checklists. Staff only: requesters see the public side (the final
 * update reaches them as a comment), never the checklist.
 */
export function incidentCompletionRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/completion-checklists',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: 'The completion checklist of each kind of incident (what must be done before it may close)',
        response: { 200: CompletionChecklists, ...problems(401, 403) },
      },
    },
    async () => getCompletionChecklists(deps.db),
  );

  app.put(
    '/api/v1/completion-checklists',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['incidents'],
        summary: 'Replace the completion checklists (admins); applies to every close from now on',
        body: CompletionChecklists,
        response: { 200: CompletionChecklists, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => setCompletionChecklists(deps, actorOf(request), request.body),
  );

  app.get(
    '/api/v1/tickets/:id/completion',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: "An incident's completion checklist: each item done or not, and what would make it done",
        params: IdParams,
        response: { 200: IncidentCompletion, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentIncidentCompletion(await getIncidentCompletion(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/tickets/:id/final-update',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: 'Send the final update: a public comment marked final, heard by the requester and every follower',
        params: IdParams,
        body: RecordFinalUpdate,
        response: { 200: IncidentCompletion, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => presentIncidentCompletion(await recordFinalUpdate(deps, actorOf(request), request.params.id, request.body.body)),
  );

  app.post(
    '/api/v1/tickets/:id/preventive-measures',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: 'Record a preventive measure (what will stop it happening again); on the timeline',
        params: IdParams,
        body: RecordPreventiveMeasure,
        response: { 200: IncidentCompletion, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentIncidentCompletion(await recordPreventiveMeasure(deps, actorOf(request), request.params.id, request.body.description)),
  );

  app.put(
    '/api/v1/tickets/:id/review',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: 'Give the post-incident review a date (in the future); on the timeline',
        params: IdParams,
        body: ScheduleReview,
        response: { 200: IncidentCompletion, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      presentIncidentCompletion(await scheduleReview(deps, actorOf(request), request.params.id, new Date(request.body.at))),
  );

  app.put(
    '/api/v1/tickets/:id/completion/items/:key',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['incidents'],
        summary: 'Tick (or untick) a manual item of the completion checklist; on the timeline',
        params: ChecklistItemParams,
        body: SetChecklistItem,
        response: { 200: IncidentCompletion, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      presentIncidentCompletion(await setChecklistItem(deps, actorOf(request), request.params.id, request.params.key, request.body.ticked)),
  );
}
