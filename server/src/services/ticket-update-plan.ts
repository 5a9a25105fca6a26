import { fieldError } from '../../../core/errors.js';
import { diffFields, type FieldChange } from '../../../core/field-changes.js';
import { derivePriority } from '../../../core/priority.js';
import { applyAssignment, applyTeamChange } from '../../../core/ticket-state-machine.js';
import type { Level, Priority, Scope, TicketState } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import { findCategoryById, findServiceById } from '../repositories/catalog.repository.js';
import { findTeamById, listMemberIds } from '../repositories/teams.repository.js';
import type { NewTicketRow, TicketRow } from '../repositories/tickets.repository.js';
import { requireActiveUsers } from './directory.service.js';
import { decideFairAssignee } from './fair-assignment.service.js';
import { getPriorityMatrix } from './priority-matrix.service.js';
import { chooseSlaPolicy } from './sla.service.js';
import type { ChangeEvent } from './ticket-change.js';
import { expectOk, snapshotOf } from './ticket-write.helpers.js';

export interface UpdateTicketInput {
  title?: string;
  description?: string;
  serviceId?: string | null;
  categoryId?: string | null;
  subcategoryId?: string | null;
  impact?: Level;
  urgency?: Level;
  scope?: Scope;
  teamId?: string | null;
  assigneeId?: string | null;
  requesterId?: string;
  priorityOverride?: { priority: Priority; reason: string } | null;
}

const PLAIN_FIELDS = [
  'title',
  'description',
  'serviceId',
  'categoryId',
  'subcategoryId',
  'impact',
  'urgency',
  'scope',
  'requesterId',
] as const;

/**
 * What an edit of a ticket's fields and assignment changes, decided the same way for every writer
 * (a person's edit in updateTicket, an automation rule): the references checked, the priority from
 * the matrix unless overridden, the SLA policy that now applies, the state an assignment moves to,
 * and one timeline event per kind of change. Writes nothing: the writer hands it to the pipeline.
 */
