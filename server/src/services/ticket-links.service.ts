import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { knownProblemNotice, mergedNotice, refuseLink, refuseMerge } from '../../../core/incident-links.js';
import { type Actor, canReadKnownIssue, canSeeTicket, isStaff } from '../../../core/permissions.js';
import { FINAL_STATES } from '../../../core/ticket-state-machine.js';
import type { Tx } from '../db/client.js';
import { addFollower, isFollowing } from '../repositories/followers.repository.js';
import {
  addAffectedPeople,
  addAffectedPerson,
  childrenToldOfParent,
  countChildren,
  findTicketByNumber,
  findTicketsByIds,
  isAffected,
  listAncestorIds,
  listChildren,
  lockTicketsInOrder,
  removeAffectedBySource,
} from '../repositories/incident-links.repository.js';
import { findTicketById, lockTicket, type NewTicketRow, type TicketRow } from '../repositories/tickets.repository.js';
import { affectedCountChange, recordAffectedPeopleChange } from './affected-people.service.js';
import type { ServiceDeps } from './deps.js';
import { moveChildrenOnMerge, planChildMove } from './merge-children.service.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

/** At most this many children in one request (a storm links in several). */
export const MAX_LINK_BATCH = 500;
const CHILDREN_SHOWN = 200;

function requireStaff(actor: Actor | null, what: string): void {
  if (actor && !isStaff(actor)) throw new AppError('forbidden', `only service-desk staff can ${what}`);
}

/**
 * Links tickets as children of an incident, in one transaction (a savepoint when `deps.db` is a
 * caller's transaction, as the storm proposal's). Every child is checked first (self, cycle,
 * not an incident, final, a child of another incident): one refusal and nothing changes. Each
 * child's requester is told once per parent, with a public comment on their ticket, that it is a
 * known problem; they count as affected. Children linked already are left as they are.
 */
export async function linkChildTickets(
  deps: ServiceDeps,
  actor: Actor | null,
  parentId: string,
  childIds: readonly string[],
  expectedVersion?: number,
): Promise<{ parent: TicketRow; linked: string[] }> {
  requireStaff(actor, 'link tickets to an incident');
  const ids = [...new Set(childIds)];
  if (ids.length === 0) throw fieldError('validation_failed', 'ticketIds', 'name at least one ticket to link');
  if (ids.length > MAX_LINK_BATCH) throw fieldError('validation_failed', 'ticketIds', `link at most ${MAX_LINK_BATCH} tickets at once`);
  return deps.db.transaction(async (tx) => {
    const parent = await lockParent(tx, actor, parentId, expectedVersion);
    const ancestors = await listAncestorIds(tx, parent.id);
    // Locked in id order, so two links over the same tickets queue up instead of deadlocking.
    const children = await lockTicketsInOrder(tx, ids);
    const missing = ids.find((id) => !children.some((c) => c.id === id));
    if (missing) throw fieldError('unprocessable', 'ticketIds', `no ticket has the id ${missing}`);
    for (const child of children) {
      const refusal = refuseLink(parent, child, ancestors);
      if (refusal) throw fieldError(refusal.status, refusal.field, refusal.message);
      if (child.parentId !== null && child.parentId !== parent.id) {
        const other = await findTicketById(tx, child.parentId);
        throw fieldError(
          'conflict',
          'ticketIds',
          `${child.number} is a child of ${other?.number ?? 'another incident'} already: unlink it there first`,
        );
      }
    }
    const now = deps.clock.now();
    const linked = children.filter((c) => c.parentId !== parent.id);
    const told = await childrenToldOfParent(
      tx,
      linked.map((c) => c.id),
      parent.id,
    );
    // Each child through the pipeline: its own version, timeline and follow-ups (the notice is notified).
    for (const child of linked) {
      const events: ChangeEvent[] = [
        {
          type: 'field_changed',
          internal: true,
          changes: [{ field: 'parentId', from: null, to: parent.id }],
          data: { parentNumber: parent.number },
        },
      ];
      if (!told.has(child.id)) {
        events.push({ type: 'comment', body: knownProblemNotice(parent.number), data: { notice: 'known_problem', parentId: parent.id } });
      }
      await applyTicketChange(tx, { before: child, patch: { parentId: parent.id }, actor, at: now, events });
    }
    await addAffectedPeople(
      tx,
      linked.map((child) => ({
        ticketId: parent.id,
        userId: child.requesterId,
        via: 'child' as const,
        sourceTicketId: child.id,
        since: now,
      })),
    );
    if (linked.length === 0) return { parent, linked: [] };
    const affected = await affectedCountChange(tx, parent);
    const { ticket } = await applyTicketChange(tx, {
      before: parent,
      patch: affected.patch,
      actor,
      at: now,
      events: [
        { type: 'children_changed', internal: true, data: { linked: linked.map((c) => ({ id: c.id, number: c.number })) } },
        ...affected.events,
      ],
    });
    return { parent: ticket, linked: linked.map((c) => c.id) };
  });
}

