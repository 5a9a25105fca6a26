import { type BusinessCalendar, businessTimeBetween } from '../business-calendar.js';

/**
 * The KPI facts a ticket row keeps beside its counters (core/ticket-counts.ts), derived from one
 * change so every writer counts the same way and reports aggregate them in SQL: the business
 * hours to the first staff response and to resolution, and whether an SLA target was breached.
 */
export interface TicketKpiFacts {
  businessAcknowledgeMs: number | null;
  businessResolveMs: number | null;
  slaBreached: boolean;
}

/** The fields the business durations are counted from. */
export interface KpiTimes {
  openedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  slaPolicyId: string | null;
}

/** Business time between two instants in a calendar; without one, round the clock. Never negative. */
export function businessDurationMs(calendar: BusinessCalendar | null, from: Date, to: Date): number {
  return calendar ? businessTimeBetween(calendar, from, to) : Math.max(0, to.getTime() - from.getTime());
}

const same = (a: Date | null | undefined, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Whether a change moved anything the business durations are counted from (so the calendar must be read). */
export function kpiTimesChanged(before: KpiTimes | null, after: KpiTimes): boolean {
  if (before === null) return (after.firstResponseAt ?? null) !== null || (after.resolvedAt ?? null) !== null;
  return (
    !same(before.openedAt, after.openedAt) ||
    !same(before.firstResponseAt, after.firstResponseAt) ||
    !same(before.resolvedAt, after.resolvedAt) ||
    before.slaPolicyId !== after.slaPolicyId
  );
}

/** The business durations of a ticket in the calendar of its SLA policy (null: round the clock). */
export function businessDurationsOf(
  t: KpiTimes,
  calendar: BusinessCalendar | null,
): Pick<TicketKpiFacts, 'businessAcknowledgeMs' | 'businessResolveMs'> {
  return {
    businessAcknowledgeMs: t.firstResponseAt ? businessDurationMs(calendar, t.openedAt, t.firstResponseAt) : null,
    businessResolveMs: t.resolvedAt ? businessDurationMs(calendar, t.openedAt, t.resolvedAt) : null,
  };
}

/** Breached once, breached for good: true when the change records a breach the ticket did not have yet. */
export function breachRecorded(before: { slaBreached: boolean } | null, events: readonly { type: string }[]): boolean {
  return !(before?.slaBreached ?? false) && events.some((e) => e.type === 'sla_breached');
}
