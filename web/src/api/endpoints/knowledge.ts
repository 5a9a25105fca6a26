import type { z } from 'zod';
import type { Article, ArticleHit, ArticleSummary, ArticleVersion, ArticleVersionSummary } from '../../../../core/contracts/knowledge-base';
import type { ArticleAudience, ArticleState } from '../../../../core/knowledge-base';
import { request } from '../client';

// The knowledge base (issue 17 items 6–7).

export type ArticleT = z.infer<typeof Article>;
export type ArticleSummaryT = z.infer<typeof ArticleSummary>;
export type ArticleHitT = z.infer<typeof ArticleHit>;
export type ArticleVersionT = z.infer<typeof ArticleVersion>;
export type ArticleVersionSummaryT = z.infer<typeof ArticleVersionSummary>;
export interface ArticleFields {
  title: string;
  body: string;
  audience: ArticleAudience;
  serviceIds: string[];
  categoryIds: string[];
}

export const list = (state?: ArticleState) => request<{ items: ArticleSummaryT[] }>('GET', `/articles${state ? `?state=${state}` : ''}`);
export const search = (q: string, limit = 10, signal?: AbortSignal) =>
  request<{ items: ArticleHitT[] }>('GET', `/articles/search?q=${encodeURIComponent(q)}&limit=${limit}`, undefined, { signal });

/** What the portal's help page browses by: a service (with its components) and a category (with its subcategories). */
export interface ArticleBrowse {
  serviceId?: string;
  categoryId?: string;
}
const browseParams = (b: ArticleBrowse) =>
  `${b.serviceId ? `&serviceId=${encodeURIComponent(b.serviceId)}` : ''}${b.categoryId ? `&categoryId=${encodeURIComponent(b.categoryId)}` : ''}`;
export const browse = (b: ArticleBrowse, signal?: AbortSignal) =>
  request<{ items: ArticleSummaryT[] }>('GET', `/articles?limit=100${browseParams(b)}`, undefined, { signal });
export const searchWithin = (q: string, b: ArticleBrowse, signal?: AbortSignal) =>
  request<{ items: ArticleHitT[] }>('GET', `/articles/search?q=${encodeURIComponent(q)}&limit=20${browseParams(b)}`, undefined, { signal });
export const get = (id: string) => request<ArticleT>('GET', `/articles/${id}`);
export const create = (fields: ArticleFields) => request<ArticleT>('POST', '/articles', fields);
export const save = (id: string, version: number, fields: Partial<ArticleFields>) =>
  request<ArticleT>('PATCH', `/articles/${id}`, fields, { ifMatch: version });
export const move = (id: string, version: number, to: ArticleState) =>
  request<ArticleT>('POST', `/articles/${id}/transitions`, { to }, { ifMatch: version });
export const preview = (body: string) => request<{ html: string }>('POST', '/articles/preview', { body });
export const versions = (id: string) => request<{ items: ArticleVersionSummaryT[] }>('GET', `/articles/${id}/versions`);
export const version = (id: string, n: number) => request<ArticleVersionT>('GET', `/articles/${id}/versions/${n}`);
export const restore = (id: string, n: number, current: number) =>
  request<ArticleT>('POST', `/articles/${id}/versions/${n}/restore`, undefined, { ifMatch: current });
export const feedback = (id: string, helpful: boolean) => request<ArticleT>('POST', `/articles/${id}/feedback`, { helpful });
export const solved = (id: string) => request<ArticleT>('POST', `/articles/${id}/solved`);
export const draftFromTicket = (ticketId: string) => request<ArticleT>('POST', `/tickets/${ticketId}/article-draft`);
export const suggestedForTicket = (ticketId: string) => request<{ items: ArticleHitT[] }>('GET', `/tickets/${ticketId}/suggested-articles`);
