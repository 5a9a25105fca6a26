import type { z } from 'zod';
import { type CannedReplyVariable, formatDueFor, renderCannedReply } from '../../../core/canned-replies.js';
import type { ApplyCannedReply, SaveCannedReply } from '../../../core/contracts/canned-replies.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, isManager, isStaff } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import {
  type CannedReplyRow,
  deleteCannedReply as deleteRow,
  findCannedReply,
  insertCannedReply,
  listCannedRepliesFor,
  updateCannedReply as updateRow,
} from '../repositories/canned-replies.repository.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import { namesByIds } from '../repositories/names.repository.js';
import { findTeamById } from '../repositories/teams.repository.js';
import { findTicketById, type TicketListRow, type TicketRow, viewOfTicketRow } from '../repositories/tickets.repository.js';
import type { TimelineEventRow } from '../repositories/timeline.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { addComment } from './ticket-conversation.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

type SaveInput = z.infer<typeof SaveCannedReply>;

export interface CannedReplyView {
  reply: CannedReplyRow;
  updatedByName: string | null;
  changesSummary: string | null;
}

/** The shared replies and the actor's own; personal replies of others are never listed. */
export async function listCannedReplies(deps: ServiceDeps, actor: Actor): Promise<CannedReplyView[]> {
  const rows = await listCannedRepliesFor(deps.db, actor.id);
  return views(deps.db, rows);
}

export async function getCannedReply(deps: ServiceDeps, actor: Actor, id: string): Promise<CannedReplyView> {
  const [view] = await views(deps.db, [await visibleReply(deps.db, actor, id)]);
  return view;
}

export async function createCannedReply(deps: ServiceDeps, actor: Actor, input: SaveInput): Promise<CannedReplyView> {
  mayKeep(actor, input.scope);
  return deps.db.transaction(async (tx) => {
    const targets = await checkTargets(tx, input.changes);
    const now = deps.clock.now();
    const saved = await insertCannedReply(tx, {
      ...rowOf(input, actor.id, null),
      createdAt: now,
      updatedAt: now,
      updatedById: actor.id,
    });
    return viewOf(saved, await nameOf(tx, actor.id), targets);
  });
}

export async function updateCannedReply(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: SaveInput,
  expectedVersion?: number,
): Promise<CannedReplyView> {
  return deps.db.transaction(async (tx) => {
    const current = await editableReply(tx, actor, id, expectedVersion);
    mayKeep(actor, input.scope);
    const targets = await checkTargets(tx, input.changes);
    const saved = await updateRow(tx, id, current.version, {
      ...rowOf(input, actor.id, current.ownerId),
      updatedAt: deps.clock.now(),
      updatedById: actor.id,
    });
    if (!saved)
      throw new AppError('stale_version', `“${current.name}” was saved by someone else at the same moment. Reload it and try again.`);
    return viewOf(saved, await nameOf(tx, actor.id), targets);
  });
}

export async function removeCannedReply(deps: ServiceDeps, actor: Actor, id: string, expectedVersion?: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await editableReply(tx, actor, id, expectedVersion);
    await deleteRow(tx, id);
  });
}

/** The reply as it would be sent on this ticket, variables filled in. */
export async function previewCannedReply(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  replyId: string,
): Promise<{ body: string; visibility: 'public' | 'internal'; changesSummary: string | null }> {
  const reply = await visibleReply(deps.db, actor, replyId);
  const ticket = await findTicketById(deps.db, ticketId);
  if (!ticket) throw notFound('ticket');
  const [view] = await views(deps.db, [reply]);
  return { body: await renderFor(deps.db, actor, ticket, reply), visibility: reply.visibility, changesSummary: view.changesSummary };
}

/**
 * Sends a canned reply on a ticket and applies its field changes, all in ONE transaction through
 * the ticket-change pipeline (comment, then assignment, then the state move): a refused change
 * (an illegal move, a deactivated assignee) refuses the whole thing, so no reply is posted alone.
 */
export async function applyCannedReply(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  replyId: string,
  input: z.infer<typeof ApplyCannedReply>,
  expectedVersion?: number,
): Promise<{ ticket: TicketListRow; comment: TimelineEventRow }> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can send canned replies');
  return deps.db.transaction(async (tx) => {
    const reply = await visibleReply(tx, actor, replyId);
    const ticket = await lockTicketForWrite(tx, actor, ticketId, expectedVersion);
    const body = input.body ?? (await renderFor(tx, actor, ticket, reply));
    const txDeps = { db: tx, clock: deps.clock };
    const comment = await addComment(txDeps, actor, ticketId, { body, visibility: reply.visibility });
    if (reply.setTeamId || reply.setAssigneeId) {
      await updateTicket(txDeps, actor, ticketId, {
        ...(reply.setTeamId ? { teamId: reply.setTeamId } : {}),
        ...(reply.setAssigneeId ? { assigneeId: reply.setAssigneeId } : {}),
      });
    }
    if (reply.setState) {
      const now = await findTicketById(tx, ticketId);
      if (now && now.state !== reply.setState) {
        await transitionTicket(txDeps, actor, ticketId, {
          to: reply.setState,
          ...(reply.setState === 'on_hold' ? { onHoldReason: reply.onHoldReason ?? undefined } : {}),
          ...(reply.setState === 'resolved' ? { resolutionCode: reply.resolutionCode ?? undefined, resolutionNotes: body } : {}),
        });
      }
    }
    const saved = await findTicketById(tx, ticketId);
    if (!saved) throw notFound('ticket');
    return { ticket: await viewOfTicketRow(tx, saved), comment };
  });
}