export async function planTicketUpdate(
  tx: Tx,
  ticket: TicketRow,
  input: UpdateTicketInput,
  now: Date,
): Promise<{ patch: Partial<NewTicketRow>; events: ChangeEvent[] }> {
  await checkReferences(tx, ticket, input);

  const patch: Partial<NewTicketRow> = {};
  for (const field of PLAIN_FIELDS) if (input[field] !== undefined) (patch as Record<string, unknown>)[field] = input[field];
  const events: ChangeEvent[] = [];
  const fieldChanges = diffFields(ticket, patch, PLAIN_FIELDS);

  // Priority: a manual override wins until it is lifted; otherwise the matrix decides.
  let priority = ticket.priority as Priority;
  if (input.priorityOverride) {
    patch.priorityOverridden = true;
    patch.priorityOverrideReason = input.priorityOverride.reason;
    priority = input.priorityOverride.priority;
    events.push({
      type: 'priority_overridden',
      body: input.priorityOverride.reason,
      changes: [{ field: 'priority', from: ticket.priority, to: priority }],
    });
  } else if (input.priorityOverride === null || !ticket.priorityOverridden) {
    if (input.priorityOverride === null) {
      patch.priorityOverridden = false;
      patch.priorityOverrideReason = null;
    }
    const matrix = await getPriorityMatrix(tx);
    priority = derivePriority(matrix, (input.impact ?? ticket.impact) as Level, (input.urgency ?? ticket.urgency) as Level);
    if (priority !== ticket.priority) fieldChanges.push({ field: 'priority', from: ticket.priority, to: priority });
  }
  patch.priority = priority;
  // A new priority or service may bring another SLA policy; the ticket records which applies.
  // (The requester's organisation may pick a policy too.)
  if (
    priority !== ticket.priority ||
    (input.serviceId !== undefined && input.serviceId !== ticket.serviceId) ||
    (input.requesterId !== undefined && input.requesterId !== ticket.requesterId)
  ) {
    const policy = await chooseSlaPolicy(tx, {
      priority,
      kind: ticket.kind,
      serviceId: input.serviceId !== undefined ? input.serviceId : ticket.serviceId,
      requesterId: input.requesterId ?? ticket.requesterId,
    });
    if ((policy?.id ?? null) !== ticket.slaPolicyId) {
      patch.slaPolicyId = policy?.id ?? null;
      fieldChanges.push({ field: 'slaPolicyId', from: ticket.slaPolicyId, to: policy?.id ?? null });
    }
  }
  if (fieldChanges.length > 0) events.push({ type: 'field_changed', changes: fieldChanges });

  // Assignment may move the state (new → assigned, assigned → new).
  if (input.teamId !== undefined || input.assigneeId !== undefined) {
    // Only the keys the caller sent: a field left out did not change.
    const requested: Partial<TicketRow> = {};
    if (input.teamId !== undefined) requested.teamId = input.teamId;
    if (input.assigneeId !== undefined) requested.assigneeId = input.assigneeId;
    const teamChanged = input.teamId !== undefined && input.teamId !== ticket.teamId;
    // Another team takes the ticket: its assignee goes unless named again or a member of the new team.
    if (teamChanged && input.assigneeId === undefined && ticket.assigneeId && input.teamId) {
      const members = (await listMemberIds(tx, [input.teamId])).get(input.teamId) ?? [];
      if (!members.includes(ticket.assigneeId)) requested.assigneeId = null;
    }
    // Arriving at a team that shares its work fairly with nobody to hold it: a member takes it now.
    const fair =
      teamChanged && input.teamId && input.assigneeId === undefined && (requested.assigneeId === null || !ticket.assigneeId)
        ? await decideFairAssignee(tx, input.teamId, now)
        : null;
    if (fair?.assigneeId) requested.assigneeId = fair.assigneeId;
    const fairAssignment = fair ? { fairAssignment: { strategy: fair.strategy, reason: fair.reason } } : {};
    if (fair && !fair.assigneeId)
      events.push({ type: 'work_note', internal: true, body: `Fair assignment: ${fair.reason}`, data: fairAssignment });
    const assignmentChanges = diffFields(ticket, requested, ['teamId', 'assigneeId']);
    if (assignmentChanges.length > 0) {
      let state: TicketState = ticket.state;
      let action = '';
      if (requested.assigneeId !== undefined && (requested.assigneeId !== ticket.assigneeId || teamChanged)) {
        const assigneeId = requested.assigneeId ?? null;
        const result = teamChanged ? applyTeamChange(snapshotOf(ticket), assigneeId) : applyAssignment(snapshotOf(ticket), assigneeId);
        const { next } = expectOk(ticket, result);
        action = result.ok ? result.action : '';
        state = next.state;
        patch.assigneeId = next.assigneeId;
        patch.onHoldReason = next.onHoldReason;
      }
      if (input.teamId !== undefined) patch.teamId = input.teamId;
      events.push({
        type: 'assigned',
        changes: assignmentChanges,
        // Counted for KPIs: a move between teams is a reassignment, whoever ends up owning it.
        ...(teamChanged && ticket.teamId
          ? { data: { reassignedTeam: true, ...fairAssignment } }
          : fair?.assigneeId
            ? { data: fairAssignment }
            : {}),
      });
      if (state !== ticket.state) {
        patch.state = state;
        const stateChanges: FieldChange[] = [{ field: 'state', from: ticket.state, to: state }];
        if (ticket.onHoldReason && !patch.onHoldReason) stateChanges.push({ field: 'onHoldReason', from: ticket.onHoldReason, to: null });
        events.push({
          type: 'state_changed',
          changes: stateChanges,
          data: { action: action === 'return_to_queue' ? action : state === 'assigned' ? 'assign' : 'unassign' },
        });
      }
    }
  }
  return { patch, events };
}

async function checkReferences(tx: Db, ticket: TicketRow, input: UpdateTicketInput): Promise<void> {
  if (input.serviceId && !(await findServiceById(tx, input.serviceId))) {
    throw fieldError('unprocessable', 'serviceId', `no service has the id ${input.serviceId}`);
  }
  const categoryId = input.categoryId !== undefined ? input.categoryId : ticket.categoryId;
  if (input.categoryId && !(await findCategoryById(tx, input.categoryId))) {
    throw fieldError('unprocessable', 'categoryId', `no category has the id ${input.categoryId}`);
  }
  if (input.subcategoryId) {
    const sub = await findCategoryById(tx, input.subcategoryId);
    if (!sub || !categoryId || sub.parentId !== categoryId) {
      throw fieldError('unprocessable', 'subcategoryId', "must be a subcategory of the ticket's category");
    }
  }
  if (input.teamId && !(await findTeamById(tx, input.teamId))) {
    throw fieldError('unprocessable', 'teamId', `no team has the id ${input.teamId}`);
  }
  if (input.assigneeId) await requireActiveUsers(tx, [input.assigneeId], 'agent', 'assigneeId');
  if (input.requesterId) await requireActiveUsers(tx, [input.requesterId], 'requester', 'requesterId');
}
