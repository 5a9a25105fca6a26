import { isReassignment, type Ownership } from './reassignment.js';
import { OPEN_STATES, type TicketState } from './vocabulary.js';

/**
 * The counters a ticket keeps for KPIs, derived from one change (before, after, its events) so
 * every writer — a person, e-mail, an alert, a timer, an import — counts the same way.
 */
export interface TicketCounts {
  reassignmentCount: number;
  reopenCount: number;
  staffReplyCount: number;
}

export interface CountedTicket extends Ownership, TicketCounts {
  state: TicketState;
}

/** A move from resolved or closed back into work (ServiceNow's `reopen_count`). An import may reopen after closure. */
export function isReopen(before: TicketState, after: TicketState): boolean {
  return (before === 'resolved' || before === 'closed') && OPEN_STATES.includes(after);
}

/** The events of a change the counters look at: the type, and whether the requester sees it. */
export interface CountedEvent {
  type: string;
  internal: boolean;
}

/**
 * The counters after a change: each one only ever grows, by at most one per change (one change of
 * owner is one reassignment, however many fields moved), except staff replies, one per public
 * comment a staff member wrote. Returns only the counters that changed.
 */
export function countsAfter(
  before: CountedTicket,
  after: Ownership & { state: TicketState },
  events: readonly CountedEvent[],
  byStaff: boolean,
): Partial<TicketCounts> {
  const changed: Partial<TicketCounts> = {};
  if (isReassignment(before, after)) changed.reassignmentCount = before.reassignmentCount + 1;
  if (isReopen(before.state, after.state)) changed.reopenCount = before.reopenCount + 1;
  const replies = byStaff ? events.filter((e) => e.type === 'comment' && !e.internal).length : 0;
  if (replies > 0) changed.staffReplyCount = before.staffReplyCount + replies;
  return changed;
}
