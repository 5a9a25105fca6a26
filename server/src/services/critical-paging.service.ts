import { fieldError } from '../../../core/errors.js';
import {
  DEFAULT_REQUESTER_P1_PAGING,
  decideAutoPage,
  type RaisedBy,
  type RequesterP1Paging,
  validateRequesterP1Paging,
} from '../../../core/paging.js';
import type { Actor } from '../../../core/permissions.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { heldPageJob } from '../jobs/specs/held-page.job-spec.js';
import { findEscalationPolicyById, findPolicyIdForTicket, listTriggeredPagesOfTicket } from '../repositories/on-call.repository.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import { listHeldPageTickets, markPageHeld, type TicketRow } from '../repositories/tickets.repository.js';
import { appendTimelineEvents } from '../repositories/timeline.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { triggerPage } from './paging.service.js';

/**
 * When a critical incident pages on-call by itself (issue 12): staff-reported and alert-raised
 * P1s at once; a P1 made by a requester's own answers waits — as the admin chose — for a staff
 * member to confirm it (or change it), and with a delay set, pages anyway when that runs out.
 */
const SETTING = 'requester_p1_paging';

export async function getRequesterP1Paging(db: Db): Promise<RequesterP1Paging> {
  return (await readSetting<RequesterP1Paging>(db, SETTING)) ?? DEFAULT_REQUESTER_P1_PAGING;
}

export async function setRequesterP1Paging(deps: ServiceDeps, _actor: Actor, setting: RequesterP1Paging): Promise<RequesterP1Paging> {
  const problems = validateRequesterP1Paging(setting);
  if (problems.length > 0) throw fieldError('validation_failed', problems[0].field, problems[0].message);
  await writeSetting(deps.db, SETTING, setting, deps.clock.now());
  return setting;
}

/**
 * In the transaction of the change that made a ticket P1 (reported as P1, or raised to P1): page
 * its on-call now, or hold the page for a staff member's confirmation. Nothing when a page is
 * already running or no escalation policy covers the ticket.
 */
export async function autoPageIfCritical(
  tx: Tx,
  ticket: TicketRow,
  previousPriority: number | null,
  now: Date,
  raisedBy: RaisedBy = 'staff',
): Promise<void> {
  if (!OPEN_STATES.includes(ticket.state)) return;
  const setting = raisedBy === 'requester' ? await getRequesterP1Paging(tx) : DEFAULT_REQUESTER_P1_PAGING;
  const decision = decideAutoPage(ticket, previousPriority, raisedBy, setting, now);
  if (decision.action === 'none') return;
  if (decision.action === 'page') {
    await pageNow(tx, ticket, `P1 ${ticket.number}: ${ticket.title}`, null, now);
    return;
  }
  if (ticket.pageHeldSince) return;
  await markPageHeld(tx, ticket.id, now);
  ticket.pageHeldSince = now; // the reporter's answer shows the ticket as it was committed
  await appendTimelineEvents(tx, [
    {
      ticketId: ticket.id,
      actorId: null,
      at: now,
      internal: true,
      type: 'page_held',
      body:
        decision.pageAt === null
          ? 'Not paged yet: waiting for a staff member to confirm the priority.'
          : `Not paged yet: waiting for a staff member to confirm the priority; on-call is paged anyway after ${setting.pageAfterMinutes} minutes.`,
      data: { pageAt: decision.pageAt?.toISOString() ?? null },
    },
  ]);
  if (decision.pageAt) {
    await scheduleJob(tx, heldPageJob, { ticketId: ticket.id, heldSince: now.toISOString() }, { runAt: decision.pageAt, now });
  }
}

async function pageNow(tx: Tx, ticket: TicketRow, message: string, actorId: string | null, now: Date): Promise<boolean> {
  const policyId = await findPolicyIdForTicket(tx, ticket);
  if (!policyId) return false;
  if ((await listTriggeredPagesOfTicket(tx, ticket.id)).length > 0) return false;
  const policy = await findEscalationPolicyById(tx, policyId);
  if (!policy) return false;
  await triggerPage(tx, ticket, policy, message, actorId, now);
  return true;
}

/**
 * A staff member settled a held page; the caller saved the ticket with `pageHeldSince: null` in
 * its transaction. Still P1 — they confirmed it, so on-call is paged now; lowered — the hold ends.
 */
export async function pageAfterConfirmation(tx: Tx, saved: TicketRow, actor: Actor, now: Date): Promise<void> {
  if (saved.priority !== 1 || !OPEN_STATES.includes(saved.state)) return;
  const who = await findUserById(tx, actor.id);
  await pageNow(tx, saved, `P1 ${saved.number}: ${saved.title} (priority confirmed by ${who?.name ?? 'staff'})`, actor.id, now);
}

/**
 * Monitoring opened an incident on a service: it corroborates the requesters' P1s held on that
 * service, which are paged now — by a job each, so this transaction locks no other ticket.
 */
export async function corroborateHeldPages(tx: Tx, alertTicket: TicketRow, now: Date): Promise<void> {
  if (alertTicket.channel !== 'alert' || alertTicket.kind !== 'incident' || !alertTicket.serviceId) return;
  for (const held of await listHeldPageTickets(tx, alertTicket.serviceId, 20)) {
    await scheduleJob(
      tx,
      heldPageJob,
      { ticketId: held.id, heldSince: held.pageHeldSince.toISOString(), corroboratedBy: alertTicket.number },
      { runAt: now, now },
    );
  }
}

/**
 * Firebreak released a held page (the held-page timer: the delay ran out, or monitoring
 * corroborated it); the caller saved the ticket with `pageHeldSince: null` in its transaction.
 * Still P1 and open — page as if staff had, saying why it was held.
 */
export async function pageAfterHold(tx: Tx, saved: TicketRow, because: string | undefined, now: Date): Promise<void> {
  if (saved.priority !== 1 || !OPEN_STATES.includes(saved.state)) return;
  await pageNow(tx, saved, `P1 ${saved.number}: ${saved.title}${because ? ` (${because})` : ''}`, null, now);
}
