import { type Actor, isStaff } from '../../../core/permissions.js';
import { isReassignment, ownerAfter } from '../../../core/reassignment.js';
import { type FollowUp, followUpsOf, type SilentReason, type TicketFacts } from '../../../core/ticket-follow-ups.js';
import type { Tx } from '../db/client.js';
import { insertTicket, type NewTicketRow, saveTicket, type TicketRow } from '../repositories/tickets.repository.js';
import {
  appendTimelineEvents,
  appendTimelineEventsQuietly,
  type NewTimelineEventRow,
  type TimelineEventRow,
} from '../repositories/timeline.repository.js';
import { scheduleAutoClose } from './auto-close.service.js';
import { autoPageIfCritical, corroborateHeldPages, pageAfterConfirmation } from './critical-paging.service.js';
import { enqueueNotifications } from './notifications.service.js';
import { endPagesOfTicket } from './paging.service.js';
import { scheduleSlaTimers } from './sla.service.js';

/** An event of the change: the pipeline adds the ticket, the actor and the instant. */
export type ChangeEvent = Omit<NewTimelineEventRow, 'ticketId' | 'actorId' | 'at' | 'internal'> & { internal?: boolean };

interface ChangeCommon {
  /** Who made the change; `null` is Firebreak itself (a timer, a job). */
  actor: Actor | null;
  at: Date;
  events: ChangeEvent[];
  /** The writer promises people and webhooks hear of this another way, or must not at all. */
  silent?: SilentReason;
}

export type TicketChange =
  | (ChangeCommon & { before: null; row: Omit<NewTicketRow, 'updatedAt' | 'updatedById'> })
  | (ChangeCommon & {
      /** The ticket as the writer locked it in this transaction. */
      before: TicketRow;
      /** The fields that change; the pipeline adds the version, updatedAt and updatedById. */
      patch: Partial<NewTicketRow>;
      /** `false`: a note that changes no field (an alert repeat) — no new version, the row is not written. */
      bumpsVersion?: boolean;
    });

/**
 * The one path for every ticket change, inside the writer's transaction: writes the row (a new
 * ticket, or the patch with a new version, updatedAt and updatedById), appends the timeline
 * events, then carries out every follow-up `core/ticket-follow-ups.ts` derives from (before,
 * after, events). Writers decide their domain change (state machine, fields); what follows is
 * decided here and nowhere else. Returns the ticket as committed and the events as stored.
 */
export async function applyTicketChange(tx: Tx, change: TicketChange): Promise<{ ticket: TicketRow; events: TimelineEventRow[] }> {
  const { actor, at } = change;
  const actorId = actor?.id ?? null;
  let ticket: TicketRow;
  if (change.before === null) {
    ticket = await insertTicket(tx, { ...change.row, updatedAt: at, updatedById: actorId });
  } else if (change.bumpsVersion === false) {
    // A field changed without a new version would slip past every If-Match: refuse it loudly.
    if (Object.keys(change.patch).length > 0) throw new Error('a ticket change that writes fields must bump the version');
    ticket = change.before;
  } else {
    // Counted here, whichever writer moved the ticket (an edit, an escalation, taking it over when
    // starting work), so the KPI cannot depend on the path: ServiceNow's reassignment_count.
    const reassigned = isReassignment(change.before, ownerAfter(change.before, change.patch));
    const patch = reassigned ? { ...change.patch, reassignmentCount: change.before.reassignmentCount + 1 } : change.patch;
    ticket = await saveTicket(tx, change.before.id, { ...patch, updatedAt: at, updatedById: actorId });
  }
  const events = await appendTimelineEvents(
    tx,
    change.events.map((e) => ({ ...e, ticketId: ticket.id, actorId, at, internal: e.internal ?? false })),
  );
  const followUps = followUpsOf({
    before: change.before && factsOf(change.before),
    after: factsOf(ticket),
    events,
    by: actor === null ? null : isStaff(actor) ? 'staff' : 'requester',
    silent: change.silent,
  });
  for (const followUp of followUps) await carryOut(tx, followUp, change, ticket, events);
  return { ticket, events };
}

async function carryOut(tx: Tx, followUp: FollowUp, change: TicketChange, ticket: TicketRow, events: TimelineEventRow[]): Promise<void> {
  const { at, actor } = change;
  switch (followUp.kind) {
    case 'notify':
      return enqueueNotifications(tx, ticket, events, at);
    case 'schedule_sla_timers':
      // A new ticket's state history is the one entry just written: no need to read it back.
      return scheduleSlaTimers(tx, ticket, at, followUp.created ? [{ at, state: ticket.state, onHoldReason: null }] : undefined);
    case 'schedule_auto_close':
      return scheduleAutoClose(tx, ticket.id, at);
    case 'end_pages':
      return endPagesOfTicket(tx, ticket, actor?.id ?? null, at);
    case 'auto_page':
      return autoPageIfCritical(tx, ticket, followUp.previousPriority, at, followUp.raisedBy);
    case 'page_after_confirmation':
      // The facts say a person settled it, so the actor is there.
      if (actor) await pageAfterConfirmation(tx, ticket, actor, at);
      return;
    case 'corroborate_held_pages':
      return corroborateHeldPages(tx, ticket, at);
  }
}

function factsOf(ticket: TicketRow): TicketFacts {
  return {
    kind: ticket.kind,
    state: ticket.state,
    priority: ticket.priority,
    channel: ticket.channel,
    slaPolicyId: ticket.slaPolicyId,
    onHoldReason: ticket.onHoldReason,
    firstResponseAt: ticket.firstResponseAt,
    pageHeldSince: ticket.pageHeldSince,
  };
}

/**
 * Notes on many tickets in one statement: events that change no field (no new version) and that
 * the writer keeps silent — so, by the table, they have no follow-up at all. An alert storm
 * writes one note per ticket per batch through here instead of a statement per ticket.
 */
export async function appendSilentNotes(
  tx: Tx,
  notes: { actor: Actor | null; at: Date; silent: SilentReason; notes: readonly { ticketId: string; event: ChangeEvent }[] },
): Promise<void> {
  const actorId = notes.actor?.id ?? null;
  await appendTimelineEventsQuietly(
    tx,
    notes.notes.map(({ ticketId, event }) => ({ ...event, ticketId, actorId, at: notes.at, internal: event.internal ?? false })),
  );
}
