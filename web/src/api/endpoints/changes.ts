import type { z } from 'zod';
import type { Calendar, ChangeDetail, CreateChange, DecideChange, UpdateChange } from '../../../../core/contracts/changes';
import { request } from '../client';
import type { TicketT } from '../types';

// Changes: plan, approval, window, calendar (issue 17).

export type ChangeDetailT = z.infer<typeof ChangeDetail>;
export type CalendarT = z.infer<typeof Calendar>;
/** The form sends instants as ISO text; the contract turns them into dates on the server. */
export type CreateChangeIn = Omit<z.input<typeof CreateChange>, 'plannedStart' | 'plannedEnd'> & {
  plannedStart: string;
  plannedEnd: string;
};

export const create = (body: CreateChangeIn, idempotencyKey: string) => request<TicketT>('POST', '/changes', body, { idempotencyKey });
export const calendar = (from: string, to: string) => request<CalendarT>('GET', `/changes?${new URLSearchParams({ from, to })}`);
export const detail = (id: string) => request<ChangeDetailT>('GET', `/changes/${id}`);
export const act = (id: string, version: number, action: 'submit' | 'start') =>
  request<TicketT>('POST', `/changes/${id}/${action}`, undefined, { ifMatch: version });
export const complete = (id: string, version: number, body: { outcome: 'succeeded' | 'failed'; notes: string }) =>
  request<TicketT>('POST', `/changes/${id}/complete`, body, { ifMatch: version });
export const cancel = (id: string, version: number, reason: string) =>
  request<TicketT>('POST', `/changes/${id}/cancel`, { reason }, { ifMatch: version });
export const decide = (id: string, body: z.input<typeof DecideChange>) => request<TicketT>('POST', `/changes/${id}/decision`, body);
export const announce = (id: string) => request<{ maintenanceId: string }>('POST', `/changes/${id}/maintenance`);
/** A draft's edit: only the fields that changed; instants as ISO text. */
export type UpdateChangeIn = Omit<z.input<typeof UpdateChange>, 'plannedStart' | 'plannedEnd'> & {
  plannedStart?: string;
  plannedEnd?: string;
};
export const update = (id: string, version: number, body: UpdateChangeIn) =>
  request<TicketT>('PATCH', `/changes/${id}`, body, { ifMatch: version });
export const link = (id: string, version: number, ticketIds: string[]) =>
  request<{ linked: string[]; changeVersion: number }>('POST', `/changes/${id}/links`, { ticketIds }, { ifMatch: version });
