import { z } from 'zod';
import { ARTICLE_AUDIENCES, ARTICLE_STATES } from '../knowledge-base.js';
import { Id, Ref, Timestamp } from './common.js';

/** API shapes of the knowledge base (issue 17 items 6–7). */

export const ArticleState = z.enum(ARTICLE_STATES, { error: `must be one of ${ARTICLE_STATES.join(', ')}` });
export const ArticleAudience = z.enum(ARTICLE_AUDIENCES, { error: `must be one of ${ARTICLE_AUDIENCES.join(', ')}` });

const Title = z
  .string({ error: 'is required' })
  .trim()
  .min(3, { error: 'must be at least 3 characters' })
  .max(200, { error: 'must be at most 200 characters' });
const Body = z.string({ error: 'is required' }).max(100_000, { error: 'must be at most 100,000 characters' });
const Ids = z.array(Id).max(50, { error: 'at most 50' });

export const NewArticle = z.strictObject({
  title: Title,
  body: Body,
  audience: ArticleAudience.default('everyone'),
  serviceIds: Ids.default([]),
  categoryIds: Ids.default([]),
});
export type NewArticle = z.infer<typeof NewArticle>;

export const ArticlePatch = z
  .strictObject({
    title: Title.optional(),
    body: Body.optional(),
    audience: ArticleAudience.optional(),
    serviceIds: Ids.optional(),
    categoryIds: Ids.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { error: 'send at least one of title, body, audience, serviceIds, categoryIds' });
export type ArticlePatch = z.infer<typeof ArticlePatch>;

export const MoveArticle = z.strictObject({ to: ArticleState });

export const Article = z.object({
  id: Id,
  title: z.string(),
  body: z.string(),
  /** The body rendered to sanitised HTML on the server: the only HTML a browser shows. */
  html: z.string(),
  audience: ArticleAudience,
  state: ArticleState,
  serviceIds: z.array(Id),
  categoryIds: z.array(Id),
  sourceTicketId: Id.nullable(),
  author: Ref,
  updatedBy: Ref,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: Timestamp.nullable(),
  version: z.number().int(),
  helpfulYes: z.number().int(),
  helpfulNo: z.number().int(),
  solvedCount: z.number().int(),
});
export type Article = z.infer<typeof Article>;

export const ArticleSummary = Article.omit({ body: true, html: true });
export type ArticleSummary = z.infer<typeof ArticleSummary>;

export const ArticleListQuery = z.strictObject({
  state: ArticleState.optional(),
  /** About this service or one of its components. */
  serviceId: Id.optional(),
  /** In this category or one of its subcategories. */
  categoryId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const HighlightPart = z.object({ text: z.string(), match: z.boolean() });

export const ArticleHit = z.object({
  id: Id,
  title: z.string(),
  state: ArticleState,
  audience: ArticleAudience,
  rank: z.number(),
  /** The title and an excerpt of the body, split into plain text parts; `match` parts are the found words. */
  titleParts: z.array(HighlightPart),
  excerpt: z.array(HighlightPart),
  solvedCount: z.number().int(),
  helpfulYes: z.number().int(),
  helpfulNo: z.number().int(),
});
export type ArticleHit = z.infer<typeof ArticleHit>;

// Longer text is accepted and only its first words are searched (core/knowledge-base.ts).
export const ArticleSearchQuery = z.strictObject({
  q: z.string().max(20_000, { error: 'must be at most 20,000 characters' }).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  serviceId: Id.optional(),
  categoryId: Id.optional(),
});

export const ArticleHits = z.object({ items: z.array(ArticleHit) });

export const ArticleVersionSummary = z.object({
  version: z.number().int(),
  title: z.string(),
  savedAt: Timestamp,
  savedBy: z.string().nullable(),
});
export const ArticleVersion = ArticleVersionSummary.extend({
  body: z.string(),
  html: z.string(),
  audience: ArticleAudience,
  serviceIds: z.array(Id),
  categoryIds: z.array(Id),
});
export const ArticleVersionParams = z.strictObject({
  id: Id,
  version: z.coerce
    .number({ error: 'must be a version number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be 1 or more' }),
});

export const ArticlePreview = z.strictObject({ body: Body });
export const ArticlePreviewHtml = z.object({ html: z.string() });

export const ArticleFeedback = z.strictObject({ helpful: z.boolean({ error: 'must be true (yes) or false (no)' }) });
