import type { TicketKind } from './vocabulary.js';

/**
 * A major incident is an incident the desk (or a storm policy) declared major, or one made
 * global: it gets a response roster, investigations, tasks, meetings and a completion checklist.
 */
export function isMajorIncident(ticket: { kind: TicketKind; majorSince: Date | string | null }): boolean {
  return ticket.kind === 'incident' && ticket.majorSince !== null;
}
