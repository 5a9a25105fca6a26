import { request } from '../client';
import type {
  AssignRoleIn,
  CreateIncidentRoleIn,
  CreateIncidentTaskIn,
  CreateInvestigationIn,
  CreateMeetingIn,
  IncidentRoleT,
  IncidentTaskT,
  InvestigationT,
  ListT,
  MeetingT,
  MyIncidentRoleT,
  ReleaseRoleIn,
  RoleHoldingT,
  TicketT,
  UpdateIncidentRoleIn,
  UpdateIncidentTaskIn,
  UpdateInvestigationIn,
  UpdateMeetingIn,
} from '../types';

// A major incident's response: the roster (admin), role holders, investigations, tasks, meetings.
// Creates take an idempotency key (a double click makes one record); edits the version read.

export const roster = () => request<ListT<IncidentRoleT>>('GET', '/incident-roles');
export const createRole = (body: CreateIncidentRoleIn) => request<IncidentRoleT>('POST', '/incident-roles', body);
export const updateRole = (id: string, version: number, body: UpdateIncidentRoleIn) =>
  request<IncidentRoleT>('PATCH', `/incident-roles/${id}`, body, { ifMatch: version });

export const holders = (ticketId: string) => request<ListT<RoleHoldingT>>('GET', `/tickets/${ticketId}/roles`);
export const assignRole = (ticketId: string, body: AssignRoleIn) =>
  request<ListT<RoleHoldingT>>('POST', `/tickets/${ticketId}/roles`, body);
export const releaseRole = (ticketId: string, body: ReleaseRoleIn) =>
  request<ListT<RoleHoldingT>>('POST', `/tickets/${ticketId}/roles/release`, body);
export const myRoles = () => request<ListT<MyIncidentRoleT>>('GET', '/me/incident-roles');

export const investigations = (ticketId: string) => request<ListT<InvestigationT>>('GET', `/tickets/${ticketId}/investigations`);
export const openInvestigation = (ticketId: string, body: CreateInvestigationIn, idempotencyKey: string) =>
  request<InvestigationT>('POST', `/tickets/${ticketId}/investigations`, body, { idempotencyKey });
export const updateInvestigation = (ticketId: string, id: string, version: number, body: UpdateInvestigationIn) =>
  request<InvestigationT>('PATCH', `/tickets/${ticketId}/investigations/${id}`, body, { ifMatch: version });
export const addFinding = (ticketId: string, id: string, body: string, idempotencyKey: string) =>
  request<InvestigationT>('POST', `/tickets/${ticketId}/investigations/${id}/findings`, { body }, { idempotencyKey });
export const setRootCause = (ticketId: string, version: number, rootCause: string) =>
  request<TicketT>('PUT', `/tickets/${ticketId}/root-cause`, { rootCause }, { ifMatch: version });

export const tasks = (ticketId: string) => request<ListT<IncidentTaskT>>('GET', `/tickets/${ticketId}/tasks`);
export const addTask = (ticketId: string, body: CreateIncidentTaskIn, idempotencyKey: string) =>
  request<IncidentTaskT>('POST', `/tickets/${ticketId}/tasks`, body, { idempotencyKey });
export const updateTask = (ticketId: string, id: string, version: number, body: UpdateIncidentTaskIn) =>
  request<IncidentTaskT>('PATCH', `/tickets/${ticketId}/tasks/${id}`, body, { ifMatch: version });

export const meetings = (ticketId: string) => request<ListT<MeetingT>>('GET', `/tickets/${ticketId}/meetings`);
export const scheduleMeeting = (ticketId: string, body: CreateMeetingIn, idempotencyKey: string) =>
  request<MeetingT>('POST', `/tickets/${ticketId}/meetings`, body, { idempotencyKey });
export const updateMeeting = (ticketId: string, id: string, version: number, body: UpdateMeetingIn) =>
  request<MeetingT>('PATCH', `/tickets/${ticketId}/meetings/${id}`, body, { ifMatch: version });
export const moveMeeting = (ticketId: string, id: string, action: 'start' | 'end') =>
  request<MeetingT>('POST', `/tickets/${ticketId}/meetings/${id}/${action}`);
