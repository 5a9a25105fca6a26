import { type KpiPeriod, type KpiTicket, resolvedIn } from './kpi-ticket.js';

/** A share: `count` of `total` tickets; `rate` is null when there is nothing to divide by. */
export interface RateKpi {
  total: number;
  count: number;
  rate: number | null;
}

/** `count` of `total`, with no rate when there is nothing to divide by (what the SQL paths count). */
export function rateFromCounts(total: number, count: number): RateKpi {
  return { total, count, rate: total === 0 ? null : count / total };
}

/** SLA compliance from the numbers of met and breached outcomes. */
export function slaFromCounts(met: number, breached: number): SlaKpi {
  return { ...rateFromCounts(met + breached, met), breached };
}

function rateOf(tickets: readonly KpiTicket[], counts: (t: KpiTicket) => boolean): RateKpi {
  const count = tickets.filter(counts).length;
  return { total: tickets.length, count, rate: tickets.length === 0 ? null : count / tickets.length };
}

/** Resolved at first contact: never reassigned, never reopened, at most one public staff reply. */
export function isFirstContactResolution(t: Pick<KpiTicket, 'reassignmentCount' | 'reopenCount' | 'staffReplyCount'>): boolean {
  return t.reassignmentCount === 0 && t.reopenCount === 0 && t.staffReplyCount <= 1;
}

export function firstContactResolution(period: KpiPeriod, tickets: readonly KpiTicket[]): RateKpi {
  return rateOf(resolvedIn(period, tickets), isFirstContactResolution);
}

export function reassignmentRate(period: KpiPeriod, tickets: readonly KpiTicket[]): RateKpi {
  return rateOf(resolvedIn(period, tickets), (t) => t.reassignmentCount > 0);
}

export function reopenRate(period: KpiPeriod, tickets: readonly KpiTicket[]): RateKpi {
  return rateOf(resolvedIn(period, tickets), (t) => t.reopenCount > 0);
}

/** The SLA outcome of a resolved ticket: none without a policy; otherwise met unless a target was breached. */
export function slaOutcome(t: Pick<KpiTicket, 'slaPolicyId' | 'slaBreached'>): 'met' | 'breached' | 'none' {
  if (t.slaPolicyId === null) return t.slaBreached ? 'breached' : 'none';
  return t.slaBreached ? 'breached' : 'met';
}

export interface SlaKpi extends RateKpi {
  breached: number;
}

/** SLA compliance: `count` met of `total` resolved in the period with an SLA outcome. */
export function slaCompliance(period: KpiPeriod, tickets: readonly KpiTicket[]): SlaKpi {
  const outcomes = resolvedIn(period, tickets)
    .map(slaOutcome)
    .filter((o) => o !== 'none');
  const met = outcomes.filter((o) => o === 'met').length;
  return {
    total: outcomes.length,
    count: met,
    breached: outcomes.length - met,
    rate: outcomes.length === 0 ? null : met / outcomes.length,
  };
}
