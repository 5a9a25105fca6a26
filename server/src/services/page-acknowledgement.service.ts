import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { hasRoleAtLeast } from '../../../core/vocabulary.js';
import { findPageById, lockPage, type PageRow, savePage, wasPaged } from '../repositories/on-call.repository.js';
import { findTicketById, lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import { appendTimelineEvents } from '../repositories/timeline.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { type PageView, viewPages } from './page-views.service.js';
import { verifyPageAckToken } from './signed-links.service.js';
import { updateTicket } from './ticket-work.service.js';

// Acknowledging a page takes the ticket through the ticket service (the pipeline), so it lives
// apart from paging itself, which the pipeline calls: no import cycle between them.

/** What acknowledging did to the ticket's assignment: took it, or left it with the person who has it. */
export type AckAssignment = { outcome: 'assigned' } | { outcome: 'already_assigned'; assigneeName: string };

/**
 * Stops the page (the pending timer will find it acknowledged) and, when the ticket has no
 * assignee, makes the acknowledger its assignee through the ticket service — the state machine,
 * timeline, SLA first response and notifications follow — in the same transaction. Someone
 * already assigned keeps the ticket, and the timeline says so. Repeating it changes nothing.
 */
export async function acknowledgePage(
  deps: ServiceDeps,
  actor: Actor,
  pageId: string,
): Promise<{ page: PageRow; view: PageView; assignment: AckAssignment | null }> {
  return deps.db.transaction(async (tx) => {
    const found = await findPageById(tx, pageId);
    if (!found || !isStaff(actor)) throw notFound('page');
    const ticket = await lockTicket(tx, found.ticketId);
    const page = (await lockPage(tx, pageId)) as PageRow;
    if (!ticket) throw notFound('page');
    if (!(await wasPaged(tx, pageId, actor.id)) && !hasRoleAtLeast(actor.role, 'manager')) {
      throw new AppError('forbidden', 'only a person who was paged (or a manager) can acknowledge this page');
    }
    if (page.state === 'acknowledged') return { page, view: (await viewPages(tx, [page]))[0], assignment: null };
    if (page.state !== 'triggered') {
      throw new AppError('illegal_transition', `the page is already ${page.state}`, { extra: { allowed: [] } });
    }
    const now = deps.clock.now();
    const saved = await savePage(tx, pageId, { state: 'acknowledged', acknowledgedAt: now, acknowledgedById: actor.id, endedAt: now });
    const assignee = ticket.assigneeId ? await findUserById(tx, ticket.assigneeId) : undefined;
    const assignment: AckAssignment = assignee ? { outcome: 'already_assigned', assigneeName: assignee.name } : { outcome: 'assigned' };
    await appendTimelineEvents(tx, [
      {
        ticketId: ticket.id,
        actorId: actor.id,
        at: now,
        internal: true,
        type: 'page_acknowledged',
        body:
          assignment.outcome === 'assigned'
            ? 'Acknowledged the page and took the ticket: nobody was assigned.'
            : `Acknowledged the page; ${assignment.assigneeName} stays the assignee.`,
        data: { pageId, level: page.level, round: page.round, assignment: assignment.outcome },
      },
    ]);
    if (assignment.outcome === 'assigned') {
      await updateTicket({ db: tx, clock: deps.clock }, actor, ticket.id, { assigneeId: actor.id });
    }
    return { page: saved, view: (await viewPages(tx, [saved]))[0], assignment };
  });
}

/** Acknowledges with the signed token from a page e-mail, as the person it was sent to. */
export async function acknowledgePageByToken(
  deps: ServiceDeps,
  token: string,
): Promise<{ view: PageView; ticket: TicketRow; assignment: AckAssignment | null }> {
  const claims = await verifyPageAckToken(deps.db, token, deps.clock.now());
  if (!claims) throw fieldError('validation_failed', 'token', 'this link is not valid or has expired; acknowledge in Firebreak instead');
  const user = await findUserById(deps.db, claims.userId);
  if (!user?.active) throw fieldError('validation_failed', 'token', 'this link is not valid any more');
  const { page, view, assignment } = await acknowledgePage(deps, { id: user.id, role: user.role }, claims.subject);
  const ticket = (await findTicketById(deps.db, page.ticketId)) as TicketRow;
  return { view, ticket, assignment };
}

/** What the confirmation page shows before the button is pressed; changes nothing. */
export async function describePageAckToken(deps: ServiceDeps, token: string): Promise<{ page: PageRow; ticket: TicketRow } | null> {
  const claims = await verifyPageAckToken(deps.db, token, deps.clock.now());
  if (!claims) return null;
  const page = await findPageById(deps.db, claims.subject);
  if (!page) return null;
  const ticket = await findTicketById(deps.db, page.ticketId);
  return ticket ? { page, ticket } : null;
}
