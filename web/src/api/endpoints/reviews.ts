import type { z } from 'zod';
import type { ActionItem, PostIncidentReview, ReviewTemplate } from '../../../../core/contracts/post-incident-reviews';
import type { ActionItemPriority, ActionItemState, ReviewSection, ReviewState } from '../../../../core/incident-review';
import { request } from '../client';

// Post-incident reviews and their action items (issue 17).

export type PostIncidentReviewT = z.infer<typeof PostIncidentReview>;
export type ActionItemT = z.infer<typeof ActionItem>;
export type ReviewTemplateT = z.infer<typeof ReviewTemplate>;

const url = (ticketId: string) => `/tickets/${ticketId}/post-incident-review`;

export const get = (ticketId: string) => request<PostIncidentReviewT>('GET', url(ticketId));
export const draft = (ticketId: string) => request<PostIncidentReviewT>('POST', url(ticketId));
export const edit = (ticketId: string, version: number, sections: Partial<Record<ReviewSection, string>>) =>
  request<PostIncidentReviewT>('PATCH', url(ticketId), { sections }, { ifMatch: version });
export const move = (ticketId: string, version: number, to: ReviewState) =>
  request<PostIncidentReviewT>('POST', `${url(ticketId)}/transitions`, { to }, { ifMatch: version });
/** The Markdown export, opened by the browser (the session cookie signs it). */
export const markdownHref = (ticketId: string) => `/api/v1${url(ticketId)}.md`;

export const addActionItem = (ticketId: string, body: { title: string; ownerId?: string; dueOn: string; priority: ActionItemPriority }) =>
  request<ActionItemT>('POST', `/tickets/${ticketId}/action-items`, body);
export const updateActionItem = (id: string, version: number, patch: { state?: ActionItemState }) =>
  request<ActionItemT>('PATCH', `/action-items/${id}`, patch, { ifMatch: version });
export const mine = () => request<{ items: ActionItemT[] }>('GET', '/action-items/mine');
export const overdue = () => request<{ items: ActionItemT[] }>('GET', '/action-items/overdue');
