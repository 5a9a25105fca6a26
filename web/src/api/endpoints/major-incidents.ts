import { request } from '../client';
import type {
  ChangeScopeIn,
  IncidentOwnershipT,
  LinkChildrenResultT,
  MeTooResultT,
  TicketByNumberT,
  TicketLinksT,
  TicketT,
} from '../types';

// Major incidents: parent and child, merge, Me too, scope and who owns incidents. Writes to a
// ticket carry the version the person saw (If-Match), as every ticket write does.

export const links = (id: string) => request<TicketLinksT>('GET', `/tickets/${id}/links`);
export const byNumber = (number: string) => request<TicketByNumberT>('GET', `/ticket-numbers/${encodeURIComponent(number.trim())}`);
export const linkChildren = (parentId: string, ticketIds: string[], parentVersion?: number) =>
  request<LinkChildrenResultT>(
    'POST',
    `/tickets/${parentId}/children`,
    { ticketIds },
    parentVersion !== undefined ? { ifMatch: parentVersion } : {},
  );
export const unlinkChild = (parentId: string, childId: string, parentVersion: number) =>
  request<TicketT>('DELETE', `/tickets/${parentId}/children/${childId}`, undefined, { ifMatch: parentVersion });
export const merge = (id: string, version: number, intoId: string) =>
  request<TicketT>('POST', `/tickets/${id}/merge`, { intoId }, { ifMatch: version });
export const changeScope = (id: string, version: number, body: ChangeScopeIn) =>
  request<TicketT>('POST', `/tickets/${id}/scope`, body, { ifMatch: version });
export const declareMajor = (id: string, version: number, reason: string) =>
  request<TicketT>('POST', `/tickets/${id}/declare-major`, { reason }, { ifMatch: version });
export const meToo = (id: string) => request<MeTooResultT>('PUT', `/tickets/${id}/affected`);
export const ownership = () => request<IncidentOwnershipT>('GET', '/settings/incident-ownership');
export const setOwnership = (body: IncidentOwnershipT) => request<IncidentOwnershipT>('PUT', '/settings/incident-ownership', body);
