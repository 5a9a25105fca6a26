import type { ChangeOrigin } from '../../../core/automation/evaluate.js';
import { isWorkingTime } from '../../../core/business-calendar.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import {
  type AssignmentStrategy,
  chooseFairAssignee,
  describeFairChoice,
  onShiftAt,
  STRATEGY_LABELS,
} from '../../../core/fair-assignment.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { applyAssignment } from '../../../core/ticket-state-machine.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import {
  countOpenByPriority,
  findShiftSchedule,
  findWorkingHours,
  listTeamStaff,
  lockPeopleForAssignment,
  lockTeamForAssignment,
  recordFairAssignee,
} from '../repositories/fair-assignment.repository.js';
import { lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { expectOk, lockTicketForWrite, snapshotOf } from './ticket-write.helpers.js';

/**
 * Fair assignment within a team (issue 18, item 3). The choice is core's (`core/fair-assignment.ts`);
 * this reads what it needs — members, their open tickets, the team's shift schedule and working
 * hours — under a lock on the team's row and on each member (whose open tickets count across all
 * their teams), and remembers who took the turn.
 */

/** What is written on the ticket's timeline with the assignment (the `assigned` event's `data.fairAssignment`). */
export interface FairAssignmentRecord {
  strategy: AssignmentStrategy;
  /** The reason in words: "round robin: next in turn (cap 10); passed over Dan (off shift)". */
  reason: string;
}

export interface FairDecision extends FairAssignmentRecord {
  assigneeId: string | null;
}

/**
 * Inside the caller's transaction: who in the team takes a ticket now, by `strategy`, else the
 * team's default, else `fallback`. Null when none names one (the ticket waits in the team's queue).
 * Remembers the chosen member as the team's last turn.
 */
export async function decideFairAssignee(
  tx: Tx,
  teamId: string,
  now: Date,
  strategy?: AssignmentStrategy,
  fallback?: AssignmentStrategy,
): Promise<FairDecision | null> {
  const team = await lockTeamForAssignment(tx, teamId);
  if (!team) return null;
  const using = strategy ?? team.assignmentStrategy ?? fallback;
  if (!using) return null;
  if (team.workingHoursCalendarId) {
    const hours = await findWorkingHours(tx, team.workingHoursCalendarId);
    if (hours && !isWorkingTime(hours, now)) {
      return {
        strategy: using,
        assigneeId: null,
        reason: `${STRATEGY_LABELS[using]}: outside ${team.name}'s working hours, so it waits in the queue`,
      };
    }
  }
  const shift = team.shiftScheduleId ? await findShiftSchedule(tx, team.shiftScheduleId, now) : undefined;
  const onShift = shift ? onShiftAt(shift.schedule, shift.overrides, now) : null;
  const staff = await listTeamStaff(tx, teamId);
  const staffIds = staff.map((m) => m.userId);
  // Loads are read under the people's locks (the team's alone does not cover a member of two teams).
  await lockPeopleForAssignment(tx, staffIds);
  const open = await countOpenByPriority(tx, staffIds);
  const members = staff.map((m) => ({
    ...m,
    openByPriority: open.get(m.userId) ?? {},
    onShift: onShift === null || onShift.has(m.userId),
  }));
  const choice = chooseFairAssignee({ strategy: using, members, previousId: team.lastFairAssigneeId, cap: team.assignmentCap });
  if (choice.ok) await recordFairAssignee(tx, teamId, choice.userId);
  return { strategy: using, assigneeId: choice.ok ? choice.userId : null, reason: describeFairChoice(choice, team.assignmentCap) };
}

export interface AssignFairlyOptions {
  /** Overrides the team's default strategy (a rule's action names one); neither: round robin. */
  strategy?: AssignmentStrategy;
  expectedVersion?: number;
  /** Asked by an automation rule: its chain so far, so no rule in it fires again on this change. */
  automation?: ChangeOrigin;
}

export interface AssignFairlyResult {
  ticket: TicketRow;
  /** Null when nobody could take it (the reason says why; the ticket stays in the team's queue). */
  assigneeId: string | null;
  reason: string;
}

/**
 * Assigns an open ticket to a member of its team, fairly — a person's "assign fairly" or an
 * automation rule's action (`actor` null is Firebreak itself). Through the one ticket-change
 * pipeline: an `assigned` event carrying the strategy and the reason; when nobody can take it, an
 * internal note with the reason and no new version. Runs in `deps.db`'s transaction when it is one.
 */
export async function assignFairly(
  deps: ServiceDeps,
  actor: Actor | null,
  ticketId: string,
  options: AssignFairlyOptions = {},
): Promise<AssignFairlyResult> {
  if (actor && !isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can assign tickets');
  return deps.db.transaction(async (tx) => {
    const ticket = actor ? await lockTicketForWrite(tx, actor, ticketId, options.expectedVersion) : await lockTicket(tx, ticketId);
    if (!ticket) throw notFound('ticket');
    if (!OPEN_STATES.includes(ticket.state)) {
      throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: only an open ticket can be assigned`, {
        extra: { allowed: [] },
      });
    }
    if (!ticket.teamId) throw fieldError('unprocessable', 'teamId', 'the ticket has no team to assign within: give it a team first');
    const now = deps.clock.now();
    // Asked to assign fairly in a team that has no strategy of its own: members in turn.
    const decision = await decideFairAssignee(tx, ticket.teamId, now, options.strategy, 'round_robin');
    if (!decision) throw notFound('team');
    const fairAssignment: FairAssignmentRecord = { strategy: decision.strategy, reason: decision.reason };
    if (decision.assigneeId === null || decision.assigneeId === ticket.assigneeId) {
      // Nobody else could take it (or the choice is who already has it): the reason is still recorded.
      await applyTicketChange(tx, {
        before: ticket,
        patch: {},
        bumpsVersion: false,
        actor,
        at: now,
        events: [{ type: 'work_note', internal: true, body: `Fair assignment: ${decision.reason}`, data: { fairAssignment } }],
        automation: options.automation,
      });
      return { ticket, assigneeId: decision.assigneeId, reason: decision.reason };
    }
    const result = expectOk(ticket, applyAssignment(snapshotOf(ticket), decision.assigneeId));
    const events: ChangeEvent[] = [
      { type: 'assigned', changes: [{ field: 'assigneeId', from: ticket.assigneeId, to: decision.assigneeId }], data: { fairAssignment } },
    ];
    if (result.next.state !== ticket.state) {
      events.push({
        type: 'state_changed',
        changes: [{ field: 'state', from: ticket.state, to: result.next.state }],
        data: { action: 'assign' },
      });
    }
    const { ticket: saved } = await applyTicketChange(tx, {
      before: ticket,
      patch: { assigneeId: decision.assigneeId, state: result.next.state },
      actor,
      at: now,
      events,
      automation: options.automation,
    });
    return { ticket: saved, assigneeId: decision.assigneeId, reason: decision.reason };
  });
}
