import { notFound } from '../../../core/errors.js';
import { pageLevels } from '../../../core/paging.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import {
  findEscalationPolicyById,
  findPageById,
  findPagesByIds,
  listPageRecipients,
  listPagesOfTicket,
  type PageRow,
} from '../repositories/on-call.repository.js';
import type { TicketListRow } from '../repositories/tickets.repository.js';
import { findUsersByIds } from '../repositories/users.repository.js';
import { getTicketView } from './ticket-query.service.js';

export interface PagedPerson {
  userId: string;
  name: string;
  level: number;
  round: number;
  pagedAt: Date;
}

/** One step of a page (a level in a round) and the people it reached — none when nobody was reachable. */
export interface PageStepView {
  level: number;
  round: number;
  people: { userId: string; name: string }[];
}

export interface PageView {
  page: PageRow;
  policyName: string | null;
  recipients: PagedPerson[];
  steps: PageStepView[];
  acknowledgedByName: string | null;
  triggeredByName: string | null;
}

/** Pages with the names of whom each step reached, who acknowledged and who paged. */
export async function viewPages(db: Db, rows: PageRow[]): Promise<PageView[]> {
  const recipients = await listPageRecipients(
    db,
    rows.map((p) => p.id),
  );
  const personIds = new Set<string>(recipients.map((r) => r.userId));
  for (const p of rows) {
    if (p.acknowledgedById) personIds.add(p.acknowledgedById);
    if (p.triggeredById) personIds.add(p.triggeredById);
  }
  const names = new Map((await findUsersByIds(db, [...personIds])).map((u) => [u.id, u.name]));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'a former user') : null);
  const policies = new Map<string, Awaited<ReturnType<typeof findEscalationPolicyById>>>();
  for (const id of new Set(rows.map((p) => p.policyId))) if (id) policies.set(id, await findEscalationPolicyById(db, id));
  return rows.map((page) => {
    const mine = recipients
      .filter((r) => r.pageId === page.id)
      .map((r) => ({ userId: r.userId, name: nameOf(r.userId) as string, level: r.level, round: r.round, pagedAt: r.pagedAt }));
    const policy = page.policyId ? (policies.get(page.policyId) ?? null) : null;
    // Every step up to the page's current one was paged; a step with nobody reachable has no rows.
    const levels = Math.max(pageLevels(policy, page.personId).levels.length, page.level + 1);
    const steps: PageStepView[] = [];
    for (let round = 0; round <= page.round; round++) {
      for (let level = 0; level < (round < page.round ? levels : page.level + 1); level++) {
        steps.push({
          level,
          round,
          people: mine.filter((r) => r.level === level && r.round === round).map((r) => ({ userId: r.userId, name: r.name })),
        });
      }
    }
    return {
      page,
      policyName: policy?.name ?? null,
      recipients: mine,
      steps,
      acknowledgedByName: nameOf(page.acknowledgedById),
      triggeredByName: nameOf(page.triggeredById),
    };
  });
}

/** GET /tickets/{id}/pages: every page of a ticket, newest first, naming whom each step reached. */
export async function listTicketPages(db: Db, actor: Actor, ticketId: string): Promise<PageView[]> {
  await getTicketView(db, actor, ticketId);
  return viewPages(db, await listPagesOfTicket(db, ticketId));
}

/** GET /pages/{id}: the acknowledge-first view — the page, whom it reached, and the ticket it is for. */
export async function getPageView(db: Db, actor: Actor, pageId: string): Promise<PageView & { ticket: TicketListRow }> {
  const page = isStaff(actor) ? await findPageById(db, pageId) : undefined;
  if (!page) throw notFound('page');
  const ticket = await getTicketView(db, actor, page.ticketId);
  const [view] = await viewPages(db, [page]);
  return { ...view, ticket };
}

/** The state of each page the bell mentions, so it offers "Acknowledge" only while one runs. */
export async function pageStates(db: Db, pageIds: string[]): Promise<Map<string, PageRow['state']>> {
  return new Map((await findPagesByIds(db, pageIds)).map((p) => [p.id, p.state]));
}