/** Unlinks a child: it no longer follows the incident's resolution; its requester no longer counts as affected through it. */
export async function unlinkChildTicket(
  deps: ServiceDeps,
  actor: Actor,
  parentId: string,
  childId: string,
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'unlink tickets from an incident');
  return deps.db.transaction(async (tx) => {
    const parent = await lockParent(tx, actor, parentId, expectedVersion);
    const child = await lockTicket(tx, childId);
    if (!child || child.parentId !== parent.id) throw notFound('child ticket');
    const now = deps.clock.now();
    await applyTicketChange(tx, {
      before: child,
      patch: { parentId: null },
      actor,
      at: now,
      events: [
        {
          type: 'field_changed',
          internal: true,
          changes: [{ field: 'parentId', from: parent.id, to: null }],
          data: { parentNumber: parent.number },
        },
      ],
    });
    await removeAffectedBySource(tx, parent.id, child.id);
    // Impact is never lowered by the rule: only the count follows.
    const affected = await affectedCountChange(tx, parent);
    const { ticket } = await applyTicketChange(tx, {
      before: parent,
      patch: affected.patch,
      actor,
      at: now,
      events: [
        { type: 'children_changed', internal: true, data: { unlinked: [{ id: child.id, number: child.number }] } },
        ...affected.events,
      ],
    });
    return ticket;
  });
}

/**
 * Merges a duplicate into a surviving ticket: the duplicate closes with code `duplicate` and
 * points to the survivor (its conversation stays readable), its requester follows the survivor
 * and, for an incident, counts as affected. Merging a ticket that is not open, into itself or
 * into a final ticket is a 409 and nothing changes.
 */
export async function mergeTicket(
  deps: ServiceDeps,
  actor: Actor,
  duplicateId: string,
  intoId: string,
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'merge tickets');
  return deps.db.transaction(async (tx) => {
    const duplicate = await lockTicketForWrite(tx, actor, duplicateId, expectedVersion);
    const survivor = intoId === duplicateId ? duplicate : await lockTicket(tx, intoId);
    if (!survivor) throw fieldError('unprocessable', 'intoId', `no ticket has the id ${intoId}`);
    const refusal = refuseMerge(duplicate, survivor);
    if (refusal) throw new AppError('conflict', refusal.message, { errors: [{ field: refusal.field, message: refusal.message }] });
    const childIds = await planChildMove(tx, duplicate, survivor);
    const now = deps.clock.now();
    const notes = `Merged into ${survivor.number}.`;
    const patch: Partial<NewTicketRow> = {
      state: 'closed',
      resolutionCode: 'duplicate',
      resolutionNotes: notes,
      resolvedAt: duplicate.resolvedAt ?? now,
      closedAt: now,
      mergedIntoId: survivor.id,
      parentId: null,
    };
    const { ticket: closed } = await applyTicketChange(tx, {
      before: duplicate,
      patch,
      actor,
      at: now,
      events: [
        {
          type: 'state_changed',
          changes: [
            { field: 'state', from: duplicate.state, to: 'closed' },
            { field: 'resolutionCode', from: duplicate.resolutionCode, to: 'duplicate' },
          ],
          body: notes,
          data: { action: 'merge', intoId: survivor.id, intoNumber: survivor.number },
        },
        { type: 'merged', data: { intoId: survivor.id, intoNumber: survivor.number } },
        { type: 'comment', body: mergedNotice(survivor.number), data: { notice: 'merged', intoId: survivor.id } },
      ],
    });
    const { moved } = await moveChildrenOnMerge(tx, actor, duplicate, survivor, childIds, now);
    if (moved.length > 0) {
      await applyTicketChange(tx, {
        before: closed,
        patch: {},
        bumpsVersion: false,
        actor,
        at: now,
        events: [
          { type: 'children_changed', internal: true, data: { unlinked: moved, movedTo: { id: survivor.id, number: survivor.number } } },
        ],
      });
    }
    if (duplicate.parentId) await removeAffectedBySource(tx, duplicate.parentId, duplicate.id);
    await addFollower(tx, survivor.id, duplicate.requesterId, now);
    const survivorEvents: ChangeEvent[] = [
      { type: 'merged', internal: true, data: { fromId: duplicate.id, fromNumber: duplicate.number } },
    ];
    if (moved.length > 0) {
      survivorEvents.push({
        type: 'children_changed',
        internal: true,
        data: { linked: moved, movedFrom: { id: duplicate.id, number: duplicate.number } },
      });
    }
    let survivorPatch: Partial<NewTicketRow> = {};
    const requesterJoins = duplicate.requesterId !== survivor.requesterId;
    if (survivor.kind === 'incident' && (requesterJoins || moved.length > 0)) {
      if (requesterJoins) {
        await addAffectedPerson(tx, {
          ticketId: survivor.id,
          userId: duplicate.requesterId,
          via: 'merge',
          sourceTicketId: duplicate.id,
          since: now,
        });
      }
      const affected = await affectedCountChange(tx, survivor);
      survivorPatch = affected.patch;
      survivorEvents.push(...affected.events);
    }
    await applyTicketChange(tx, { before: survivor, patch: survivorPatch, actor, at: now, events: survivorEvents });
    return closed;
  });
}

