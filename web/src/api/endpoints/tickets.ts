import { request } from '../client';
import type {
  AddCommentIn,
  AlertT,
  AttachmentT,
  CreateTicketIn,
  EscalateIn,
  FollowedTicketT,
  InboundEmailT,
  KnownIssueT,
  KnownIssueViewT,
  ListT,
  PageT,
  PromoteIn,
  SlaTargetT,
  TicketT,
  TimelineEventT,
  TransitionIn,
  UpdateTicketIn,
} from '../types';
import { toQuery } from './query';

// Tickets and what hangs off one. Writes to a ticket take the version the person was looking at
// (sent as If-Match), so a change made meanwhile by someone else is a 412, not an overwrite.

export const list = (params: Record<string, string | undefined>, signal?: AbortSignal) =>
  request<PageT<TicketT>>('GET', `/tickets${toQuery(params)}`, undefined, { signal });
export const get = (id: string) => request<TicketT>('GET', `/tickets/${id}`);
/** One key per ticket being logged: a double click or a retry makes one ticket. */
export const create = (body: CreateTicketIn, idempotencyKey: string) => request<TicketT>('POST', '/tickets', body, { idempotencyKey });
export const update = (id: string, version: number, body: UpdateTicketIn) =>
  request<TicketT>('PATCH', `/tickets/${id}`, body, { ifMatch: version });
export const transition = (id: string, version: number, body: TransitionIn) =>
  request<TicketT>('POST', `/tickets/${id}/transitions`, body, { ifMatch: version });
export const escalate = (id: string, version: number, body: EscalateIn) =>
  request<TicketT>('POST', `/tickets/${id}/escalations`, body, { ifMatch: version });
export const confirmPriority = (id: string, version: number) =>
  request<TicketT>('POST', `/tickets/${id}/confirm-priority`, undefined, { ifMatch: version });
export const comment = (id: string, body: AddCommentIn) => request<TimelineEventT>('POST', `/tickets/${id}/comments`, body);
export const timeline = (id: string) => request<PageT<TimelineEventT>>('GET', `/tickets/${id}/timeline?limit=500`);
export const promote = (id: string, body: PromoteIn) => request<TicketT>('POST', `/tickets/${id}/promote`, body);
export const alerts = (id: string) => request<ListT<AlertT>>('GET', `/tickets/${id}/alerts`);
export const sla = (id: string) => request<ListT<SlaTargetT>>('GET', `/tickets/${id}/sla`);
export const emails = (id: string) => request<ListT<InboundEmailT>>('GET', `/tickets/${id}/emails`);
export const attachments = (id: string) => request<ListT<AttachmentT>>('GET', `/tickets/${id}/attachments`);
export const follow = (id: string, follow: boolean) => request<null>(follow ? 'PUT' : 'DELETE', `/tickets/${id}/follow`);
export const followed = () => request<ListT<FollowedTicketT>>('GET', '/me/followed-tickets');
export const knownIssues = (serviceId?: string) => request<ListT<KnownIssueT>>('GET', `/known-issues${toQuery({ serviceId })}`);
export const knownIssue = (id: string) => request<KnownIssueViewT>('GET', `/known-issues/${id}`);
/** Fair assignment (issue 18): a member of the ticket's team by its strategy; `assigneeId` null and the reason when nobody could take it. */
export const assignFairly = (id: string, version: number, strategy?: 'round_robin' | 'least_loaded') =>
  request<{ ticket: TicketT; assigneeId: string | null; reason: string }>(
    'POST',
    `/tickets/${id}/assign-fairly`,
    strategy ? { strategy } : {},
    {
      ifMatch: version,
    },
  );
