import type { ArticleHit, ArticlePatch, NewArticle } from '../../../core/contracts/knowledge-base.js';
import { AppError, type FieldError, notFound } from '../../../core/errors.js';
import {
  type ArticleState,
  articleFromResolution,
  articleMoveProblem,
  canReadArticle,
  highlightParts,
  markdownAsText,
  searchWords,
} from '../../../core/knowledge-base.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { allOfTerms, anyOfTerms } from '../../../core/text-search.js';
import type { Db } from '../db/client.js';
import {
  type ArticleCounter,
  type ArticleFilter,
  type ArticleRow,
  bumpArticleCounters,
  findArticle,
  findArticleVersion,
  insertArticle,
  insertArticleVersion,
  listArticles,
  listArticleVersions,
  lockArticle,
  missingIds,
  namesOfUsers,
  recordHelpfulVote,
  recordSolvedBy,
  saveArticle,
  searchArticles,
} from '../repositories/knowledge.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { renderArticleMarkdown } from './article-markdown.js';
import type { ServiceDeps } from './deps.js';

/**
 * The knowledge base (issue 17 items 6–7): articles in Markdown with every saved version kept,
 * draft → published → retired, full-text search, helpful votes and "This solved it" counts.
 * Staff write; a requester reads only published articles meant for everyone, and any other
 * article is "not found" to them.
 */

export interface ArticleView extends ArticleRow {
  html: string;
  authorName: string | null;
  updatedByName: string | null;
}

function refuseUnlessStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff write knowledge-base articles');
}

async function viewOf(db: Db, article: ArticleRow): Promise<ArticleView> {
  const ids = [article.authorId, article.updatedById].filter((x): x is string => Boolean(x));
  const names = await namesOfUsers(db, ids);
  return {
    ...article,
    html: renderArticleMarkdown(article.body),
    authorName: article.authorId ? (names.get(article.authorId) ?? null) : null,
    updatedByName: article.updatedById ? (names.get(article.updatedById) ?? null) : null,
  };
}

async function readable(db: Db, actor: Actor, id: string): Promise<ArticleRow> {
  const article = await findArticle(db, id);
  if (!article || !canReadArticle(actor, article)) throw notFound('article');
  return article;
}

/** Services and categories must exist: a 400 naming the field, and nothing saved. */
async function checkLinks(db: Db, input: { serviceIds?: string[]; categoryIds?: string[] }): Promise<void> {
  const errors: FieldError[] = [];
  const badServices = await missingIds(db, 'services', input.serviceIds ?? []);
  if (badServices.length > 0) errors.push({ field: 'serviceIds', message: `no service has the id ${badServices.join(', ')}` });
  const badCategories = await missingIds(db, 'categories', input.categoryIds ?? []);
  if (badCategories.length > 0) errors.push({ field: 'categoryIds', message: `no category has the id ${badCategories.join(', ')}` });
  if (errors.length > 0) throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

export async function createArticle(
  deps: ServiceDeps,
  actor: Actor,
  input: NewArticle,
  sourceTicketId: string | null = null,
): Promise<ArticleView> {
  refuseUnlessStaff(actor);
  await checkLinks(deps.db, input);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const article = await insertArticle(tx, {
      ...input,
      state: 'draft',
      sourceTicketId,
      authorId: actor.id,
      createdAt: now,
      updatedAt: now,
      updatedById: actor.id,
    });
    await insertArticleVersion(tx, article);
    return viewOf(tx, article);
  });
}

export async function getArticle(deps: ServiceDeps, actor: Actor, id: string): Promise<ArticleView> {
  return viewOf(deps.db, await readable(deps.db, actor, id));
}

export async function listArticlesFor(
  deps: ServiceDeps,
  actor: Actor,
  query: { state?: ArticleState; serviceId?: string; categoryId?: string; limit: number },
) {
  const { limit, ...filter } = query;
  const rows = await listArticles(deps.db, { requesterView: !isStaff(actor), ...filter }, limit);
  const names = await namesOfUsers(deps.db, [
    ...new Set(rows.flatMap((r) => [r.authorId, r.updatedById]).filter((x): x is string => Boolean(x))),
  ]);
  return rows.map((r) => ({
    ...r,
    authorName: r.authorId ? (names.get(r.authorId) ?? null) : null,
    updatedByName: r.updatedById ? (names.get(r.updatedById) ?? null) : null,
  }));
}

/**
 * Ranked, highlighted search. Staff search every article unless `publishedOnly` (suggestions);
 * others only published articles for everyone. An empty or operator-only text finds nothing.
 * `serviceId` / `categoryId` narrow to a service (with its components) or a category (with its
 * subcategories), as the portal's help page browses.
 */
