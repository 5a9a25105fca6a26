import { and, asc, desc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { MATCH_END, MATCH_START } from '../../../core/knowledge-base.js';
import type { Db } from '../db/client.js';
import { categories, kbArticleFeedback, kbArticles, kbArticleVersions, services, users } from '../db/schema/index.js';

/** All SQL of the knowledge base (issue 17 items 6–7). */

export type ArticleRow = typeof kbArticles.$inferSelect;
export type ArticleVersionRow = typeof kbArticleVersions.$inferSelect;
type ArticleInsert = typeof kbArticles.$inferInsert;

/** Every column but the search vector (PostgreSQL keeps it; nobody reads it back). */
const { search: _search, ...articleColumns } = getTableColumns(kbArticles);

export async function insertArticle(db: Db, row: Omit<ArticleInsert, 'search'>): Promise<ArticleRow> {
  const [inserted] = await db.insert(kbArticles).values(row).returning(articleColumns);
  return inserted as ArticleRow;
}

export async function findArticle(db: Db, id: string): Promise<ArticleRow | undefined> {
  const [row] = await db.select(articleColumns).from(kbArticles).where(eq(kbArticles.id, id));
  return row as ArticleRow | undefined;
}

export async function lockArticle(db: Db, id: string): Promise<ArticleRow | undefined> {
  const [row] = await db.select(articleColumns).from(kbArticles).where(eq(kbArticles.id, id)).for('update');
  return row as ArticleRow | undefined;
}

/** Writes the next version; undefined when `expectedVersion` no longer matches. */
export async function saveArticle(
  db: Db,
  id: string,
  patch: Partial<Omit<ArticleInsert, 'search'>>,
  expectedVersion: number,
): Promise<ArticleRow | undefined> {
  const [row] = await db
    .update(kbArticles)
    .set({ ...patch, version: expectedVersion + 1 })
    .where(and(eq(kbArticles.id, id), eq(kbArticles.version, expectedVersion)))
    .returning(articleColumns);
  return row as ArticleRow | undefined;
}

export async function insertArticleVersion(db: Db, article: ArticleRow): Promise<void> {
  await db.insert(kbArticleVersions).values({
    articleId: article.id,
    version: article.version,
    title: article.title,
    body: article.body,
    audience: article.audience,
    serviceIds: article.serviceIds,
    categoryIds: article.categoryIds,
    savedAt: article.updatedAt,
    savedById: article.updatedById,
  });
}

export async function listArticleVersions(db: Db, articleId: string) {
  return db
    .select({
      version: kbArticleVersions.version,
      title: kbArticleVersions.title,
      savedAt: kbArticleVersions.savedAt,
      savedByName: users.name,
    })
    .from(kbArticleVersions)
    .leftJoin(users, eq(users.id, kbArticleVersions.savedById))
    .where(eq(kbArticleVersions.articleId, articleId))
    .orderBy(desc(kbArticleVersions.version));
}

export async function findArticleVersion(db: Db, articleId: string, version: number) {
  const [row] = await db
    .select({ version: kbArticleVersions, savedByName: users.name })
    .from(kbArticleVersions)
    .leftJoin(users, eq(users.id, kbArticleVersions.savedById))
    .where(and(eq(kbArticleVersions.articleId, articleId), eq(kbArticleVersions.version, version)));
  return row ? { ...row.version, savedByName: row.savedByName } : undefined;
}

export interface ArticleFilter {
  /** Only published articles for everyone (what a requester may read). */
  requesterView: boolean;
  state?: ArticleRow['state'];
  /** Articles about this service or one of its components. */
  serviceId?: string;
  /** Articles in this category or one of its subcategories. */
  categoryId?: string;
}

function filterSql(f: ArticleFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (f.requesterView) parts.push(eq(kbArticles.state, 'published'), eq(kbArticles.audience, 'everyone'));
  if (f.state) parts.push(eq(kbArticles.state, f.state));
  // Browsing "VPN" finds an article filed under the VPN client component too (one level: the
  // catalogue's components and subcategories are one level deep).
  if (f.serviceId) {
    parts.push(
      sql`${kbArticles.serviceIds} && ARRAY(SELECT ${services.id} FROM ${services} WHERE ${services.id} = ${f.serviceId} OR ${services.parentId} = ${f.serviceId})`,
    );
  }
  if (f.categoryId) {
    parts.push(
      sql`${kbArticles.categoryIds} && ARRAY(SELECT ${categories.id} FROM ${categories} WHERE ${categories.id} = ${f.categoryId} OR ${categories.parentId} = ${f.categoryId})`,
    );
  }
  return and(...parts);
}

/** Newest first, bounded. */
export async function listArticles(db: Db, filter: ArticleFilter, limit: number): Promise<ArticleRow[]> {
  const rows = await db
    .select(articleColumns)
    .from(kbArticles)
    .where(filterSql(filter))
    .orderBy(desc(kbArticles.updatedAt), asc(kbArticles.id))
    .limit(limit);
  return rows as ArticleRow[];
}

export interface ArticleHit {
  id: string;
  title: string;
  state: ArticleRow['state'];
  audience: ArticleRow['audience'];
  solvedCount: number;
  helpfulYes: number;
  helpfulNo: number;
  updatedAt: Date;
  rank: number;
  titleHeadline: string;
  bodyHeadline: string;
}

/** Matches ranked per search: the first the index finds (ordering every match first cost as much as ranking it). */
const MATCHES_RANKED = 500;

const HEADLINE_TITLE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, HighlightAll=true`;
const HEADLINE_BODY = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * Full-text search (PostgreSQL's `english` configuration, GIN index on the stored vector):
 * the best `limit` matches by ts_rank (title words weigh more than body words), each with
 * ts_headline excerpts whose matches sit between MATCH_START and MATCH_END. The excerpts are
 * made only for the rows returned (the inner query ranks and cuts first). Only the first
 * MATCHES_RANKED matches are ranked, so a query of the commonest words costs a bounded amount
 * (the service asks for articles holding every word first: usually far fewer). `tsquery` comes
 * from core/text-search.ts: words of letters and digits joined by `|` or `&`, never raw user text.
 */
export async function searchArticles(db: Db, tsquery: string, filter: ArticleFilter, limit: number): Promise<ArticleHit[]> {
  const query = sql`to_tsquery('english', ${tsquery})`;
  const firstMatches = db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(and(sql`${kbArticles.search} @@ ${query}`, filterSql(filter)))
    .limit(MATCHES_RANKED);
  const ranked = db
    .select({
      id: kbArticles.id,
      title: kbArticles.title,
      body: kbArticles.body,
      state: kbArticles.state,
      audience: kbArticles.audience,
      solvedCount: kbArticles.solvedCount,
      helpfulYes: kbArticles.helpfulYes,
      helpfulNo: kbArticles.helpfulNo,
      updatedAt: kbArticles.updatedAt,
      rank: sql<number>`ts_rank(${kbArticles.search}, ${query})`.as('rank'),
    })
    .from(kbArticles)
    .where(inArray(kbArticles.id, firstMatches))
    .orderBy(sql`rank DESC`, desc(kbArticles.updatedAt))
    .limit(limit)
    .as('ranked');
  const rows = await db
    .select({
      id: ranked.id,
      title: ranked.title,
      state: ranked.state,
      audience: ranked.audience,
      solvedCount: ranked.solvedCount,
      helpfulYes: ranked.helpfulYes,
      helpfulNo: ranked.helpfulNo,
      updatedAt: ranked.updatedAt,
      rank: ranked.rank,
      titleHeadline: sql<string>`ts_headline('english', ${ranked.title}, ${query}, ${HEADLINE_TITLE})`,
      bodyHeadline: sql<string>`ts_headline('english', ${ranked.body}, ${query}, ${HEADLINE_BODY})`,
    })
    .from(ranked)
    .orderBy(sql`${ranked.rank} DESC`, desc(ranked.updatedAt));
  return rows.map((r) => ({ ...r, rank: Number(r.rank), updatedAt: new Date(r.updatedAt) }));
}

export type ArticleCounter = 'helpfulYes' | 'helpfulNo' | 'solvedCount';

/** Adds `by` (±1) to counters in one statement (two readers pressing at once both count). */
export async function bumpArticleCounters(db: Db, id: string, changes: Partial<Record<ArticleCounter, 1 | -1>>): Promise<void> {
  const set = Object.fromEntries(
    (Object.entries(changes) as [ArticleCounter, number][]).map(([counter, by]) => [counter, sql`${kbArticles[counter]} + ${by}`]),
  );
  if (Object.keys(set).length > 0) await db.update(kbArticles).set(set).where(eq(kbArticles.id, id));
}

/**
 * Records a person's helpful vote and says what it changed: `first` (they had not voted),
 * `changed` (they had voted the other way) or `same` (a repeat press). One statement each, so two
 * presses at once by the same person count once: the row's primary key and lock decide.
 */
export async function recordHelpfulVote(
  db: Db,
  articleId: string,
  userId: string,
  helpful: boolean,
  now: Date,
): Promise<'first' | 'changed' | 'same'> {
  const inserted = await db
    .insert(kbArticleFeedback)
    .values({ articleId, userId, helpful, updatedAt: now })
    .onConflictDoNothing()
    .returning({ userId: kbArticleFeedback.userId });
  if (inserted.length > 0) return 'first';
  const mine = and(eq(kbArticleFeedback.articleId, articleId), eq(kbArticleFeedback.userId, userId));
  const firstVote = await db
    .update(kbArticleFeedback)
    .set({ helpful, updatedAt: now })
    .where(and(mine, isNull(kbArticleFeedback.helpful)))
    .returning({ userId: kbArticleFeedback.userId });
  if (firstVote.length > 0) return 'first';
  const turned = await db
    .update(kbArticleFeedback)
    .set({ helpful, updatedAt: now })
    .where(and(mine, eq(kbArticleFeedback.helpful, !helpful)))
    .returning({ userId: kbArticleFeedback.userId });
  return turned.length > 0 ? 'changed' : 'same';
}

/** Records that "This solved it" ended a report of this person's; false when it already had. */
export async function recordSolvedBy(db: Db, articleId: string, userId: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insert(kbArticleFeedback)
    .values({ articleId, userId, solvedAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ userId: kbArticleFeedback.userId });
  if (inserted.length > 0) return true;
  const first = await db
    .update(kbArticleFeedback)
    .set({ solvedAt: now, updatedAt: now })
    .where(and(eq(kbArticleFeedback.articleId, articleId), eq(kbArticleFeedback.userId, userId), isNull(kbArticleFeedback.solvedAt)))
    .returning({ userId: kbArticleFeedback.userId });
  return first.length > 0;
}

export async function namesOfUsers(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Which of `ids` name no existing row of `table` (services or categories). */
export async function missingIds(db: Db, table: 'services' | 'categories', ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const t = table === 'services' ? services : categories;
  const found = await db.select({ id: t.id }).from(t).where(inArray(t.id, ids));
  const known = new Set(found.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}
