import type { z } from 'zod';
import type { CannedReply, CannedReplyPreview, SaveCannedReply } from '../../../../core/contracts/canned-replies.js';
import type { Ticket, TimelineEvent } from '../../../../core/contracts/tickets.js';
import { request } from '../client';
import type { ListT } from '../types';

// Canned replies (issue 18 item 4): shared ones kept by managers, personal ones by their owner.

export type CannedReplyT = z.infer<typeof CannedReply>;
export type SaveCannedReplyIn = z.input<typeof SaveCannedReply>;
export type CannedReplyPreviewT = z.infer<typeof CannedReplyPreview>;

export const cannedRepliesKey = ['canned-replies'] as const;

export const list = () => request<ListT<CannedReplyT>>('GET', '/canned-replies');
export const create = (body: SaveCannedReplyIn) => request<CannedReplyT>('POST', '/canned-replies', body);
export const update = (id: string, version: number, body: SaveCannedReplyIn) =>
  request<CannedReplyT>('PUT', `/canned-replies/${id}`, body, { ifMatch: version });
export const remove = (id: string, version: number) => request<null>('DELETE', `/canned-replies/${id}`, undefined, { ifMatch: version });
export const preview = (ticketId: string, replyId: string) =>
  request<CannedReplyPreviewT>('POST', `/tickets/${ticketId}/canned-replies/${replyId}/preview`);
/** Sends the (possibly edited) text and applies the reply's field changes, against the ticket version shown. */
export const apply = (ticketId: string, version: number, replyId: string, body: string) =>
  request<{ ticket: z.infer<typeof Ticket>; comment: z.infer<typeof TimelineEvent> }>(
    'POST',
    `/tickets/${ticketId}/canned-replies/${replyId}/apply`,
    { body },
    { ifMatch: version },
  );
