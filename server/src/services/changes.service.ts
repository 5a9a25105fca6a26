import {
  type ApprovalPolicy,
  approvalOutcome,
  type ChangeAction,
  type ChangeDecision,
  type ChangeOutcome,
  type ChangeRisk,
  type ChangeStage,
  type ChangeType,
  changeStage,
  DEFAULT_APPROVAL_POLICY,
  type Refusal,
  refuseChangeAction,
  refuseChangeWindow,
  refuseDecision,
  refuseSubmission,
} from '../../../core/changes.js';
import { AppError, fieldError } from '../../../core/errors.js';
import { diffFields } from '../../../core/field-changes.js';
import { type Actor, canSeeTicket, isManager, isStaff } from '../../../core/permissions.js';
import { applyTransition, type TransitionRequest } from '../../../core/ticket-state-machine.js';
import type { Level } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import {
  type ChangeRow,
  findChange,
  insertApprovers,
  insertChange,
  insertLinks,
  listApprovals,
  type NewChangeRow,
  recordDecision,
  replaceApprovers,
  resetApprovals,
  saveChange,
} from '../repositories/changes.repository.js';
import { lockTicketsInOrder } from '../repositories/incident-links.repository.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import type { NewTicketRow, TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { createMaintenance } from './maintenance.service.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { reportTicket } from './ticket-intake.service.js';
import { updateTicket } from './ticket-work.service.js';
import { expectOk, lockTicketForWrite, snapshotOf, transitionPatch } from './ticket-write.helpers.js';

/**
 * Changes (issue 17, deliberately light). A change is a ticket of kind `change` (CHG numbers) with
 * its plan in `changes`; every move goes through the one ticket-change pipeline, and its stage is
 * read from the ticket's state and the change's marks (core/changes.ts changeStage).
 */

const APPROVAL_POLICY_SETTING = 'change_approval_policy';

function requireStaff(actor: Actor, what: string): void {
  if (!isStaff(actor)) throw new AppError('forbidden', `only service-desk staff can ${what}`);
}

function refuse(refusal: Refusal): never {
  if (refusal.status === 'forbidden') throw new AppError('forbidden', refusal.message, { errors: [refusal] });
  throw fieldError(refusal.status, refusal.field, refusal.message);
}

export interface ChangePlan {
  type: ChangeType;
  risk: ChangeRisk;
  plannedStart: Date;
  plannedEnd: Date;
  implementationPlan: string;
  testPlan: string;
  backoutPlan: string;
  approverIds: string[];
}

export interface CreateChangeInput extends ChangePlan {
  title: string;
  description: string;
  serviceId?: string | null;
  impact: Level;
  teamId?: string | null;
  assigneeId?: string | null;
  linkedTicketIds: string[];
}

/** Records a draft change: the ticket, its plan, its named approvers and links, in one transaction. */
export async function createChange(
  deps: ServiceDeps,
  actor: Actor,
  input: CreateChangeInput,
  idempotencyKey?: string,
): Promise<{ change: TicketRow; replayed: boolean }> {
  requireStaff(actor, 'record a change');
  const windowRefusal = refuseChangeWindow(input.plannedStart, input.plannedEnd);
  if (windowRefusal) refuse(windowRefusal);
  const { linkedTicketIds, approverIds, type, risk, plannedStart, plannedEnd, implementationPlan, testPlan, backoutPlan, ...fields } =
    input;
  return deps.db.transaction(async (tx) => {
    // A change's urgency is its window, not a service-desk queue: impact sets its priority alone.
    const { ticket, replayed } = await reportTicket(
      { ...deps, db: tx },
      actor,
      { ...fields, urgency: 3, kind: 'change', scope: 'local', requesterId: actor.id, channel: 'api' },
      { defaultChannel: 'api', idempotencyKey },
    );
    if (replayed) return { change: ticket, replayed };
    await requireActiveUsers(tx, approverIds, 'agent', 'approverIds');
    await insertChange(tx, { ticketId: ticket.id, type, risk, plannedStart, plannedEnd, implementationPlan, testPlan, backoutPlan });
    await insertApprovers(tx, ticket.id, [...new Set(approverIds)]);
    const change = linkedTicketIds.length > 0 ? (await linkInTx(tx, deps, actor, ticket, linkedTicketIds)).change : ticket;
    return { change, replayed };
  });
}

/** What a draft's edit may change on the ticket itself (the rest is the change's plan). */
export interface ChangeTicketFields {
  title?: string;
  description?: string;
  serviceId?: string | null;
}

