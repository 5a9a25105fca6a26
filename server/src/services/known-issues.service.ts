import { AppError } from '../../../core/errors.js';
import { type Actor, canReadKnownIssue } from '../../../core/permissions.js';
import { servicesThatCanBreak } from '../../../core/service-graph.js';
import type { Db } from '../db/client.js';
import { findServiceById, listDependencyEdges, listServices } from '../repositories/catalog.repository.js';
import { isFollowing } from '../repositories/followers.repository.js';
import { latestPublicComments, listOpenGlobalIncidents, listPublicDeskUpdates } from '../repositories/known-issues.repository.js';
import { latestEdits, listUpdateEdits } from '../repositories/public-update-edits.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';

const MAX_KNOWN_ISSUES = 20;

/**
 * "Is it just me?" — the open incidents of global scope that anyone may see: on the chosen
 * service, its components and what it depends on, or all of them when no service is given.
 * Visible to every signed-in person: a global incident is, by definition, news for many.
 * Only what the desk published is shown: title, state and the latest public update.
 */
export async function listKnownIssues(db: Db, serviceId?: string) {
  let serviceIds: string[] | null = null;
  if (serviceId) {
    const [edges, all] = await Promise.all([listDependencyEdges(db), listServices(db)]);
    serviceIds = servicesThatCanBreak(edges, all, serviceId);
  }
  const issues = await listOpenGlobalIncidents(db, serviceIds, MAX_KNOWN_ISSUES);
  const ids = issues.map((i) => i.id);
  const [updates, edits] = await Promise.all([latestPublicComments(db, ids), listUpdateEdits(db, ids)]);
  const corrected = latestEdits(edits);
  return issues.map((issue) => {
    const u = updates.get(issue.id);
    const edit = u ? corrected.get(u.id) : undefined;
    return { ...issue, latestUpdate: u ? { at: u.at, body: edit?.to ?? u.body, editedAt: edit?.at ?? null } : null };
  });
}

const MAX_UPDATES = 200;

/**
 * A known problem as its followers read it: what the desk published (public updates, the
 * resolution) and nothing a requester wrote or the desk kept internal. Anyone who may not read
 * it gets the same answer as for a ticket that does not exist.
 */
export async function getKnownIssueView(db: Db, actor: Actor, id: string) {
  const ticket = await findTicketById(db, id);
  if (!ticket) throw new AppError('not_found', 'There is no known problem with this link, or it is not shared with you.');
  const following = await isFollowing(db, ticket.id, actor.id);
  if (!canReadKnownIssue(actor, ticket, following))
    throw new AppError('not_found', 'There is no known problem with this link, or it is not shared with you.');
  const service = ticket.serviceId ? await findServiceById(db, ticket.serviceId) : undefined;
  return {
    ticket,
    following,
    service: service ? { id: service.id, name: service.name } : null,
    updates: await withCorrectedWords(db, ticket.id, await listPublicDeskUpdates(db, ticket.id, MAX_UPDATES)),
  };
}

/** The desk's updates as corrected since they were sent (issue 15), with when. */
async function withCorrectedWords(db: Db, ticketId: string, updates: { id: number; at: Date; body: string }[]) {
  const corrected = latestEdits(await listUpdateEdits(db, [ticketId]));
  return updates.map((u) => {
    const edit = corrected.get(u.id);
    return { at: u.at, body: edit?.to ?? u.body, editedAt: edit?.at ?? null };
  });
}
