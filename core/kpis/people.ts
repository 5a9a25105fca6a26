import { type KpiPeriod, type KpiTicket, within } from './kpi-ticket.js';

export interface SatisfactionKpi {
  count: number;
  mean: number | null;
  /** Share of ratings of 4 or 5. */
  satisfiedRate: number | null;
  distribution: { rating: number; count: number }[];
}

/** Satisfaction from how many ratings of each value (1–5) were given: what the SQL paths count. */
export function satisfactionFromCounts(countOf: (rating: number) => number): SatisfactionKpi {
  const distribution = [1, 2, 3, 4, 5].map((rating) => ({ rating, count: countOf(rating) }));
  const count = distribution.reduce((s, d) => s + d.count, 0);
  const sum = distribution.reduce((s, d) => s + d.rating * d.count, 0);
  const satisfied = distribution.filter((d) => d.rating >= 4).reduce((s, d) => s + d.count, 0);
  return { count, mean: count === 0 ? null : sum / count, satisfiedRate: count === 0 ? null : satisfied / count, distribution };
}

/** Satisfaction: ratings given in the period. */
export function satisfaction(period: KpiPeriod, tickets: readonly KpiTicket[]): SatisfactionKpi {
  const ratings = tickets.flatMap((t) => (t.rating && within(period, t.rating.answeredAt) ? [t.rating.rating] : []));
  const count = ratings.length;
  return {
    count,
    mean: count === 0 ? null : ratings.reduce((s, r) => s + r, 0) / count,
    satisfiedRate: count === 0 ? null : ratings.filter((r) => r >= 4).length / count,
    distribution: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: ratings.filter((r) => r === rating).length })),
  };
}

export interface MajorIncidentsKpi {
  count: number;
  resolved: number;
  meanTimeToResolveMs: number | null;
  items: {
    id: string;
    number: string;
    title: string;
    priority: number;
    majorSince: Date;
    resolvedAt: Date | null;
    /** Resolved − opened; null while it is not resolved. */
    timeToResolveMs: number | null;
  }[];
}

/** Major incidents declared in the period, latest first, each with its time to resolve. */
export function majorIncidents(period: KpiPeriod, tickets: readonly KpiTicket[]): MajorIncidentsKpi {
  const items = tickets
    .filter((t) => t.kind === 'incident' && within(period, t.majorSince))
    .map((t) => {
      const resolved = (t.state === 'resolved' || t.state === 'closed') && t.resolvedAt !== null;
      return {
        id: t.id,
        number: t.number,
        title: t.title,
        priority: t.priority,
        majorSince: t.majorSince as Date,
        resolvedAt: resolved ? t.resolvedAt : null,
        timeToResolveMs: resolved && t.resolvedAt ? t.resolvedAt.getTime() - t.openedAt.getTime() : null,
      };
    })
    .sort((a, b) => b.majorSince.getTime() - a.majorSince.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const durations = items.flatMap((i) => (i.timeToResolveMs === null ? [] : [i.timeToResolveMs]));
  return {
    count: items.length,
    resolved: durations.length,
    meanTimeToResolveMs: durations.length === 0 ? null : durations.reduce((s, d) => s + d, 0) / durations.length,
    items,
  };
}