export async function searchArticlesFor(
  deps: ServiceDeps,
  actor: Actor,
  text: string,
  options: { limit: number; publishedOnly?: boolean; serviceId?: string; categoryId?: string },
): Promise<ArticleHit[]> {
  const words = searchWords(text);
  const everyWord = allOfTerms(words);
  const anyWord = anyOfTerms(words);
  if (!everyWord || !anyWord) return [];
  const filter: ArticleFilter = {
    requesterView: !isStaff(actor),
    ...(options.publishedOnly ? { state: 'published' } : {}),
    ...(options.serviceId ? { serviceId: options.serviceId } : {}),
    ...(options.categoryId ? { categoryId: options.categoryId } : {}),
  };
  // Articles holding every word first: they answer best, and they are few, so ranking them is
  // cheap; only when they are too few are articles holding any of the words ranked after them.
  const hits = await searchArticles(deps.db, everyWord, filter, options.limit);
  if (hits.length < options.limit && words.length > 1) {
    const found = new Set(hits.map((h) => h.id));
    const more = await searchArticles(deps.db, anyWord, filter, options.limit + hits.length);
    hits.push(...more.filter((h) => !found.has(h.id)).slice(0, options.limit - hits.length));
  }
  return hits.map((h) => ({
    id: h.id,
    title: h.title,
    state: h.state,
    audience: h.audience,
    rank: h.rank,
    titleParts: highlightParts(h.titleHeadline),
    excerpt: highlightParts(h.bodyHeadline)
      .map((p) => ({ ...p, text: markdownAsText(p.text) }))
      .filter((p) => p.text.length > 0),
    solvedCount: h.solvedCount,
    helpfulYes: h.helpfulYes,
    helpfulNo: h.helpfulNo,
  }));
}

/** The article locked and checked against the caller's If-Match (412 naming who saved it meanwhile). */
async function articleForWrite(db: Db, actor: Actor, id: string, expectedVersion: number | undefined): Promise<ArticleRow> {
  refuseUnlessStaff(actor);
  const article = await lockArticle(db, id);
  if (!article) throw notFound('article');
  if (expectedVersion !== undefined && expectedVersion !== article.version) {
    const names = article.updatedById ? await namesOfUsers(db, [article.updatedById]) : new Map<string, string>();
    const who = article.updatedById ? names.get(article.updatedById) : undefined;
    throw new AppError(
      'stale_version',
      `“${article.title}” was saved by ${who ?? 'someone else'} since you loaded it (you have version ${expectedVersion}, it is now at ${article.version}). Reload it and try again.`,
      { extra: { currentVersion: article.version, changedBy: who ? { id: article.updatedById, name: who } : null } },
    );
  }
  return article;
}

async function saveAndKeep(db: Db, actor: Actor, article: ArticleRow, patch: Partial<ArticleRow>, now: Date): Promise<ArticleRow> {
  const saved = await saveArticle(db, article.id, { ...patch, updatedAt: now, updatedById: actor.id }, article.version);
  if (!saved) throw new AppError('stale_version', 'The article was saved by someone else at the same moment. Reload it and try again.');
  await insertArticleVersion(db, saved);
  return saved;
}

/** Saves changed fields as a new version (the previous one stays in the history). */
export async function editArticle(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: ArticlePatch,
  expectedVersion: number | undefined,
): Promise<ArticleView> {
  refuseUnlessStaff(actor);
  await checkLinks(deps.db, patch);
  return deps.db.transaction(async (tx) => {
    const article = await articleForWrite(tx, actor, id, expectedVersion);
    return viewOf(tx, await saveAndKeep(tx, actor, article, patch, deps.clock.now()));
  });
}

/** draft → published → retired (and back: retired → published, published → draft). */
export async function moveArticle(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  to: ArticleState,
  expectedVersion: number | undefined,
): Promise<ArticleView> {
  return deps.db.transaction(async (tx) => {
    const article = await articleForWrite(tx, actor, id, expectedVersion);
    const problem = articleMoveProblem(article.state, to);
    if (problem) throw new AppError('illegal_transition', `“${article.title}” cannot move: ${problem}`);
    const now = deps.clock.now();
    const saved = await saveAndKeep(tx, actor, article, { state: to, ...(to === 'published' ? { publishedAt: now } : {}) }, now);
    return viewOf(tx, saved);
  });
}

export async function listArticleHistory(deps: ServiceDeps, actor: Actor, id: string) {
  refuseUnlessStaff(actor);
  await readable(deps.db, actor, id);
  return listArticleVersions(deps.db, id);
}

