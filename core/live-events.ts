import { type Actor, canSeeTicket, isStaff } from './permissions.js';

/**
 * What the database announces when a ticket's timeline grows (see migration 0012): enough for
 * the server to decide who may hear of it, and for a browser to know what to re-read.
 */
export interface TicketAnnouncement {
  topic: 'ticket';
  ticketId: string;
  number: string;
  /** The timeline event; null for news that writes none (a requester's rating, `announceRated`). */
  eventId: number | null;
  type: string;
  internal: boolean;
  requesterId: string;
  reportedById: string;
  teamId: string | null;
  assigneeId: string | null;
}

export function parseAnnouncement(payload: string): TicketAnnouncement | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.topic !== 'ticket' || typeof v.ticketId !== 'string' || typeof v.internal !== 'boolean') return null;
  if (typeof v.requesterId !== 'string' || typeof v.reportedById !== 'string') return null;
  return v as unknown as TicketAnnouncement;
}

/** A person's role or standing changed (see auth.repository's announcePersonChanged): their streams must be re-checked. */
export interface PersonAnnouncement {
  topic: 'person';
  userId: string;
}

export function parsePersonAnnouncement(payload: string): PersonAnnouncement | null {
  try {
    const v = JSON.parse(payload) as Record<string, unknown> | null;
    return v && v.topic === 'person' && typeof v.userId === 'string' ? { topic: 'person', userId: v.userId } : null;
  } catch {
    return null;
  }
}

/** A storm proposal appeared or changed (issue 14): the desk re-reads its proposals. */
export interface StormAnnouncement {
  topic: 'storm';
  proposalId: string;
}

export function parseStormAnnouncement(payload: string): StormAnnouncement | null {
  try {
    const v = JSON.parse(payload) as Record<string, unknown> | null;
    return v && v.topic === 'storm' && typeof v.proposalId === 'string' ? { topic: 'storm', proposalId: v.proposalId } : null;
  } catch {
    return null;
  }
}

/**
 * Many changes were written without their own announcements (an import's batches, migration
 * 0070): every browser re-reads what it shows, once. It names no ticket, so anyone may hear it.
 */
export interface RefreshAnnouncement {
  topic: 'refresh';
  reason: 'import';
}

export function parseRefreshAnnouncement(payload: string): RefreshAnnouncement | null {
  try {
    const v = JSON.parse(payload) as Record<string, unknown> | null;
    return v && v.topic === 'refresh' && v.reason === 'import' ? { topic: 'refresh', reason: 'import' } : null;
  } catch {
    return null;
  }
}

/**
 * A table the public status page is read from changed, other than through a ticket's timeline
 * (migration 0080): services, their dependencies, manual statuses, settings, maintenance. Only
 * the server hears it (each process recomputes its page); no browser is told.
 */
export interface StatusPageAnnouncement {
  topic: 'status-page';
  table: string;
}

export function parseStatusPageAnnouncement(payload: string): StatusPageAnnouncement | null {
  try {
    const v = JSON.parse(payload) as Record<string, unknown> | null;
    return v && v.topic === 'status-page' && typeof v.table === 'string' ? { topic: 'status-page', table: v.table } : null;
  } catch {
    return null;
  }
}

/** Proposals are the desk's business: staff hear of them, requesters never. */
export function mayHearStorm(actor: Actor): boolean {
  return isStaff(actor);
}

/**
 * Staff hear of every change; a requester hears only of public changes to tickets they are the
 * requester of — the same rule as reading the ticket and its timeline (core/permissions.ts).
 */
export function mayHear(actor: Actor, event: TicketAnnouncement): boolean {
  if (isStaff(actor)) return true;
  if (event.internal) return false;
  return canSeeTicket(actor, event);
}

/** What a browser is told: which ticket changed and how, never the change's content. */
export function forBrowser(event: TicketAnnouncement) {
  return {
    ticketId: event.ticketId,
    number: event.number,
    eventId: event.eventId,
    type: event.type,
    teamId: event.teamId,
    assigneeId: event.assigneeId,
  };
}