/**
 * A draft's title, description, service, plan, window and approvers; If-Match applies to the
 * ticket. The ticket's own fields go through `updateTicket` in this transaction (its checks, its
 * SLA re-match, its timeline event); the plan is the change's own row, recorded as one more event.
 */
export async function updateChange(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: Partial<ChangePlan> & ChangeTicketFields,
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'change a change');
  return deps.db.transaction(async (tx) => {
    const locked = await lockChange(tx, actor, id, expectedVersion);
    const { change } = locked;
    let { ticket } = locked;
    const stage = changeStage({ state: ticket.state, ...change });
    if (stage !== 'draft') {
      throw fieldError('conflict', 'stage', `${ticket.number} is no longer a draft: its plan is what was submitted`);
    }
    const { approverIds, title, description, serviceId, ...plan } = input;
    const windowRefusal = refuseChangeWindow(plan.plannedStart ?? change.plannedStart, plan.plannedEnd ?? change.plannedEnd);
    if (windowRefusal) refuse(windowRefusal);
    if (title !== undefined || description !== undefined || serviceId !== undefined) {
      const fields = Object.fromEntries(Object.entries({ title, description, serviceId }).filter(([, v]) => v !== undefined));
      ticket = await updateTicket({ ...deps, db: tx }, actor, ticket.id, fields);
    }
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    const patch: Partial<NewChangeRow> = {};
    for (const [field, value] of Object.entries(plan) as [keyof typeof plan, ChangePlan[keyof typeof plan]][]) {
      if (value === undefined) continue;
      const before = change[field];
      if (before instanceof Date && value instanceof Date ? before.getTime() === value.getTime() : before === value) continue;
      Object.assign(patch, { [field]: value });
      changes.push({
        field,
        from: before instanceof Date ? before.toISOString() : before,
        to: value instanceof Date ? value.toISOString() : value,
      });
    }
    if (approverIds) {
      await requireActiveUsers(tx, approverIds, 'agent', 'approverIds');
      const before = (await listApprovals(tx, ticket.id)).filter((a) => a.named).map((a) => a.approverId);
      const after = [...new Set(approverIds)];
      // The same people sent again (an edit form sends the whole list) is no change.
      if (before.length !== after.length || after.some((a) => !before.includes(a))) {
        await replaceApprovers(tx, ticket.id, after);
        changes.push({ field: 'approverIds', from: before, to: after });
      }
    }
    if (changes.length === 0) return ticket;
    if (Object.keys(patch).length > 0) await saveChange(tx, ticket.id, patch);
    const { ticket: saved } = await applyTicketChange(tx, {
      before: ticket,
      patch: {},
      actor,
      at: deps.clock.now(),
      events: [{ type: 'field_changed', internal: true, changes }],
    });
    return saved;
  });
}

/** Asks for approval; a standard change is pre-approved and goes straight to scheduled. */
export async function submitChange(deps: ServiceDeps, actor: Actor, id: string, expectedVersion?: number): Promise<TicketRow> {
  requireStaff(actor, 'submit a change');
  return deps.db.transaction(async (tx) => {
    const { ticket, change } = await lockChange(tx, actor, id, expectedVersion);
    const from = checkAction(ticket, change, 'submit');
    const submissionRefusal = refuseSubmission(change);
    if (submissionRefusal) refuse(submissionRefusal);
    const now = deps.clock.now();
    const marks = { submittedAt: now, approvedAt: change.type === 'standard' ? now : null };
    await resetApprovals(tx, ticket.id);
    await saveChange(tx, ticket.id, marks);
    const to = changeStage({ state: ticket.state, ...change, ...marks });
    return record(tx, actor, ticket, {}, [stageEvent('submit', from, to)], now);
  });
}

/**
 * An approver's decision with a comment. Approval by every named approver (or by one manager,
 * when none is named) schedules the change; one rejection makes it a draft again.
 */
