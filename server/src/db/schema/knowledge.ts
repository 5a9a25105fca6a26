import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { ArticleAudience, ArticleState } from '../../../../core/knowledge-base.js';
import { users } from './directory.js';
import { tickets } from './tickets.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * A knowledge-base article (issue 17 item 6). `version` guards concurrent edits (412 naming
 * `updatedById`); every saved version is also kept in `kb_article_versions`. `search` is kept by
 * PostgreSQL from the title (weight A) and body (weight B) with the `english` configuration.
 * The counters are the article's helpful yes/no votes and the reports it ended ("This solved it").
 */
export const kbArticles = pgTable(
  'kb_articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    audience: text('audience').$type<ArticleAudience>().notNull().default('everyone'),
    state: text('state').$type<ArticleState>().notNull().default('draft'),
    serviceIds: uuid('service_ids').array().notNull().default(sql`'{}'::uuid[]`),
    categoryIds: uuid('category_ids').array().notNull().default(sql`'{}'::uuid[]`),
    sourceTicketId: uuid('source_ticket_id').references(() => tickets.id),
    authorId: uuid('author_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedById: uuid('updated_by_id').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    helpfulYes: integer('helpful_yes').notNull().default(0),
    helpfulNo: integer('helpful_no').notNull().default(0),
    solvedCount: integer('solved_count').notNull().default(0),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english', coalesce("title", '')), 'A') || setweight(to_tsvector('english', coalesce("body", '')), 'B')`,
      ),
  },
  (t) => [index('kb_articles_search_idx').using('gin', t.search), index('kb_articles_state_idx').on(t.state, t.updatedAt)],
);

/** Every saved version of an article (the current one included): history, view one, restore one. */
export const kbArticleVersions = pgTable(
  'kb_article_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    audience: text('audience').$type<ArticleAudience>().notNull(),
    serviceIds: uuid('service_ids').array().notNull(),
    categoryIds: uuid('category_ids').array().notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
    savedById: uuid('saved_by_id').references(() => users.id),
  },
  (t) => [unique('kb_article_versions_article_version').on(t.articleId, t.version)],
);

/**
 * What one person said of one article: their helpful yes/no (null until they vote; a second vote
 * replaces the first) and when "This solved it" first ended a report of theirs. The article's
 * counters count each person once; this row is what tells a repeat press from a new one.
 */
export const kbArticleFeedback = pgTable(
  'kb_article_feedback',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    helpful: boolean('helpful'),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.userId] })],
);
