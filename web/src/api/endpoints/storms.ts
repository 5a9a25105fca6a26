import { request } from '../client';
import type { PageT, RateTicketIn, StormPolicyListT, StormProposalT, StormSettingsT, TicketSatisfactionT } from '../types';

// Storm proposals (the desk) and satisfaction ratings (the portal and the desk ticket).

export const openProposals = () => request<PageT<StormProposalT>>('GET', '/storm-proposals?status=open&limit=20');
/** Decided against the version shown, so two people cannot decide the same proposal twice. */
export const declareProposal = (p: { id: string; version: number }) =>
  request<{ proposal: StormProposalT; incidentId: string }>('POST', `/storm-proposals/${p.id}/declare`, undefined, { ifMatch: p.version });
export const dismissProposal = (p: { id: string; version: number; reason: string }) =>
  request<StormProposalT>('POST', `/storm-proposals/${p.id}/dismiss`, { reason: p.reason }, { ifMatch: p.version });
export const satisfaction = (ticketId: string) => request<TicketSatisfactionT>('GET', `/tickets/${ticketId}/satisfaction`);
export const rate = (p: { ticketId: string; body: RateTicketIn }) => request<unknown>('PUT', `/tickets/${p.ticketId}/satisfaction`, p.body);
export const settings = () => request<StormSettingsT>('GET', '/settings/storm-detection');
export const setSettings = (body: StormSettingsT) => request<StormSettingsT>('PUT', '/settings/storm-detection', body);
export const policies = () => request<StormPolicyListT>('GET', '/settings/storm-policies');
export const setPolicy = (p: { serviceId: string; declareByPolicy: boolean }) =>
  request<unknown>('PUT', `/services/${p.serviceId}/storm-policy`, { declareByPolicy: p.declareByPolicy });
