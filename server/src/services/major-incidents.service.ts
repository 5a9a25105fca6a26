import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { FieldChange } from '../../../core/field-changes.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { applyAssignment, applyTeamChange, FINAL_STATES } from '../../../core/ticket-state-machine.js';
import type { Scope } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { lockTicket, type NewTicketRow, type TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { ownerForScope } from './incident-ownership.service.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { lockTicketForWrite, snapshotOf } from './ticket-write.helpers.js';

/**
 * Scope and ownership of incidents (issue 14): local incidents belong to the Customer Service
 * Manager role, global ones to the Technical Manager role (names and holders are settings).
 * Making an incident global makes it a major incident and hands it to the Technical Manager;
 * declaring a major incident makes it global. Each is one change through the pipeline.
 */

function requireStaff(actor: Actor): void {
  if (!isStaff(actor))
    throw new AppError('forbidden', 'only service-desk staff can change the scope of an incident or declare a major incident');
}

function requireWorkableIncident(ticket: TicketRow): void {
  if (ticket.kind !== 'incident') {
    throw fieldError('unprocessable', 'scope', `${ticket.number} is not an incident: scope and major incidents belong to incidents`);
  }
  if (FINAL_STATES.includes(ticket.state)) {
    throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: a final ticket cannot change any more`, {
      extra: { allowed: [] },
    });
  }
}

/** Changes an incident's scope with a reason; made global, it becomes a major incident owned by the Technical Manager. */
export async function changeScope(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: { scope: Scope; reason: string },
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor);
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, ticketId, expectedVersion);
    requireWorkableIncident(ticket);
    if (ticket.scope === input.scope) return ticket; // nothing changes: no new version, no event
    return changeScopeIn(tx, actor, ticket, input.scope, input.reason, deps.clock.now());
  });
}

/**
 * Declares a major incident: it becomes global (when it was local), `majorSince` is set and the
 * Technical Manager (and their team) owns it, all on the timeline with the reason. Callable by
 * the storm proposal too; refused for a ticket that is major already (409).
 */
export async function declareMajorIncident(
  deps: ServiceDeps,
  actor: Actor | null,
  ticketId: string,
  reason: string,
  expectedVersion?: number,
): Promise<TicketRow> {
  if (actor) requireStaff(actor);
  return deps.db.transaction(async (tx) => {
    const ticket = actor ? await lockTicketForWrite(tx, actor, ticketId, expectedVersion) : await lockForFirebreak(tx, ticketId);
    requireWorkableIncident(ticket);
    if (ticket.majorSince !== null) {
      throw new AppError('conflict', `${ticket.number} is a major incident already (since ${ticket.majorSince.toISOString()})`);
    }
    return changeScopeIn(tx, actor, ticket, 'global', reason, deps.clock.now(), true);
  });
}

/** Firebreak itself (a storm policy) sees every ticket and sends no If-Match. */
async function lockForFirebreak(tx: Tx, ticketId: string): Promise<TicketRow> {
  const ticket = await lockTicket(tx, ticketId);
  if (!ticket) throw notFound('ticket');
  return ticket;
}

async function changeScopeIn(
  tx: Tx,
  actor: Actor | null,
  ticket: TicketRow,
  scope: Scope,
  reason: string,
  now: Date,
  declared = false,
): Promise<TicketRow> {
  const patch: Partial<NewTicketRow> = {};
  const events: ChangeEvent[] = [];
  if (ticket.scope !== scope) {
    patch.scope = scope;
    events.push({ type: 'scope_changed', internal: true, body: reason, changes: [{ field: 'scope', from: ticket.scope, to: scope }] });
  }
  const becomesMajor = scope === 'global' && ticket.majorSince === null;
  if (becomesMajor) {
    patch.majorSince = now;
    events.push({
      type: 'major_declared',
      internal: true,
      body: reason,
      changes: [{ field: 'majorSince', from: null, to: now.toISOString() }],
      data: { via: declared ? 'declared' : 'made_global' },
    });
  }
  // The role that owns incidents of the new scope takes it, when one is configured.
  const owner = await ownerForScope(tx, scope, ticket.teamId);
  if (owner.assigneeId && (owner.assigneeId !== ticket.assigneeId || (owner.teamId !== null && owner.teamId !== ticket.teamId))) {
    const teamChanged = owner.teamId !== null && owner.teamId !== ticket.teamId;
    const result = teamChanged
      ? applyTeamChange(snapshotOf(ticket), owner.assigneeId)
      : applyAssignment(snapshotOf(ticket), owner.assigneeId);
    if (result.ok) {
      const changes: FieldChange[] = [];
      if (teamChanged) {
        patch.teamId = owner.teamId;
        changes.push({ field: 'teamId', from: ticket.teamId, to: owner.teamId });
      }
      if (result.next.assigneeId !== ticket.assigneeId)
        changes.push({ field: 'assigneeId', from: ticket.assigneeId, to: result.next.assigneeId });
      patch.assigneeId = result.next.assigneeId;
      events.push({
        type: 'assigned',
        changes,
        data: { ownerRole: owner.roleName, ...(teamChanged && ticket.teamId ? { reassignedTeam: true } : {}) },
      });
      if (result.next.state !== ticket.state) {
        patch.state = result.next.state;
        events.push({
          type: 'state_changed',
          changes: [{ field: 'state', from: ticket.state, to: result.next.state }],
          data: { action: 'assign' },
        });
      }
    }
  }
  const { ticket: saved } = await applyTicketChange(tx, { before: ticket, patch, actor, at: now, events });
  return saved;
}
