import { refuseIncidentResponse } from '../../../core/changes.js';
import { AppError, fieldError } from '../../../core/errors.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { isFinal } from '../../../core/ticket-state-machine.js';
import type { EscalationKind, TicketState } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { findTeamById } from '../repositories/teams.repository.js';
import type { NewTicketRow, TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { decideFairAssignee, type FairDecision } from './fair-assignment.service.js';
import { applyTicketChange } from './ticket-change.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

export interface EscalationInput {
  kind: EscalationKind;
  reason: string;
  /** Functional: the more skilled team that takes the ticket over. */
  toTeamId?: string;
  /** A named person: the engineer in the new team, or the manager to alert. */
  toUserId?: string;
}

/**
 * Manual escalation with a reason. Functional: the ticket moves to another team (and to the
 * named engineer, if any; a ticket being worked keeps its assignee until the new team takes it).
 * Hierarchical: management is alerted; ownership does not change. Either way the level goes up,
 * the timeline says who escalated, why and to whom, and the people concerned are notified.
 */
export async function escalateTicket(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: EscalationInput,
  expectedVersion?: number,
): Promise<TicketRow> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can escalate a ticket');
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, id, expectedVersion);
    const refusal = refuseIncidentResponse(ticket, 'escalate');
    if (refusal) throw new AppError('illegal_transition', refusal, { extra: { allowed: [] } });
    return applyEscalation(tx, ticket, input, actor, deps.clock.now());
  });
}

/**
 * The escalation itself, inside the caller's transaction on a locked ticket. `actor` null is
 * Firebreak itself (an automatic escalation on an SLA breach).
 */
export async function applyEscalation(
  tx: Tx,
  ticket: TicketRow,
  input: EscalationInput,
  actor: Actor | null,
  now: Date,
): Promise<TicketRow> {
  if (isFinal(ticket.state) || ticket.state === 'resolved') {
    throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: only open tickets can be escalated`, {
      extra: { allowed: [] },
    });
  }
  const patch: Partial<NewTicketRow> = { escalationLevel: ticket.escalationLevel + 1 };
  const changes: { field: string; from: unknown; to: unknown }[] = [
    { field: 'escalationLevel', from: ticket.escalationLevel, to: ticket.escalationLevel + 1 },
  ];
  if (input.toUserId) await requireActiveUsers(tx, [input.toUserId], 'agent', 'toUserId');
  let fair: FairDecision | null = null;
  if (input.kind === 'functional') {
    if (!input.toTeamId)
      throw fieldError('validation_failed', 'toTeamId', 'a functional escalation needs the team that takes the ticket over');
    if (input.toTeamId === ticket.teamId) throw fieldError('unprocessable', 'toTeamId', 'the ticket is already with this team');
    if (!(await findTeamById(tx, input.toTeamId))) throw fieldError('unprocessable', 'toTeamId', `no team has the id ${input.toTeamId}`);
    patch.teamId = input.toTeamId;
    changes.push({ field: 'teamId', from: ticket.teamId, to: input.toTeamId });
    const beingWorked = ticket.state === 'in_progress' || ticket.state === 'on_hold';
    // Nobody named and nobody working it: a team that shares its work fairly gives it to a member now.
    fair = !input.toUserId && !beingWorked ? await decideFairAssignee(tx, input.toTeamId, now) : null;
    const assigneeId = input.toUserId ?? (beingWorked ? ticket.assigneeId : (fair?.assigneeId ?? null));
    if (assigneeId !== ticket.assigneeId) {
      patch.assigneeId = assigneeId;
      changes.push({ field: 'assigneeId', from: ticket.assigneeId, to: assigneeId });
      const state: TicketState = ticket.state === 'new' || ticket.state === 'assigned' ? (assigneeId ? 'assigned' : 'new') : ticket.state;
      if (state !== ticket.state) {
        patch.state = state;
        changes.push({ field: 'state', from: ticket.state, to: state });
      }
    }
  } else if (input.toTeamId) {
    throw fieldError(
      'validation_failed',
      'toTeamId',
      'a hierarchical escalation alerts management and does not move the ticket; use a functional escalation to change team',
    );
  }
  // A functional escalation hands the ticket to another team: the pipeline counts the reassignment.
  const { ticket: saved } = await applyTicketChange(tx, {
    before: ticket,
    patch,
    actor,
    at: now,
    events: [
      {
        // The desk's business: reasons name customers and colleagues; requesters see the effect.
        internal: true,
        type: 'escalated',
        body: input.reason,
        changes,
        data: {
          kind: input.kind,
          level: ticket.escalationLevel + 1,
          toTeamId: input.toTeamId ?? null,
          toUserId: input.toUserId ?? null,
          automatic: actor === null,
          ...(fair ? { fairAssignment: { strategy: fair.strategy, reason: fair.reason } } : {}),
        },
      },
    ],
  });
  return saved;
}
