import type { Actor } from '../../../core/permissions.js';
import { type TicketListRow, type TicketRow, viewOfTicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { promoteDisturbance } from './disturbances.service.js';
import { escalateTicket } from './escalation.service.js';
import { assignFairly } from './fair-assignment.service.js';
import { confirmHeldPage } from './held-page-confirmation.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';

/**
 * The ticket write routes' use cases: each makes its change (one transaction, through the
 * pipeline) and answers the ticket as the route presents it — the row the pipeline committed
 * with its names, read in one round trip after commit instead of reading the ticket again.
 * Other callers (promotion, e-mail, the demo, jobs) use the write services themselves.
 */
async function shown(deps: ServiceDeps, saved: TicketRow): Promise<TicketListRow> {
  return viewOfTicketRow(deps.db, saved);
}

export async function reportTicketView(
  deps: ServiceDeps,
  actor: Actor,
  ...rest: Tail<typeof reportTicket>
): Promise<{ view: TicketListRow; replayed: boolean }> {
  const { ticket, replayed } = await reportTicket(deps, actor, ...rest);
  return { view: await shown(deps, ticket), replayed };
}

export async function updateTicketView(deps: ServiceDeps, actor: Actor, ...rest: Tail<typeof updateTicket>): Promise<TicketListRow> {
  return shown(deps, await updateTicket(deps, actor, ...rest));
}

export async function transitionTicketView(
  deps: ServiceDeps,
  actor: Actor,
  ...rest: Tail<typeof transitionTicket>
): Promise<TicketListRow> {
  return shown(deps, await transitionTicket(deps, actor, ...rest));
}

export async function escalateTicketView(deps: ServiceDeps, actor: Actor, ...rest: Tail<typeof escalateTicket>): Promise<TicketListRow> {
  return shown(deps, await escalateTicket(deps, actor, ...rest));
}

export async function confirmHeldPageView(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<TicketListRow> {
  return shown(deps, await confirmHeldPage(deps, actor, ticketId));
}

/** Fair assignment answers the ticket and the reason (who took it, or why nobody could). */
export async function assignFairlyView(
  deps: ServiceDeps,
  actor: Actor,
  ...rest: Tail<typeof assignFairly>
): Promise<{ view: TicketListRow; assigneeId: string | null; reason: string }> {
  const { ticket, assigneeId, reason } = await assignFairly(deps, actor, ...rest);
  return { view: await shown(deps, ticket), assigneeId, reason };
}

/** Promotion answers the new incident. */
export async function promoteDisturbanceView(
  deps: ServiceDeps,
  actor: Actor,
  ...rest: Tail<typeof promoteDisturbance>
): Promise<TicketListRow> {
  const { incident } = await promoteDisturbance(deps, actor, ...rest);
  return shown(deps, incident);
}

/** A write service's arguments after (deps, actor). */
type Tail<F> = F extends (deps: ServiceDeps, actor: Actor, ...rest: infer R) => unknown ? R : never;
