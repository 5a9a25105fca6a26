import { AppError, fieldError, notFound } from '../../../core/errors.js';
import {
  type ActionItemPriority,
  type ActionItemState,
  dueDateProblem,
  isActionItemOverdue,
  localDate,
  type ReminderKind,
  reminderTimes,
} from '../../../core/incident-review.js';
import { type Actor, canSeeTicket, isManager, isStaff } from '../../../core/permissions.js';
import type { Tx } from '../db/client.js';
import { scheduleJobs } from '../jobs/schedule.js';
import { actionItemReminderJob } from '../jobs/specs/action-item-reminder.job-spec.js';
import {
  type ActionItemRow,
  findActionItem,
  findListedActionItem,
  findReviewOfTicket,
  insertActionItem,
  type ListedActionItem,
  listOpenActionItemsDueBefore,
  listOpenActionItemsOfOwner,
  markReminderSent,
  saveActionItem,
} from '../repositories/reviews.repository.js';
import { findTicketById, lockTicket } from '../repositories/tickets.repository.js';
import { findUserById, type UserRow } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { noteOnIncident } from './major-incident-response.helpers.js';

/**
 * Action items (issue 17 item 2): what a review decided to change, each with an owner and a due
 * date; reminders to the owner two days before and on the day (job `action_item.reminder`, a
 * durable timer per reminder, each sent once), "my action items" and "overdue" lists.
 */

export interface NewActionItem {
  title: string;
  /** Required: the contract lets it be absent so the answer can say so in words. */
  ownerId?: string;
  dueOn: string;
  priority: ActionItemPriority;
  problemId?: string | null;
}

export interface ActionItemPatch {
  title?: string;
  ownerId?: string;
  dueOn?: string;
  priority?: ActionItemPriority;
  state?: ActionItemState;
  problemId?: string | null;
}

/** An action item may feed a problem (issue 17): one that exists and is a problem, or 422 naming problemId. */
async function checkProblem(tx: Tx, problemId: string | null | undefined): Promise<void> {
  if (!problemId) return;
  const problem = await findTicketById(tx, problemId);
  if (problem?.kind !== 'problem') throw fieldError('unprocessable', 'problemId', `no problem has the id ${problemId}`);
}

function refuseUnlessStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff work on action items');
}

/** The owner: an active member of staff (requesters never see reviews). 400 naming the field otherwise. */
async function ownerOf(tx: Tx, ownerId: string): Promise<UserRow> {
  const owner = await findUserById(tx, ownerId);
  if (!owner?.active || owner.role === 'requester') {
    throw fieldError('validation_failed', 'ownerId', 'must be an active member of staff (the person who owns the action)');
  }
  return owner;
}

function checkDueOn(dueOn: string, owner: UserRow, now: Date): void {
  const problem = dueDateProblem(dueOn, now, owner.timeZone);
  if (problem) throw fieldError('validation_failed', 'dueOn', `the due date ${problem} in ${owner.name}'s time zone`);
}

async function scheduleReminders(tx: Tx, item: ActionItemRow, owner: UserRow, now: Date): Promise<void> {
  await scheduleJobs(
    tx,
    actionItemReminderJob,
    reminderTimes(item.dueOn, owner.timeZone, now).map((r) => ({
      payload: { actionItemId: item.id, kind: r.kind, dueOn: item.dueOn },
      runAt: r.at,
    })),
    now,
  );
}

/** Adds an action item to an incident (linked to its review when it has one). */
export async function createActionItem(deps: ServiceDeps, actor: Actor, ticketId: string, input: NewActionItem): Promise<ActionItemRow> {
  refuseUnlessStaff(actor);
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
    if (ticket.kind !== 'incident') throw new AppError('conflict', `${ticket.number} is not an incident: only incidents have action items`);
    const now = deps.clock.now();
    if (!input.ownerId) throw fieldError('validation_failed', 'ownerId', 'is required: every action item has an owner');
    const owner = await ownerOf(tx, input.ownerId);
    checkDueOn(input.dueOn, owner, now);
    await checkProblem(tx, input.problemId);
    const review = await findReviewOfTicket(tx, ticket.id);
    const item = await insertActionItem(tx, {
      ticketId: ticket.id,
      reviewId: review?.id ?? null,
      problemId: input.problemId ?? null,
      title: input.title,
      ownerId: owner.id,
      dueOn: input.dueOn,
      priority: input.priority,
      state: 'open',
      createdAt: now,
      createdById: actor.id,
      updatedAt: now,
      updatedById: actor.id,
    });
    await scheduleReminders(tx, item, owner, now);
    return item;
  });
}

