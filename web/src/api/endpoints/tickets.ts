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

/**
 * Tickets and what hangs off one. Writes to a ticket take the version the person was looking
 * at (sent as If-Match), so a change made meanwhile by someone else is a 412, not an overwrite.
 */
export const ticketApi = {
  list: (params: Record<string, string | undefined>, signal?: AbortSignal) =>
    request<PageT<TicketT>>('GET', `/tickets${toQuery(params)}`, undefined, { signal }),
  get: (id: string) => request<TicketT>('GET', `/tickets/${id}`),
  /** One key per ticket being logged: a double click or a retry makes one ticket. */
  create: (body: CreateTicketIn, idempotencyKey: string) => request<TicketT>('POST', '/tickets', body, { idempotencyKey }),
  update: (id: string, version: number, body: UpdateTicketIn) => request<TicketT>('PATCH', `/tickets/${id}`, body, { ifMatch: version }),
  transition: (id: string, version: number, body: TransitionIn) =>
    request<TicketT>('POST', `/tickets/${id}/transitions`, body, { ifMatch: version }),
  escalate: (id: string, version: number, body: EscalateIn) =>
    request<TicketT>('POST', `/tickets/${id}/escalations`, body, { ifMatch: version }),
  confirmPriority: (id: string, version: number) =>
    request<TicketT>('POST', `/tickets/${id}/confirm-priority`, undefined, { ifMatch: version }),
  comment: (id: string, body: AddCommentIn) => request<TimelineEventT>('POST', `/tickets/${id}/comments`, body),
  timeline: (id: string) => request<PageT<TimelineEventT>>('GET', `/tickets/${id}/timeline?limit=500`),
  promote: (id: string, body: PromoteIn) => request<TicketT>('POST', `/tickets/${id}/promote`, body),
  alerts: (id: string) => request<ListT<AlertT>>('GET', `/tickets/${id}/alerts`),
  sla: (id: string) => request<ListT<SlaTargetT>>('GET', `/tickets/${id}/sla`),
  emails: (id: string) => request<ListT<InboundEmailT>>('GET', `/tickets/${id}/emails`),
  attachments: (id: string) => request<ListT<AttachmentT>>('GET', `/tickets/${id}/attachments`),
  follow: (id: string, follow: boolean) => request<null>(follow ? 'PUT' : 'DELETE', `/tickets/${id}/follow`),
  followed: () => request<ListT<FollowedTicketT>>('GET', '/me/followed-tickets'),
  knownIssues: (serviceId?: string) => request<ListT<KnownIssueT>>('GET', `/known-issues${toQuery({ serviceId })}`),
  knownIssue: (id: string) => request<KnownIssueViewT>('GET', `/known-issues/${id}`),
};
