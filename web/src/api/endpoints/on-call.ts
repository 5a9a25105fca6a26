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

// Schedules, escalation policies, pages and the in-app notifications that announce them.

export const schedules = () => request<ListT<ScheduleT>>('GET', '/schedules');
export const createSchedule = (body: CreateScheduleIn) => request<ScheduleT>('POST', '/schedules', body);
export const updateSchedule = (id: string, body: UpdateScheduleIn) => request<ScheduleT>('PATCH', `/schedules/${id}`, body);
export const onCallNow = (scheduleId: string) => request<OnCallT>('GET', `/schedules/${scheduleId}/on-call`);
export const shifts = (scheduleId: string, from: Date, to: Date) =>
  request<ShiftsT>('GET', `/schedules/${scheduleId}/shifts${toQuery({ from: from.toISOString(), to: to.toISOString() })}`);
export const overrides = (scheduleId: string) => request<ListT<OverrideT>>('GET', `/schedules/${scheduleId}/overrides`);
export const createOverride = (scheduleId: string, body: CreateOverrideIn) =>
  request<OverrideT>('POST', `/schedules/${scheduleId}/overrides`, body);
export const removeOverride = (scheduleId: string, id: string) => request<null>('DELETE', `/schedules/${scheduleId}/overrides/${id}`);
export const policies = () => request<ListT<EscalationPolicyT>>('GET', '/escalation-policies');
export const createPolicy = (body: CreateEscalationPolicyIn) => request<EscalationPolicyT>('POST', '/escalation-policies', body);
export const updatePolicy = (id: string, body: UpdateEscalationPolicyIn) =>
  request<EscalationPolicyT>('PATCH', `/escalation-policies/${id}`, body);
export const requesterP1Paging = () => request<RequesterP1PagingT>('GET', '/settings/requester-p1-paging');
export const setRequesterP1Paging = (body: RequesterP1PagingIn) =>
  request<RequesterP1PagingT>('PUT', '/settings/requester-p1-paging', body);
export const pagesOfTicket = (ticketId: string) => request<ListT<PageOfTicketT>>('GET', `/tickets/${ticketId}/pages`);
export const page = (ticketId: string, body: CreatePageIn) => request<PageOfTicketT>('POST', `/tickets/${ticketId}/pages`, body);
export const pageDetail = (pageId: string) => request<PageDetailT>('GET', `/pages/${pageId}`);
export const acknowledge = (pageId: string) => request<PageOfTicketT>('POST', `/pages/${pageId}/acknowledge`);
export const notifications = () => request<{ items: InAppNotificationT[]; unread: number }>('GET', '/me/notifications?limit=20');
export const markRead = (body: MarkReadIn) => request<{ marked: number; unread: number }>('POST', '/me/notifications/read', body);
