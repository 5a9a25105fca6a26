import { AppError } from '../../../core/errors.js';
import { diffFields } from '../../../core/field-changes.js';
import { type Actor, canSeeInternal, isStaff } from '../../../core/permissions.js';
import { applyTransition, requesterReplyResumes } from '../../../core/ticket-state-machine.js';
import type { TimelineEventRow } from '../repositories/timeline.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { lockTicketForWrite, snapshotOf } from './ticket-write.helpers.js';

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
    // The answer the desk was waiting for: the hold lifts and the SLA clock runs again. The
    // state machine makes the move; the assignee hears of the reply itself (reply_from_requester).
    const resumed =
      !internal && actor.id === ticket.requesterId && requesterReplyResumes(snapshotOf(ticket))
        ? applyTransition(snapshotOf(ticket), { to: 'in_progress', actorId: actor.id })
        : null;
    const lift = resumed?.ok ? resumed.next : null;
    const events: ChangeEvent[] = [{ type: internal ? 'work_note' : 'comment', internal, body: input.body }];
    if (lift) {
      events.push({
        type: 'state_changed',
        changes: diffFields(ticket, lift, ['state', 'assigneeId', 'onHoldReason']),
        body: 'The requester replied',
        data: { action: 'resume', cause: 'requester_replied' },
      });
    }
    // The pipeline follows up: a first response or a lifted hold moves the SLA deadlines.
    const { events: appended } = await applyTicketChange(tx, {
      before: ticket,
      patch: {
        ...(firstResponse ? { firstResponseAt: now } : {}),
        ...(lift ? { state: lift.state, onHoldReason: lift.onHoldReason, assigneeId: lift.assigneeId } : {}),
      },
      actor,
      at: now,
      events,
    });
    return appended[0];
  });
}
