import type { FastifyReply } from 'fastify';
import { IdParams, IfMatchHeaders, Items } from '../../../../core/contracts/common.js';
import {
  Article,
  ArticleFeedback,
  ArticleHits,
  ArticleListQuery,
  ArticlePatch,
  ArticlePreview,
  ArticlePreviewHtml,
  ArticleSearchQuery,
  ArticleSummary,
  ArticleVersion,
  ArticleVersionParams,
  ArticleVersionSummary,
  MoveArticle,
  NewArticle,
} from '../../../../core/contracts/knowledge-base.js';
import {
  type ArticleView,
  articleSolvedIt,
  createArticle,
  draftArticleFromTicket,
  editArticle,
  getArticle,
  getArticleVersion,
  listArticleHistory,
  listArticlesFor,
  moveArticle,
  previewArticle,
  rateArticle,
  restoreArticleVersion,
  searchArticlesFor,
  suggestArticlesForTicket,
} from '../../services/knowledge-base.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentArticle, presentArticleSummary } from '../presenters/knowledge-base.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

const TAGS = ['knowledge base'];

/**
 * The knowledge base (issue 17 items 6–7). Staff write; everyone signed in reads, and a requester
 * sees only published articles meant for everyone (any other is 404 to them). An article's ETag
 * is its version; writes take If-Match and answer 412 naming who saved it meanwhile.
 */
export function knowledgeBaseRoutes(app: Api, deps: RouteDeps): void {
  const send = (reply: FastifyReply, view: ArticleView) => {
    reply.header('etag', etag(view.version));
    return presentArticle(view);
  };

  app.get(
    '/api/v1/articles',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: TAGS,
        summary:
          'Articles, newest first (requesters: published articles for everyone only); by service or category, their components and subcategories included',
        querystring: ArticleListQuery,
        response: { 200: Items(ArticleSummary), ...problems(400, 401) },
      },
    },
    async (request) => ({ items: (await listArticlesFor(deps, actorOf(request), request.query)).map(presentArticleSummary) }),
  );

  app.get(
    '/api/v1/articles/search',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: TAGS,
        summary: 'Full-text search, best first, with highlighted title and excerpt; only the first words of a long text are used',
        querystring: ArticleSearchQuery,
        response: { 200: ArticleHits, ...problems(400, 401) },
      },
    },
    async (request) => ({
      items: await searchArticlesFor(deps, actorOf(request), request.query.q, {
        limit: request.query.limit,
        serviceId: request.query.serviceId,
        categoryId: request.query.categoryId,
      }),
    }),
  );

  app.post(
    '/api/v1/articles',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Write a new article (a draft)',
        body: NewArticle,
        response: { 201: Article, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => reply.status(201).send(send(reply, await createArticle(deps, actorOf(request), request.body))),
  );

  app.post(
    '/api/v1/articles/preview',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Render Markdown exactly as readers will see it (sanitised HTML)',
        body: ArticlePreview,
        response: { 200: ArticlePreviewHtml, ...problems(400, 401, 403) },
      },
    },
    async (request) => previewArticle(actorOf(request), request.body.body),
  );

  app.get(
    '/api/v1/articles/:id',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: TAGS,
        summary: 'One article with its body rendered to safe HTML',
        params: IdParams,
        response: { 200: Article, ...problems(401, 404) },
      },
    },
    async (request, reply) => send(reply, await getArticle(deps, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/articles/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Save changes as a new version (the previous one is kept); If-Match is the ETag',
        params: IdParams,
        headers: IfMatchHeaders,
        body: ArticlePatch,
        response: { 200: Article, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      send(reply, await editArticle(deps, actorOf(request), request.params.id, request.body, expectedVersion(request.headers['if-match']))),
  );

  app.post(
    '/api/v1/articles/:id/transitions',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Publish, retire, or send back to draft; If-Match is the ETag',
        params: IdParams,
        headers: IfMatchHeaders,
        body: MoveArticle,
        response: { 200: Article, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await moveArticle(deps, actorOf(request), request.params.id, request.body.to, expectedVersion(request.headers['if-match'])),
      ),
  );

  app.get(
    '/api/v1/articles/:id/versions',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Every saved version, newest first',
        params: IdParams,
        response: { 200: Items(ArticleVersionSummary), ...problems(401, 403, 404) },
      },
    },
    async (request) => ({
      items: (await listArticleHistory(deps, actorOf(request), request.params.id)).map((v) => ({
        version: v.version,
        title: v.title,
        savedAt: v.savedAt.toISOString(),
        savedBy: v.savedByName,
      })),
    }),
  );

  app.get(
    '/api/v1/articles/:id/versions/:version',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'One saved version',
        params: ArticleVersionParams,
        response: { 200: ArticleVersion, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const v = await getArticleVersion(deps, actorOf(request), request.params.id, request.params.version);
      return {
        version: v.version,
        title: v.title,
        body: v.body,
        html: v.html,
        audience: v.audience,
        serviceIds: v.serviceIds,
        categoryIds: v.categoryIds,
        savedAt: v.savedAt.toISOString(),
        savedBy: v.savedByName,
      };
    },
  );

  app.post(
    '/api/v1/articles/:id/versions/:version/restore',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Restore a saved version as a new version; If-Match is the ETag',
        params: ArticleVersionParams,
        headers: IfMatchHeaders,
        response: { 200: Article, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await restoreArticleVersion(
          deps,
          actorOf(request),
          request.params.id,
          request.params.version,
          expectedVersion(request.headers['if-match']),
        ),
      ),
  );

  app.post(
    '/api/v1/articles/:id/feedback',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: TAGS,
        summary: 'Was this article helpful? yes or no (counted)',
        params: IdParams,
        body: ArticleFeedback,
        response: { 200: Article, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => send(reply, await rateArticle(deps, actorOf(request), request.params.id, request.body.helpful)),
  );

  app.post(
    '/api/v1/articles/:id/solved',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: TAGS,
        summary: '"This solved it": a report that ended without a ticket, counted on the article',
        params: IdParams,
        response: { 200: Article, ...problems(401, 404, 409) },
      },
    },
    async (request, reply) => send(reply, await articleSolvedIt(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/tickets/:id/article-draft',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: 'Start a draft article from a resolved ticket (its title and resolution notes, service and category)',
        params: IdParams,
        response: { 201: Article, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(send(reply, await draftArticleFromTicket(deps, actorOf(request), request.params.id))),
  );

  app.get(
    '/api/v1/tickets/:id/suggested-articles',
    {
      config: { access: 'agent' },
      schema: {
        tags: TAGS,
        summary: "Published articles matching the ticket's title",
        params: IdParams,
        response: { 200: ArticleHits, ...problems(401, 403, 404) },
      },
    },
    async (request) => ({ items: await suggestArticlesForTicket(deps, actorOf(request), request.params.id) }),
  );
}
