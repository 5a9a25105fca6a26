import type { z } from 'zod';
import type { CompletionChecklists, IncidentCompletion } from '../../../../core/contracts/incident-completion';
import { request } from '../client';

// Closing an incident properly: its completion checklist and what is recorded to complete it.

export type IncidentCompletionT = z.infer<typeof IncidentCompletion>;
export type CompletionChecklistsT = z.input<typeof CompletionChecklists>;

export const get = (ticketId: string) => request<IncidentCompletionT>('GET', `/tickets/${ticketId}/completion`);
export const finalUpdate = (ticketId: string, body: string) =>
  request<IncidentCompletionT>('POST', `/tickets/${ticketId}/final-update`, { body });
export const preventiveMeasure = (ticketId: string, description: string) =>
  request<IncidentCompletionT>('POST', `/tickets/${ticketId}/preventive-measures`, { description });
export const scheduleReview = (ticketId: string, at: string) => request<IncidentCompletionT>('PUT', `/tickets/${ticketId}/review`, { at });
export const tick = (ticketId: string, key: string, ticked: boolean) =>
  request<IncidentCompletionT>('PUT', `/tickets/${ticketId}/completion/items/${encodeURIComponent(key)}`, { ticked });
export const checklists = () => request<CompletionChecklistsT>('GET', '/completion-checklists');
export const saveChecklists = (body: CompletionChecklistsT) => request<CompletionChecklistsT>('PUT', '/completion-checklists', body);