export async function getArticleVersion(deps: ServiceDeps, actor: Actor, id: string, version: number) {
  refuseUnlessStaff(actor);
  await readable(deps.db, actor, id);
  const found = await findArticleVersion(deps.db, id, version);
  if (!found) throw notFound(`version ${version} of the article`);
  return { ...found, html: renderArticleMarkdown(found.body) };
}

/** Restores an old version's content as a new version (nothing in the history is lost). */
export async function restoreArticleVersion(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  version: number,
  expectedVersion: number | undefined,
): Promise<ArticleView> {
  return deps.db.transaction(async (tx) => {
    const article = await articleForWrite(tx, actor, id, expectedVersion);
    const old = await findArticleVersion(tx, id, version);
    if (!old) throw notFound(`version ${version} of the article`);
    const { title, body, audience, serviceIds, categoryIds } = old;
    return viewOf(tx, await saveAndKeep(tx, actor, article, { title, body, audience, serviceIds, categoryIds }, deps.clock.now()));
  });
}

/** Renders a body the editor is writing, exactly as readers will see it. */
export function previewArticle(actor: Actor, body: string): { html: string } {
  refuseUnlessStaff(actor);
  return { html: renderArticleMarkdown(body) };
}

/** A published article the actor may read, for feedback (a draft or retired one takes none). */
async function publishedForFeedback(db: Db, actor: Actor, id: string): Promise<void> {
  const article = await readable(db, actor, id);
  if (article.state !== 'published') throw new AppError('conflict', 'Only a published article can be rated or marked as the solution');
}

/** The article after a feedback change, read again so the counters are the committed ones. */
async function afterFeedback(db: Db, id: string): Promise<ArticleView> {
  const article = await findArticle(db, id);
  if (!article) throw notFound('article');
  return viewOf(db, article);
}

/**
 * "Was this helpful?" yes or no, counted once per person: pressing again changes nothing, and
 * changing one's mind moves the vote from one count to the other.
 */
export async function rateArticle(deps: ServiceDeps, actor: Actor, id: string, helpful: boolean): Promise<ArticleView> {
  return deps.db.transaction(async (tx) => {
    await publishedForFeedback(tx, actor, id);
    const outcome = await recordHelpfulVote(tx, id, actor.id, helpful, deps.clock.now());
    const yes: ArticleCounter = helpful ? 'helpfulYes' : 'helpfulNo';
    const no: ArticleCounter = helpful ? 'helpfulNo' : 'helpfulYes';
    if (outcome === 'first') await bumpArticleCounters(tx, id, { [yes]: 1 });
    if (outcome === 'changed') await bumpArticleCounters(tx, id, { [yes]: 1, [no]: -1 });
    return afterFeedback(tx, id);
  });
}

/** "This solved it": a report that ended without a ticket (deflection), counted once per person per article. */
export async function articleSolvedIt(deps: ServiceDeps, actor: Actor, id: string): Promise<ArticleView> {
  return deps.db.transaction(async (tx) => {
    await publishedForFeedback(tx, actor, id);
    if (await recordSolvedBy(tx, id, actor.id, deps.clock.now())) await bumpArticleCounters(tx, id, { solvedCount: 1 });
    return afterFeedback(tx, id);
  });
}

/** A draft prefilled from a resolved ticket's title and resolution notes, linked to its service and category. */
export async function draftArticleFromTicket(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<ArticleView> {
  refuseUnlessStaff(actor);
  const ticket = await findTicketById(deps.db, ticketId);
  if (!ticket) throw notFound('ticket');
  if (ticket.state !== 'resolved' && ticket.state !== 'closed')
    throw new AppError('conflict', `${ticket.number} is not resolved yet: write the article once it has a resolution`);
  const { title, body } = articleFromResolution(ticket);
  return createArticle(
    deps,
    actor,
    {
      title: title.length >= 3 ? title : `${ticket.number} ${title}`,
      body,
      audience: 'everyone',
      serviceIds: ticket.serviceId ? [ticket.serviceId] : [],
      categoryIds: [ticket.categoryId, ticket.subcategoryId].filter((x): x is string => Boolean(x)),
    },
    ticket.id,
  );
}

/** Published articles that match a ticket's title (and description), for the desk's ticket page. */
export async function suggestArticlesForTicket(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<ArticleHit[]> {
  refuseUnlessStaff(actor);
  const ticket = await findTicketById(deps.db, ticketId);
  if (!ticket) throw notFound('ticket');
  return searchArticlesFor(deps, actor, ticket.title, { limit: 5, publishedOnly: true });
}