async function renderFor(db: Db, actor: Actor, ticket: TicketRow, reply: CannedReplyRow): Promise<string> {
  const [requester, agent, service] = await Promise.all([
    findUserById(db, ticket.requesterId),
    findUserById(db, actor.id),
    ticket.serviceId ? findServiceById(db, ticket.serviceId) : undefined,
  ]);
  const values: Record<CannedReplyVariable, string> = {
    requester_name: requester?.name ?? 'there',
    ticket_number: ticket.number,
    ticket_title: ticket.title,
    service: service?.name ?? 'the service',
    due: formatDueFor(ticket.slaDueAt, requester?.timeZone ?? 'UTC'),
    agent_name: agent?.name ?? 'the service desk',
  };
  return renderCannedReply(reply.body, values);
}

/** Shared replies are the desk's (managers and admins keep them); personal ones their owner's. */
function mayKeep(actor: Actor, scope: SaveInput['scope']): void {
  if (scope === 'shared' && !isManager(actor)) {
    throw new AppError('forbidden', 'only managers and admins keep the shared canned replies; save it as a personal reply instead', {
      errors: [{ field: 'scope', message: 'shared replies are kept by managers and admins' }],
    });
  }
}

/** Another person's personal reply does not exist for the caller (404), whoever they are. */
async function visibleReply(db: Db, actor: Actor, id: string): Promise<CannedReplyRow> {
  const reply = await findCannedReply(db, id);
  if (!reply || (reply.ownerId !== null && reply.ownerId !== actor.id)) throw notFound('canned reply');
  return reply;
}

async function editableReply(db: Db, actor: Actor, id: string, expectedVersion?: number): Promise<CannedReplyRow> {
  const reply = await visibleReply(db, actor, id);
  if (reply.ownerId === null && !isManager(actor)) {
    throw new AppError('forbidden', 'only managers and admins change the shared canned replies');
  }
  if (expectedVersion !== undefined && expectedVersion !== reply.version) {
    const who = reply.updatedById ? await nameOf(db, reply.updatedById) : null;
    throw new AppError(
      'stale_version',
      `“${reply.name}” was saved by ${who ?? 'someone else'} since you loaded it (you have version ${expectedVersion}, it is now at ${reply.version}). Reload it and try again.`,
      { extra: { currentVersion: reply.version, changedBy: who ? { id: reply.updatedById, name: who } : null } },
    );
  }
  return reply;
}

function rowOf(input: SaveInput, actorId: string, currentOwner: string | null) {
  return {
    ownerId: input.scope === 'personal' ? (currentOwner ?? actorId) : null,
    name: input.name,
    body: input.body,
    visibility: input.visibility,
    setState: input.changes.state,
    onHoldReason: input.changes.state === 'on_hold' ? input.changes.onHoldReason : null,
    resolutionCode: input.changes.state === 'resolved' ? input.changes.resolutionCode : null,
    setTeamId: input.changes.teamId,
    setAssigneeId: input.changes.assigneeId,
  };
}

/** The team and assignee a reply names exist (and the assignee is active staff); their names for the summary. */
async function checkTargets(db: Db, changes: SaveInput['changes']): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (changes.teamId) {
    const team = await findTeamById(db, changes.teamId);
    if (!team) throw fieldError('validation_failed', 'changes.teamId', 'is not a team');
    names.set(team.id, team.name);
  }
  if (changes.assigneeId) {
    const user = await findUserById(db, changes.assigneeId);
    if (!user || !isStaff(user) || !user.active) throw fieldError('validation_failed', 'changes.assigneeId', 'is not an active agent');
    names.set(user.id, user.name);
  }
  return names;
}

async function nameOf(db: Db, id: string): Promise<string | null> {
  return (await namesByIds(db, [id])).get(id) ?? null;
}

async function views(db: Db, rows: CannedReplyRow[]): Promise<CannedReplyView[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.updatedById, r.setTeamId, r.setAssigneeId]).filter((x): x is string => !!x))];
  const names = await namesByIds(db, ids);
  return rows.map((r) => viewOf(r, r.updatedById ? (names.get(r.updatedById) ?? null) : null, names));
}

function viewOf(reply: CannedReplyRow, updatedByName: string | null, names: Map<string, string>): CannedReplyView {
  const parts: string[] = [];
  if (reply.setTeamId) parts.push(`assigns team ${names.get(reply.setTeamId) ?? 'a removed team'}`);
  if (reply.setAssigneeId) parts.push(`assigns ${names.get(reply.setAssigneeId) ?? 'a removed person'}`);
  if (reply.setState) parts.push(`sets state ${reply.setState.replace('_', ' ')}`);
  return { reply, updatedByName, changesSummary: parts.length > 0 ? parts.join(', ') : null };
}
