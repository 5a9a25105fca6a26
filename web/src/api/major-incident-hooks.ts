import { useQuery } from '@tanstack/react-query';
import * as api from './endpoints/incident-response';
import { keys } from './keys';

// Reads of a major incident's response. Each is under the ticket's timeline key, so the live
// stream's "ticket changed" (every response change is a timeline event) reads them again.

export function useRoster() {
  return useQuery({ queryKey: keys.incidentRoles, queryFn: api.roster });
}

export function useRoleHolders(ticketId: string) {
  return useQuery({ queryKey: keys.ticket.responsePart(ticketId, 'roles'), queryFn: () => api.holders(ticketId) });
}

export function useMyIncidentRoles() {
  return useQuery({ queryKey: keys.myIncidentRoles, queryFn: api.myRoles });
}

export function useInvestigations(ticketId: string) {
  return useQuery({ queryKey: keys.ticket.responsePart(ticketId, 'investigations'), queryFn: () => api.investigations(ticketId) });
}

export function useIncidentTasks(ticketId: string) {
  return useQuery({ queryKey: keys.ticket.responsePart(ticketId, 'tasks'), queryFn: () => api.tasks(ticketId) });
}

export function useMeetings(ticketId: string) {
  return useQuery({ queryKey: keys.ticket.responsePart(ticketId, 'meetings'), queryFn: () => api.meetings(ticketId) });
}
