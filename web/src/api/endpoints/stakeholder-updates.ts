import type { z } from 'zod';
import type {
  Audience,
  AudienceInput,
  Composer,
  DueUpdates,
  EditPublicUpdate,
  PublicUpdate,
  SendUpdate,
  SentUpdate,
  UpdateCadenceSettings,
  UpdateTemplates,
} from '../../../../core/contracts/stakeholder-updates';
import { request } from '../client';

// Stakeholder updates (issue 15): the composer, its send, the queue's due updates, and the admin set-up.

export type ComposerT = z.infer<typeof Composer>;
export type SentUpdateT = z.infer<typeof SentUpdate>;
export type SendUpdateT = z.input<typeof SendUpdate>;
export type DueUpdatesT = z.infer<typeof DueUpdates>;
export type AudienceT = z.infer<typeof Audience>;
export type AudienceInputT = z.input<typeof AudienceInput>;
export type UpdateTemplatesT = z.infer<typeof UpdateTemplates>;
export type UpdateCadenceSettingsT = z.input<typeof UpdateCadenceSettings>;

export const composer = (ticketId: string) => request<ComposerT>('GET', `/tickets/${ticketId}/update-composer`);
export const send = (ticketId: string, body: SendUpdateT) => request<SentUpdateT>('POST', `/tickets/${ticketId}/stakeholder-updates`, body);
export type EditPublicUpdateT = z.input<typeof EditPublicUpdate>;
export type PublicUpdateT = z.infer<typeof PublicUpdate>;
/** Correct a public update already sent, against the revision read (412 naming who corrected it since). */
export const editPublicUpdate = (ticketId: string, updateId: number, body: EditPublicUpdateT) =>
  request<PublicUpdateT>('PUT', `/tickets/${ticketId}/public-updates/${updateId}`, body);
export const due = () => request<DueUpdatesT>('GET', '/stakeholder-updates/due');
export const templates = () => request<UpdateTemplatesT>('GET', '/update-templates');
export const saveTemplates = (body: UpdateTemplatesT) => request<UpdateTemplatesT>('PUT', '/update-templates', body);
export const cadence = () => request<UpdateCadenceSettingsT>('GET', '/update-cadence');
export const saveCadence = (body: UpdateCadenceSettingsT) => request<UpdateCadenceSettingsT>('PUT', '/update-cadence', body);
export const lists = () => request<{ items: AudienceT[] }>('GET', '/stakeholder-lists');
export const createList = (body: AudienceInputT) => request<AudienceT>('POST', '/stakeholder-lists', body);
export const saveList = (id: string, version: number, body: AudienceInputT) =>
  request<AudienceT>('PUT', `/stakeholder-lists/${id}`, body, { ifMatch: version });
export const deleteList = (id: string) => request<void>('DELETE', `/stakeholder-lists/${id}`);
