import type { Article, ArticleSummary } from '../../../../core/contracts/knowledge-base.js';
import type { ArticleRow } from '../../repositories/knowledge.repository.js';
import type { ArticleView } from '../../services/knowledge-base.service.js';

type Named = ArticleRow & { authorName: string | null; updatedByName: string | null };

export function presentArticleSummary(a: Named): ArticleSummary {
  return {
    id: a.id,
    title: a.title,
    audience: a.audience,
    state: a.state,
    serviceIds: a.serviceIds,
    categoryIds: a.categoryIds,
    sourceTicketId: a.sourceTicketId,
    author: a.authorId ? { id: a.authorId, name: a.authorName ?? '' } : null,
    updatedBy: a.updatedById ? { id: a.updatedById, name: a.updatedByName ?? '' } : null,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    publishedAt: a.publishedAt?.toISOString() ?? null,
    version: a.version,
    helpfulYes: a.helpfulYes,
    helpfulNo: a.helpfulNo,
    solvedCount: a.solvedCount,
  };
}

export function presentArticle(a: ArticleView): Article {
  return { ...presentArticleSummary(a), body: a.body, html: a.html };
}
