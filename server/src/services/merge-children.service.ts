import { AppError } from '../../../core/errors.js';
import { knownProblemNotice, refuseMergeOfChildren } from '../../../core/incident-links.js';
import type { Actor } from '../../../core/permissions.js';
import type { Tx } from '../db/client.js';
import { addFollower } from '../repositories/followers.repository.js';
import {
  addAffectedPeople,
  childrenToldOfParent,
  listAffectedPeople,
  listAncestorIds,
  listOpenChildIds,
  lockTicketsInOrder,
} from '../repositories/incident-links.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';

/** A storm's incident can have thousands of reports; a merge moves them all in its one transaction. */
const MOVED_AT_MOST = 100_000;

export interface ChildMove {
  /** The children that move, as the duplicate's and the survivor's timelines name them. */
  moved: { id: string; number: string }[];
}

/**
 * Checks, before anything is written, that the survivor can take the duplicate's open children
 * (409 naming `intoId` otherwise), and answers which they are. Children already resolved or
 * closed stay where they are: their story ended under the duplicate.
 */
export async function planChildMove(tx: Tx, duplicate: TicketRow, survivor: TicketRow): Promise<string[]> {
  const openChildIds = await listOpenChildIds(tx, duplicate.id, null, MOVED_AT_MOST);
  const refusal = refuseMergeOfChildren(duplicate, survivor, await listAncestorIds(tx, survivor.id), openChildIds.length);
  if (refusal) throw new AppError('conflict', refusal.message, { errors: [{ field: refusal.field, message: refusal.message }] });
  return openChildIds;
}

/**
 * Moves a merged duplicate's open children to the survivor (issue 14): each child through the
 * pipeline (its own version and timeline, naming both incidents), its requester told once that
 * the survivor is now the known problem to follow. The duplicate's affected people become the
 * survivor's — *Me too* joiners follow the survivor, since the duplicate will say nothing more.
 * The caller records the move on both incidents' timelines and recounts the survivor.
 */
export async function moveChildrenOnMerge(
  tx: Tx,
  actor: Actor | null,
  duplicate: TicketRow,
  survivor: TicketRow,
  childIds: readonly string[],
  now: Date,
): Promise<ChildMove> {
  const children = await lockTicketsInOrder(tx, childIds);
  const told = await childrenToldOfParent(
    tx,
    children.map((c) => c.id),
    survivor.id,
  );
  for (const child of children) {
    const events: ChangeEvent[] = [
      {
        type: 'field_changed',
        internal: true,
        changes: [{ field: 'parentId', from: duplicate.id, to: survivor.id }],
        data: { parentNumber: survivor.number, movedFromNumber: duplicate.number },
      },
    ];
    if (!told.has(child.id)) {
      events.push({ type: 'comment', body: knownProblemNotice(survivor.number), data: { notice: 'known_problem', parentId: survivor.id } });
    }
    await applyTicketChange(tx, { before: child, patch: { parentId: survivor.id }, actor, at: now, events });
  }
  if (survivor.kind === 'incident') {
    // The moved children's requesters, and whoever joined or was merged into the duplicate;
    // children that stay (final ones) keep counting only where they are.
    const people = (await listAffectedPeople(tx, duplicate.id)).filter((p) => p.via !== 'child');
    await addAffectedPeople(tx, [
      ...children.map((c) => ({ ticketId: survivor.id, userId: c.requesterId, via: 'child' as const, sourceTicketId: c.id, since: now })),
      ...people.map((p) => ({ ...p, ticketId: survivor.id, since: now })),
    ]);
    for (const p of people.filter((p) => p.via === 'me_too')) await addFollower(tx, survivor.id, p.userId, now);
  }
  return { moved: children.map((c) => ({ id: c.id, number: c.number })) };
}
