import { AppError, fieldError } from '../../../core/errors.js';
import { diffFields } from '../../../core/field-changes.js';
import { type Actor, canRequestMove, isStaff } from '../../../core/permissions.js';
import { applyTransition, type TransitionRequest } from '../../../core/ticket-state-machine.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { checkCompletionBeforeClose } from './incident-completion.service.js';
import { applyTicketChange } from './ticket-change.js';
import { planTicketUpdate, type UpdateTicketInput } from './ticket-update-plan.js';
import { expectOk, lockTicketForWrite, snapshotOf, transitionPatch } from './ticket-write.helpers.js';

export type { UpdateTicketInput } from './ticket-update-plan.js';

/**
 * Changes a ticket's fields, assignment and priority in one transaction, writing one timeline
 * event per kind of change (fields, assignment and any state move it causes, priority).
 */
export async function updateTicket(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: UpdateTicketInput,
  expectedVersion?: number,
): Promise<TicketRow> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can change a ticket; add a comment instead');
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, id, expectedVersion);
    if (ticket.state === 'closed' || ticket.state === 'cancelled') {
      throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: a final ticket cannot be changed`, {
        extra: { allowed: [] },
      });
    }
    // Scope moves with a reason, and global makes a major incident: its own use case (major-incidents.service.ts).
    if (input.scope !== undefined && input.scope !== ticket.scope) {
      throw fieldError('unprocessable', 'scope', 'changing the scope needs a reason: use POST /api/v1/tickets/{id}/scope');
    }
    const now = deps.clock.now();
    const { patch, events } = await planTicketUpdate(tx, ticket, input, now);

    if (events.length === 0) return ticket; // nothing changed: no new version, no event
    // A requester's P1 waiting for staff: a staff member who sets its impact, urgency or priority
    // has judged it — still P1 pages now, anything lower ends the wait.
    const settlesHeldPage =
      ticket.pageHeldSince !== null && (input.impact !== undefined || input.urgency !== undefined || input.priorityOverride !== undefined);
    if (settlesHeldPage) patch.pageHeldSince = null;
    // A settled hold pages now if still P1; a raise to P1 pages the team's on-call: the pipeline
    // derives both, in this same transaction.
    const { ticket: saved } = await applyTicketChange(tx, { before: ticket, patch, actor, at: now, events });
    return saved;
  });
}

/** Moves a ticket through its lifecycle as the one state machine allows. */
export async function transitionTicket(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  request: Omit<TransitionRequest, 'actorId'> & { checklistOverrideReason?: string },
  expectedVersion?: number,
): Promise<TicketRow> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, id, expectedVersion);
    // A change moves by its own actions (issue 17), which check its approval before its state.
    if (ticket.kind === 'change') {
      throw new AppError('illegal_transition', `${ticket.number} is a change: use its own actions (submit, start, complete, cancel)`, {
        extra: { allowed: [] },
      });
    }
    if (!canRequestMove(actor, ticket.state, request.to)) {
      throw new AppError(
        'forbidden',
        `requesters can confirm a resolved ticket (closed), reopen it (in_progress) or withdraw it (cancelled); moving to ${request.to} is the service desk's work`,
      );
    }
    const { checklistOverrideReason, ...move } = request;
    const accepted = expectOk(ticket, applyTransition(snapshotOf(ticket), { ...move, actorId: actor.id }));
    const { next, action } = accepted;
    // An incident is complete only when its checklist is (issue 14): a close is refused until then.
    const { overridden } =
      next.state === 'closed' ? await checkCompletionBeforeClose(tx, actor, ticket, checklistOverrideReason ?? null) : { overridden: [] };
    const now = deps.clock.now();
    const patch = transitionPatch(accepted, now);
    if (!ticket.firstResponseAt && isStaff(actor) && ['start', 'resolve', 'hold'].includes(action)) patch.firstResponseAt = now;

    const changes = diffFields(ticket, patch, ['state', 'assigneeId', 'onHoldReason', 'resolutionCode']);
    // The pipeline follows up: SLA deadlines move, a resolution schedules its auto-close, and
    // leaving the open states ends any page.
    const { ticket: saved } = await applyTicketChange(tx, {
      before: ticket,
      patch,
      actor,
      at: now,
      events: [
        {
          type: 'state_changed',
          changes,
          body:
            action === 'resolve'
              ? (next.resolutionNotes ?? null)
              : overridden.length > 0
                ? `Closed without a complete checklist (skipped: ${overridden.map((i) => i.label).join(', ')}): ${checklistOverrideReason}`
                : (request.reason ?? null),
          data: {
            action,
            ...(request.reason && action === 'resolve' ? { reason: request.reason } : {}),
            ...(overridden.length > 0
              ? { checklistOverride: { reason: checklistOverrideReason, skipped: overridden.map((i) => i.label) } }
              : {}),
          },
        },
      ],
    });
    return saved;
  });
}