/**
 * *Me too* on a known problem: the person joins as affected and follows it — never a new ticket.
 * Pressing it again changes nothing. Anyone who may read the known problem (an open global
 * incident) may join; staff may add themselves to any open incident.
 */
export async function joinAsAffected(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<{ ticket: TicketRow; joined: boolean }> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    const following = ticket ? await isFollowing(tx, ticket.id, actor.id) : false;
    const readable = ticket && (isStaff(actor) ? ticket.kind === 'incident' : canReadKnownIssue(actor, ticket, following));
    if (!ticket || !readable) throw new AppError('not_found', 'There is no known problem with this link, or it is not shared with you.');
    if (FINAL_STATES.includes(ticket.state) || ticket.state === 'resolved') {
      throw new AppError('conflict', `${ticket.number} is ${ticket.state}: the problem is fixed, nobody can join it any more`);
    }
    const now = deps.clock.now();
    await addFollower(tx, ticket.id, actor.id, now);
    const joined = await addAffectedPerson(tx, { ticketId: ticket.id, userId: actor.id, via: 'me_too', sourceTicketId: null, since: now });
    if (!joined) return { ticket, joined };
    const saved = await recordAffectedPeopleChange(tx, ticket, actor, now, [
      { type: 'affected_added', internal: true, data: { via: 'me_too', userId: actor.id } },
    ]);
    return { ticket: saved, joined };
  });
}

/** What the ticket page shows of a ticket's links; requesters see only their own ticket's parent and survivor. */
export async function getTicketLinks(deps: ServiceDeps, actor: Actor, ticketId: string) {
  const ticket = await findTicketById(deps.db, ticketId);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  const [related, children, counts, affected] = await Promise.all([
    findTicketsByIds(
      deps.db,
      [ticket.parentId, ticket.mergedIntoId].filter((id): id is string => id !== null),
    ),
    isStaff(actor) ? listChildren(deps.db, ticket.id, CHILDREN_SHOWN) : Promise.resolve([]),
    countChildren(deps.db, ticket.id),
    isAffected(deps.db, ticket.id, actor.id),
  ]);
  const brief = (id: string | null) => {
    const t = id ? related.find((r) => r.id === id) : undefined;
    return t ? { id: t.id, number: t.number, title: t.title, state: t.state, scope: t.scope } : null;
  };
  return {
    ticket,
    parent: brief(ticket.parentId),
    mergedInto: brief(ticket.mergedIntoId),
    children,
    childCount: counts,
    youAreAffected: affected,
  };
}

/** A ticket by its number, for linking by number from the desk. */
export async function findTicketIdByNumber(deps: ServiceDeps, number: string): Promise<string> {
  const ticket = await findTicketByNumber(deps.db, number);
  if (!ticket) throw fieldError('unprocessable', 'number', `no ticket has the number ${number}`);
  return ticket.id;
}

async function lockParent(tx: Tx, actor: Actor | null, parentId: string, expectedVersion?: number): Promise<TicketRow> {
  if (actor) return lockTicketForWrite(tx, actor, parentId, expectedVersion);
  const parent = await lockTicket(tx, parentId);
  if (!parent) throw notFound('ticket');
  return parent;
}
