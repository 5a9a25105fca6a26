import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { IdParams, IfMatchHeaders, Items } from '../../../../core/contracts/common.js';
import {
  ActionItem,
  ActionItemPatch,
  MoveReview,
  NewActionItem,
  PostIncidentReview,
  ReviewSectionsPatch,
  ReviewTemplate,
} from '../../../../core/contracts/post-incident-reviews.js';
import {
  createActionItem,
  getActionItem,
  listMyActionItems,
  listOverdueActionItems,
  updateActionItem,
} from '../../services/action-items.service.js';
import {
  draftReview,
  editReview,
  exportReviewMarkdown,
  getReview,
  getReviewTemplate,
  moveReview,
  type ReviewView,
  setReviewTemplate,
} from '../../services/post-incident-reviews.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentActionItem, presentReview } from '../presenters/post-incident-review.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

const TAGS = ['reviews'];

/**
 * Post-incident reviews and their action items (issue 17 items 1–2). Staff only: requesters
 * never see a review (403). The review's ETag is its own version (not the ticket's).
 */
export function postIncidentReviewRoutes(app: Api, deps: RouteDeps): void {
  // Every answer that is the review carries its version as the ETag (none until one is drafted).
  const sendReview = (reply: FastifyReply, view: ReviewView) => {
    if (view.review) reply.header('etag', etag(view.review.version));
    return presentReview(view, deps.clock.now());
  };
  app.get(
    '/api/v1/review-template',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'The blameless template new reviews start from',
        response: { 200: ReviewTemplate, ...problems(401, 403) },
      },
    },
    async () => getReviewTemplate(deps.db),
  );

  app.put(
    '/api/v1/review-template',
    {
      config: { access: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Change the blameless template (admins); applies to reviews drafted from now on',
        body: ReviewTemplate,
        response: { 200: ReviewTemplate, ...problems(400, 401, 403) },
      },
    },
    async (request) => setReviewTemplate(deps, actorOf(request), request.body),
  );

  app.get(
    '/api/v1/tickets/:id/post-incident-review',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: "An incident's post-incident review (null until drafted) with its key moments, durations and action items",
        params: IdParams,
        response: { 200: PostIncidentReview, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const view = await getReview(deps, actorOf(request), request.params.id);
      return sendReview(reply, view);
    },
  );

  app.post(
    '/api/v1/tickets/:id/post-incident-review',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Draft the review from the timeline (409 when the incident has one)',
        params: IdParams,
        response: { 201: PostIncidentReview, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const view = await draftReview(deps, actorOf(request), request.params.id);
      return reply.status(201).send(sendReview(reply, view));
    },
  );

  app.patch(
    '/api/v1/tickets/:id/post-incident-review',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Edit sections of the review (only those sent); If-Match is the review’s ETag',
        params: IdParams,
        headers: IfMatchHeaders,
        body: z.strictObject({ sections: ReviewSectionsPatch }),
        response: { 200: PostIncidentReview, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const view = await editReview(
        deps,
        actorOf(request),
        request.params.id,
        request.body.sections,
        expectedVersion(request.headers['if-match']),
      );
      return sendReview(reply, view);
    },
  );

  app.post(
    '/api/v1/tickets/:id/post-incident-review/transitions',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Move the review: draft → in review → published (or back to draft from review)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: MoveReview,
        response: { 200: PostIncidentReview, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const view = await moveReview(
        deps,
        actorOf(request),
        request.params.id,
        request.body.to,
        expectedVersion(request.headers['if-match']),
      );
      return sendReview(reply, view);
    },
  );

  app.get(
    '/api/v1/tickets/:id/post-incident-review.md',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'The review as Markdown (user text escaped)',
        params: IdParams,
        response: { 200: z.string(), ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const markdown = await exportReviewMarkdown(deps, actorOf(request), request.params.id);
      return reply.type('text/markdown; charset=utf-8').header('content-disposition', 'attachment; filename="review.md"').send(markdown);
    },
  );

  app.post(
    '/api/v1/tickets/:id/action-items',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Add an action item (owner required, due date today or later); reminders before and on the due date',
        params: IdParams,
        body: NewActionItem,
        response: { 201: ActionItem, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const item = await createActionItem(deps, actor, request.params.id, request.body);
      reply.header('etag', etag(item.version));
      return reply.status(201).send(presentActionItem(await getActionItem(deps, actor, item.id), deps.clock.now()));
    },
  );

  app.patch(
    '/api/v1/action-items/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Change an action item (title, owner, due date, priority, state); If-Match is its ETag',
        params: IdParams,
        headers: IfMatchHeaders,
        body: ActionItemPatch,
        response: { 200: ActionItem, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const item = await updateActionItem(deps, actor, request.params.id, request.body, expectedVersion(request.headers['if-match']));
      reply.header('etag', etag(item.version));
      return presentActionItem(await getActionItem(deps, actor, item.id), deps.clock.now());
    },
  );

  app.get(
    '/api/v1/action-items/mine',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'My open action items, soonest due first',
        response: { 200: Items(ActionItem), ...problems(401, 403) },
      },
    },
    async (request) => {
      const now = deps.clock.now();
      return { items: (await listMyActionItems(deps, actorOf(request))).map((a) => presentActionItem(a, now)) };
    },
  );

  app.get(
    '/api/v1/action-items/overdue',
    {
      config: { access: 'manager' },
      schema: {
        tags: TAGS,
        summary: 'Every open action item past its due date (managers)',
        response: { 200: Items(ActionItem), ...problems(401, 403) },
      },
    },
    async (request) => {
      const now = deps.clock.now();
      return { items: (await listOverdueActionItems(deps, actorOf(request))).map((a) => presentActionItem(a, now)) };
    },
  );
}
