import { AppError } from '../../../core/errors.js';
import { type Actor, canSeeInternal, isStaff } from '../../../core/permissions.js';
import { saveTicket } from '../repositories/tickets.repository.js';
import { appendTimelineEvents, type TimelineEventRow } from '../repositories/timeline.repository.js';
import type { ServiceDeps } from './deps.js';
import { enqueueNotifications } from './notifications.service.js';
import { scheduleSlaTimers } from './sla.service.js';
import { lockTicketForWrite, timelineEvent } from './ticket-write.helpers.js';

/**
 * Adds a public comment (the requester sees it) or an internal work note (staff only).
 * The first public answer from staff is the ticket's first response.
 */
export async function addComment(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: { body: string; visibility: 'public' | 'internal' },
): Promise<TimelineEventRow> {
  const internal = input.visibility === 'internal';
  if (internal && !canSeeInternal(actor)) {
    throw new AppError('forbidden', 'only service-desk staff can write work notes', {
      errors: [{ field: 'visibility', message: 'requesters can only add public comments' }],
    });
  }
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, ticketId);
    if (ticket.state === 'closed' || ticket.state === 'cancelled') {
      // Work notes stay possible for the record; the conversation with the requester is over.
      if (!internal) {
        throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: report a new ticket instead of replying`, {
          extra: { allowed: [] },
        });
      }
    }
    const now = deps.clock.now();
    const firstResponse = !internal && isStaff(actor) && actor.id !== ticket.requesterId && !ticket.firstResponseAt;
    // A comment changes what the ticket shows, so it bumps the version: an agent holding an
    // older copy is told someone replied before they overwrite anything.
    const saved = await saveTicket(tx, ticket.id, {
      updatedAt: now,
      updatedById: actor.id,
      ...(firstResponse ? { firstResponseAt: now } : {}),
    });
    const [event] = await appendTimelineEvents(tx, [
      timelineEvent(ticket.id, actor, now, { type: internal ? 'work_note' : 'comment', internal, body: input.body }),
    ]);
    await enqueueNotifications(tx, saved, [event], now);
    // The first response met that target: the queue's next SLA due time moves to resolution.
    if (firstResponse && saved.slaPolicyId) await scheduleSlaTimers(tx, saved, now);
    return event;
  });
}
