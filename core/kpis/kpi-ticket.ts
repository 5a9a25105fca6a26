import { DESK_OWN_WORK_KINDS, OPEN_STATES, type TicketKind, type TicketState } from '../vocabulary.js';

/** What the KPIs know of one ticket: the facts the ticket row keeps (counts included) and its rating. */
export interface KpiTicket {
  id: string;
  number: string;
  title: string;
  kind: TicketKind;
  state: TicketState;
  priority: number;
  teamId: string | null;
  serviceId: string | null;
  categoryId: string | null;
  openedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  reassignmentCount: number;
  reopenCount: number;
  staffReplyCount: number;
  /** The SLA policy that applies; null: no target to meet. */
  slaPolicyId: string | null;
  /** Whether any SLA target of the ticket was breached (an `sla_breached` event on its timeline). */
  slaBreached: boolean;
  majorSince: Date | null;
  rating: { rating: number; answeredAt: Date } | null;
}

/** A half-open period [from, to). */
export interface KpiPeriod {
  from: Date;
  to: Date;
}

export function within(period: KpiPeriod, at: Date | null): at is Date {
  return at !== null && at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime();
}

export function isOpen(t: Pick<KpiTicket, 'state'>): boolean {
  return OPEN_STATES.includes(t.state);
}

/** Resolved for the KPIs: resolved or closed after a resolution (a cancelled ticket was not resolved). */
export function isResolved(t: Pick<KpiTicket, 'state' | 'resolvedAt'>): boolean {
  return (t.state === 'resolved' || t.state === 'closed') && t.resolvedAt !== null;
}

export function resolvedIn(period: KpiPeriod, tickets: readonly KpiTicket[]): KpiTicket[] {
  return tickets.filter((t) => isResolved(t) && within(period, t.resolvedAt));
}

/** Which tickets a report looks at. */
export interface KpiFilter {
  /** Null: every team (managers, admins); a list: only those teams' tickets (an agent's own teams). */
  teamIds: string[] | null;
  serviceId?: string;
  /** A category or subcategory. */
  categoryId?: string;
  priority?: number[];
  kind?: TicketKind[];
}

/**
 * Kinds a report leaves out unless it asks for them by name: a problem is the desk's inquiry into
 * a cause, not a disruption anyone reported, so its weeks-long life would skew time to resolve,
 * volumes and SLA compliance of the work the desk is measured on; a change is planned work, whose
 * window and approval wait are not the desk's response times.
 */
export const KINDS_REPORTED_ONLY_BY_NAME: readonly TicketKind[] = DESK_OWN_WORK_KINDS;

export function matchesFilter(f: KpiFilter, t: KpiTicket & { subcategoryId?: string | null }): boolean {
  if (f.teamIds && (t.teamId === null || !f.teamIds.includes(t.teamId))) return false;
  if (f.serviceId && t.serviceId !== f.serviceId) return false;
  if (f.categoryId && t.categoryId !== f.categoryId && t.subcategoryId !== f.categoryId) return false;
  if (f.priority?.length && !f.priority.includes(t.priority)) return false;
  if (f.kind?.length ? !f.kind.includes(t.kind) : KINDS_REPORTED_ONLY_BY_NAME.includes(t.kind)) return false;
  return true;
}