export async function decideChange(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: { decision: ChangeDecision; comment: string },
): Promise<TicketRow> {
  requireStaff(actor, 'approve changes');
  return deps.db.transaction(async (tx) => {
    const { ticket, change } = await lockChange(tx, actor, id);
    const stage = changeStage({ state: ticket.state, ...change });
    const namedApproverIds = (await listApprovals(tx, ticket.id)).filter((a) => a.named).map((a) => a.approverId);
    const refusal = refuseDecision(
      { id: actor.id, isManager: isManager(actor) },
      { number: ticket.number, stage, requesterId: ticket.requesterId, assigneeId: ticket.assigneeId, namedApproverIds },
      await getApprovalPolicy(tx),
    );
    if (refusal) refuse(refusal);
    const comment = input.comment.trim() || null;
    if (input.decision === 'rejected' && !comment) throw fieldError('validation_failed', 'comment', 'say why the change is rejected');
    const now = deps.clock.now();
    await recordDecision(tx, { changeId: ticket.id, approverId: actor.id, decision: input.decision, comment, decidedAt: now });
    const outcome = approvalOutcome(namedApproverIds.length > 0, await listApprovals(tx, ticket.id));
    const events: ChangeEvent[] = [
      { type: 'change_decided', internal: true, body: comment, data: { decision: input.decision, approverId: actor.id } },
    ];
    if (outcome === 'approved') {
      await saveChange(tx, ticket.id, { approvedAt: now });
      events.push(stageEvent('approve', stage, 'scheduled'));
    } else if (outcome === 'rejected') {
      await saveChange(tx, ticket.id, { submittedAt: null });
      events.push(stageEvent('reject', stage, 'draft'));
    }
    return record(tx, actor, ticket, {}, events, now);
  });
}

/** Scheduled → implementing: the ticket moves to in_progress through the one state machine. */
export async function startChange(deps: ServiceDeps, actor: Actor, id: string, expectedVersion?: number): Promise<TicketRow> {
  requireStaff(actor, 'start a change');
  return deps.db.transaction(async (tx) => {
    const { ticket, change } = await lockChange(tx, actor, id, expectedVersion);
    const from = checkAction(ticket, change, 'start');
    return move(tx, deps, actor, ticket, { to: 'in_progress' }, stageEvent('start', from, 'implementing'));
  });
}

/**
 * Implementing → done or failed: the ticket is resolved (code resolved_by_change, the notes saying
 * how it went) and the outcome marks which; a failed change is still a finished one.
 */
export async function completeChange(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: { outcome: ChangeOutcome; notes: string },
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'complete a change');
  return deps.db.transaction(async (tx) => {
    const { ticket, change } = await lockChange(tx, actor, id, expectedVersion);
    const from = checkAction(ticket, change, 'complete');
    await saveChange(tx, ticket.id, { outcome: input.outcome });
    const to = input.outcome === 'failed' ? 'failed' : 'done';
    return move(
      tx,
      deps,
      actor,
      ticket,
      { to: 'resolved', resolutionCode: 'resolved_by_change', resolutionNotes: input.notes },
      stageEvent('complete', from, to),
    );
  });
}

export async function cancelChange(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  reason: string,
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'cancel a change');
  return deps.db.transaction(async (tx) => {
    const { ticket, change } = await lockChange(tx, actor, id, expectedVersion);
    const from = checkAction(ticket, change, 'cancel');
    return move(tx, deps, actor, ticket, { to: 'cancelled', reason }, stageEvent('cancel', from, 'cancelled'));
  });
}

/** Links problems and incidents to a change; each link is on both timelines. */
export async function linkToChange(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  ticketIds: readonly string[],
  expectedVersion?: number,
): Promise<{ change: TicketRow; linked: string[] }> {
  requireStaff(actor, 'link tickets to a change');
  return deps.db.transaction(async (tx) => {
    const { ticket } = await lockChange(tx, actor, id, expectedVersion);
    return linkInTx(tx, deps, actor, ticket, ticketIds);
  });
}

async function linkInTx(
  tx: Tx,
  deps: ServiceDeps,
  actor: Actor,
  change: TicketRow,
  ticketIds: readonly string[],
): Promise<{ change: TicketRow; linked: string[] }> {
  const ids = [...new Set(ticketIds)];
  const found = await lockTicketsInOrder(tx, ids);
  // A ticket the caller may not see is refused exactly as one that does not exist.
  const missing = ids.find((tid) => !found.some((t) => t.id === tid && canSeeTicket(actor, t)));
  if (missing) throw fieldError('unprocessable', 'linkedTicketIds', `no problem or incident has the id ${missing}`);
  const wrong = found.find((t) => t.kind !== 'problem' && t.kind !== 'incident');
  if (wrong) throw fieldError('unprocessable', 'linkedTicketIds', `${wrong.number} is not a problem or an incident`);
  const now = deps.clock.now();
  const linked = new Set(await insertLinks(tx, change.id, ids, now));
  if (linked.size === 0) return { change, linked: [] };
  const events = found.filter((t) => linked.has(t.id)).map((t) => linkEvent(change, t));
  for (const [i, target] of found.filter((t) => linked.has(t.id)).entries()) {
    await applyTicketChange(tx, { before: target, patch: {}, actor, at: now, events: [events[i]] });
  }
  const { ticket } = await applyTicketChange(tx, { before: change, patch: {}, actor, at: now, events });
  return { change: ticket, linked: [...linked] };
}

