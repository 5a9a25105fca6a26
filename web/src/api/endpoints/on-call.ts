import { request } from '../client';
import type {
  CreateEscalationPolicyIn,
  CreateOverrideIn,
  CreatePageIn,
  CreateScheduleIn,
  EscalationPolicyT,
  InAppNotificationT,
  ListT,
  MarkReadIn,
  OnCallT,
  OverrideT,
  PageDetailT,
  PageOfTicketT,
  RequesterP1PagingIn,
  RequesterP1PagingT,
  ScheduleT,
  ShiftsT,
  UpdateEscalationPolicyIn,
  UpdateScheduleIn,
} from '../types';
import { toQuery } from './query';

/** Schedules, escalation policies, pages and the in-app notifications that announce them. */
export const onCallApi = {
  schedules: () => request<ListT<ScheduleT>>('GET', '/schedules'),
  createSchedule: (body: CreateScheduleIn) => request<ScheduleT>('POST', '/schedules', body),
  updateSchedule: (id: string, body: UpdateScheduleIn) => request<ScheduleT>('PATCH', `/schedules/${id}`, body),
  onCallNow: (scheduleId: string) => request<OnCallT>('GET', `/schedules/${scheduleId}/on-call`),
  shifts: (scheduleId: string, from: Date, to: Date) =>
    request<ShiftsT>('GET', `/schedules/${scheduleId}/shifts${toQuery({ from: from.toISOString(), to: to.toISOString() })}`),
  overrides: (scheduleId: string) => request<ListT<OverrideT>>('GET', `/schedules/${scheduleId}/overrides`),
  createOverride: (scheduleId: string, body: CreateOverrideIn) => request<OverrideT>('POST', `/schedules/${scheduleId}/overrides`, body),
  removeOverride: (scheduleId: string, id: string) => request<null>('DELETE', `/schedules/${scheduleId}/overrides/${id}`),
  policies: () => request<ListT<EscalationPolicyT>>('GET', '/escalation-policies'),
  createPolicy: (body: CreateEscalationPolicyIn) => request<EscalationPolicyT>('POST', '/escalation-policies', body),
  updatePolicy: (id: string, body: UpdateEscalationPolicyIn) => request<EscalationPolicyT>('PATCH', `/escalation-policies/${id}`, body),
  requesterP1Paging: () => request<RequesterP1PagingT>('GET', '/settings/requester-p1-paging'),
  setRequesterP1Paging: (body: RequesterP1PagingIn) => request<RequesterP1PagingT>('PUT', '/settings/requester-p1-paging', body),
  pagesOfTicket: (ticketId: string) => request<ListT<PageOfTicketT>>('GET', `/tickets/${ticketId}/pages`),
  page: (ticketId: string, body: CreatePageIn) => request<PageOfTicketT>('POST', `/tickets/${ticketId}/pages`, body),
  pageDetail: (pageId: string) => request<PageDetailT>('GET', `/pages/${pageId}`),
  acknowledge: (pageId: string) => request<PageOfTicketT>('POST', `/pages/${pageId}/acknowledge`),
  notifications: () => request<{ items: InAppNotificationT[]; unread: number }>('GET', '/me/notifications?limit=20'),
  markRead: (body: MarkReadIn) => request<{ marked: number; unread: number }>('POST', '/me/notifications/read', body),
};