/** Changes an action item; If-Match is its version (412 naming who changed it). A moved due date gets fresh reminders. */
export async function updateActionItem(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: ActionItemPatch,
  expectedVersion: number | undefined,
): Promise<ActionItemRow> {
  refuseUnlessStaff(actor);
  return deps.db.transaction(async (tx) => {
    const found = await findActionItem(tx, id);
    if (!found) throw notFound('action item');
    const ticket = await lockTicket(tx, found.ticketId);
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('action item');
    const item = (await findActionItem(tx, id)) as ActionItemRow;
    if (expectedVersion !== undefined && expectedVersion !== item.version) {
      const who = item.updatedById ? await findUserById(tx, item.updatedById) : undefined;
      throw new AppError(
        'stale_version',
        `The action item was changed by ${who?.name ?? 'someone else'} since you loaded it (you have version ${expectedVersion}, it is now at ${item.version}). Reload it and try again.`,
        { extra: { currentVersion: item.version, changedBy: who ? { id: who.id, name: who.name } : null } },
      );
    }
    await checkProblem(tx, patch.problemId);
    const now = deps.clock.now();
    const ownerChanged = patch.ownerId !== undefined && patch.ownerId !== item.ownerId;
    const dueChanged = patch.dueOn !== undefined && patch.dueOn !== item.dueOn;
    const owner = ownerChanged || dueChanged ? await ownerOf(tx, patch.ownerId ?? item.ownerId) : null;
    if (owner && dueChanged) checkDueOn(patch.dueOn as string, owner, now);
    const saved = (await saveActionItem(
      tx,
      item.id,
      {
        ...patch,
        ...(dueChanged ? { remindedBeforeAt: null, remindedDueAt: null } : {}),
        updatedAt: now,
        updatedById: actor.id,
      },
      item.version,
    )) as ActionItemRow;
    if (owner && (dueChanged || ownerChanged) && saved.state === 'open') await scheduleReminders(tx, saved, owner, now);
    return saved;
  });
}

/** The caller's open action items, soonest due first (overdue flagged). */
export async function listMyActionItems(deps: ServiceDeps, actor: Actor): Promise<ListedActionItem[]> {
  refuseUnlessStaff(actor);
  return listOpenActionItemsOfOwner(deps.db, actor.id, 200);
}

/** Every open action item past its due date (in its owner's time zone): for managers. */
export async function listOverdueActionItems(deps: ServiceDeps, actor: Actor): Promise<ListedActionItem[]> {
  if (!isManager(actor)) throw new AppError('forbidden', 'only managers see everyone’s overdue action items');
  const now = deps.clock.now();
  // Dates east of UTC run up to 14 hours ahead: read up to tomorrow (UTC), then decide per owner.
  const tomorrow = localDate(new Date(now.getTime() + 86_400_000), 'UTC');
  const candidates = await listOpenActionItemsDueBefore(deps.db, tomorrow, 500);
  return candidates.filter((c) => isActionItemOverdue(c.item, now, c.ownerTimeZone));
}

export function isOverdue(listed: ListedActionItem, now: Date): boolean {
  return isActionItemOverdue(listed.item, now, listed.ownerTimeZone);
}

const REMINDER_WORDS: Record<ReminderKind, string> = { before: 'due in two days', due: 'due today' };

/**
 * The reminder timer (job `action_item.reminder`): an item still open and still due on the date
 * the timer was set for reminds its owner once, on the incident's timeline, and the pipeline
 * notifies them in-app and by e-mail. Runs again harmlessly (after a restart, a retry): the
 * mark and the note commit together, and a marked reminder is never sent again.
 */
export async function remindActionItemOwner(
  deps: ServiceDeps,
  payload: { actionItemId: string; kind: ReminderKind; dueOn: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const found = await findActionItem(tx, payload.actionItemId);
    if (!found) return;
    const ticket = await lockTicket(tx, found.ticketId);
    if (!ticket) return;
    const now = deps.clock.now();
    if (!(await markReminderSent(tx, found.id, payload.kind, payload.dueOn, now))) return;
    await noteOnIncident(tx, ticket, null, now, [
      {
        type: 'action_item_reminder',
        body: `Action item ${REMINDER_WORDS[payload.kind]} (${payload.dueOn}): ${found.title}`,
        data: { actionItemId: found.id, ownerId: found.ownerId, kind: payload.kind, dueOn: payload.dueOn },
      },
    ]);
  });
}

/** One action item as lists show it (incident number, owner's name); its incident must be visible to the caller. */
export async function getActionItem(deps: ServiceDeps, actor: Actor, id: string): Promise<ListedActionItem> {
  refuseUnlessStaff(actor);
  const listed = await findListedActionItem(deps.db, id);
  const ticket = listed ? await findTicketById(deps.db, listed.item.ticketId) : undefined;
  if (!listed || !ticket || !canSeeTicket(actor, ticket)) throw notFound('action item');
  return listed;
}