/**
 * Announces a normal change's window as planned maintenance on the status page, through the
 * planned-maintenance service (managers only, the change's service shown on the page). Only an
 * approved change is announced: a draft may still move. Once per change.
 */
export async function announceChangeMaintenance(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<{ change: TicketRow; maintenanceId: string }> {
  requireStaff(actor, 'announce maintenance');
  return deps.db.transaction(async (tx) => {
    const { ticket, change } = await lockChange(tx, actor, id);
    if (change.type !== 'normal') {
      throw fieldError(
        'unprocessable',
        'type',
        'only a normal change announces maintenance (a standard one is routine, an emergency one is not planned ahead)',
      );
    }
    const stage = changeStage({ state: ticket.state, ...change });
    if (stage !== 'scheduled') throw fieldError('conflict', 'stage', `${ticket.number} is not scheduled: announce it once it is approved`);
    if (change.maintenanceId) throw fieldError('conflict', 'maintenanceId', `${ticket.number} has announced its maintenance already`);
    if (!ticket.serviceId) throw fieldError('unprocessable', 'serviceId', `${ticket.number} names no service to announce`);
    const maintenance = await createMaintenance({ ...deps, db: tx }, actor, {
      title: ticket.title,
      description: ticket.description,
      componentIds: [ticket.serviceId],
      startsAt: change.plannedStart,
      endsAt: change.plannedEnd,
    });
    await saveChange(tx, ticket.id, { maintenanceId: maintenance.id });
    const saved = await record(
      tx,
      actor,
      ticket,
      {},
      [{ type: 'field_changed', internal: true, changes: [{ field: 'maintenanceId', from: null, to: maintenance.id }] }],
      deps.clock.now(),
    );
    return { change: saved, maintenanceId: maintenance.id };
  });
}

function linkEvent(change: TicketRow, target: TicketRow): ChangeEvent {
  return {
    type: 'change_linked',
    internal: true,
    data: { changeId: change.id, changeNumber: change.number, ticketId: target.id, ticketNumber: target.number },
  };
}

export async function getApprovalPolicy(db: Db): Promise<ApprovalPolicy> {
  return (await readSetting<ApprovalPolicy>(db, APPROVAL_POLICY_SETTING)) ?? DEFAULT_APPROVAL_POLICY;
}

export async function setApprovalPolicy(deps: ServiceDeps, policy: ApprovalPolicy): Promise<ApprovalPolicy> {
  await writeSetting(deps.db, APPROVAL_POLICY_SETTING, policy, deps.clock.now());
  return policy;
}

async function lockChange(tx: Tx, actor: Actor, id: string, expectedVersion?: number): Promise<{ ticket: TicketRow; change: ChangeRow }> {
  const ticket = await lockTicketForWrite(tx, actor, id, expectedVersion);
  const change = ticket.kind === 'change' ? await findChange(tx, ticket.id) : undefined;
  if (!change) throw fieldError('unprocessable', 'id', `${ticket.number} is not a change`);
  return { ticket, change };
}

function checkAction(ticket: TicketRow, change: ChangeRow, action: ChangeAction): ChangeStage {
  const stage = changeStage({ state: ticket.state, ...change });
  const refusal = refuseChangeAction(ticket.number, stage, action);
  if (refusal) refuse(refusal);
  return stage;
}

function stageEvent(action: ChangeAction | 'approve' | 'reject', from: ChangeStage, to: ChangeStage): ChangeEvent {
  return { type: 'change_stage_changed', internal: true, data: { action, from, to } };
}

async function record(tx: Tx, actor: Actor, ticket: TicketRow, patch: Partial<NewTicketRow>, events: ChangeEvent[], at: Date) {
  const { ticket: saved } = await applyTicketChange(tx, { before: ticket, patch, actor, at, events });
  return saved;
}

/** A state move asked of the one state machine, recorded with the change's stage event through the pipeline. */
async function move(
  tx: Tx,
  deps: ServiceDeps,
  actor: Actor,
  ticket: TicketRow,
  request: Omit<TransitionRequest, 'actorId'>,
  stage: ChangeEvent,
): Promise<TicketRow> {
  const accepted = expectOk(ticket, applyTransition(snapshotOf(ticket), { ...request, actorId: actor.id }));
  const now = deps.clock.now();
  const patch = transitionPatch(accepted, now);
  const changes = diffFields(ticket, patch, ['state', 'assigneeId', 'resolutionCode']);
  const { action } = accepted;
  const events: ChangeEvent[] = [
    { type: 'state_changed', changes, body: request.resolutionNotes ?? request.reason ?? null, data: { action } },
    stage,
  ];
  return record(tx, actor, ticket, patch, events, now);
}
