/**
 * The public status page's rules (issue 15): what state each public component is in, what the
 * page says overall, and how much of each of the last 90 days a component was up. Pure: the
 * service hands in the open incidents, overrides and maintenance windows it read.
 */

/** Statuspage's five component states, best first (the API's spelling, kept for compatibility). */
export const COMPONENT_STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const COMPONENT_STATUS_LABELS: Record<ComponentStatus, string> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

/** The worse of two: an outage outranks maintenance (people need to know the service is down either way). */
export function worstStatus(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return COMPONENT_STATUSES.indexOf(a) >= COMPONENT_STATUSES.indexOf(b) ? a : b;
}

/** What an open incident on a component means for it: a major incident or a P1 is a major outage. */
export interface PublicIncidentFacts {
  priority: number;
  major: boolean;
  kind: 'incident' | 'service_request' | 'disturbance';
}

export function statusFromIncident(incident: PublicIncidentFacts): ComponentStatus {
  if (incident.kind === 'disturbance') return 'degraded_performance';
  if (incident.major || incident.priority === 1) return 'major_outage';
  if (incident.priority === 2) return 'partial_outage';
  return 'degraded_performance';
}

export interface ComponentOverride {
  status: ComponentStatus;
  /** Until when the override holds; after it the incidents decide again. */
  until: Date;
}

/**
 * A component's status now: a manual override while it lasts wins outright (an admin knows
 * better than the ticket data, both ways); otherwise the worst of its open public incidents and
 * any maintenance in progress.
 */
export function componentStatus(input: {
  openIncidents: readonly PublicIncidentFacts[];
  maintenanceInProgress: boolean;
  override: ComponentOverride | null;
  now: Date;
}): ComponentStatus {
  if (input.override && input.override.until.getTime() > input.now.getTime()) return input.override.status;
  let status: ComponentStatus = input.maintenanceInProgress ? 'under_maintenance' : 'operational';
  for (const incident of input.openIncidents) status = worstStatus(status, statusFromIncident(incident));
  return status;
}

/** Statuspage's page indicator and the sentence at the top of the page. */
export type StatusIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export function overallStatus(statuses: readonly ComponentStatus[]): { indicator: StatusIndicator; description: string } {
  const worst = statuses.reduce<ComponentStatus>((w, s) => worstStatus(w, s), 'operational');
  const many = statuses.filter((s) => s === worst).length > 1;
  switch (worst) {
    case 'operational':
      return { indicator: 'none', description: 'All Systems Operational' };
    case 'under_maintenance':
      return { indicator: 'maintenance', description: 'Service Under Maintenance' };
    case 'degraded_performance':
      return { indicator: 'minor', description: many ? 'Partially Degraded Service' : 'Minor Service Outage' };
    case 'partial_outage':
      return { indicator: 'major', description: many ? 'Partial System Outage' : 'Partial Service Outage' };
    case 'major_outage':
      return { indicator: 'critical', description: many ? 'Major System Outage' : 'Major Service Outage' };
  }
}

/** A stretch of time a component spent in one non-operational state (from its incident history). */
export interface OutageInterval {
  status: ComponentStatus;
  from: Date;
  /** null: still going on. */
  until: Date | null;
}

/**
 * How much an outage minute costs a component's uptime: a major outage counts in full, a partial
 * outage 30 % (Statuspage's rule), degraded performance and maintenance not at all. Stated on the
 * page beside the bars.
 */
export const UPTIME_WEIGHT: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 0,
  partial_outage: 0.3,
  major_outage: 1,
};

export const UPTIME_RULE =
  'Uptime counts a major outage in full and a partial outage at 30%; degraded performance and planned maintenance do not count as downtime.';

export interface UptimeDay {
  /** The day's start (UTC midnight). */
  day: Date;
  /** 0…1 of the day up; null for days after now or before the component existed. */
  uptime: number | null;
  /** The worst state seen that day. */
  worst: ComponentStatus;
}

const DAY = 86_400_000;

function startOfUtcDay(at: Date): number {
  return Math.floor(at.getTime() / DAY) * DAY;
}

/**
 * One entry per day for the last `days` days (UTC, oldest first, today last), each the share of
 * the day up by the weights above. Overlapping outages do not count twice: at each instant the
 * worst one applies. Today counts only the time elapsed so far.
 */
export function uptimeByDay(intervals: readonly OutageInterval[], input: { now: Date; days: number; since?: Date }): UptimeDay[] {
  const today = startOfUtcDay(input.now);
  const out: UptimeDay[] = [];
  for (let i = input.days - 1; i >= 0; i -= 1) {
    const dayStart = today - i * DAY;
    const dayEnd = Math.min(dayStart + DAY, input.now.getTime());
    const since = input.since ? input.since.getTime() : Number.NEGATIVE_INFINITY;
    const start = Math.max(dayStart, since);
    if (start >= dayEnd) {
      out.push({ day: new Date(dayStart), uptime: null, worst: 'operational' });
      continue;
    }
    // The moments where the worst state may change, inside the day.
    const cuts = new Set<number>([start, dayEnd]);
    const inDay = intervals.filter((o) => o.from.getTime() < dayEnd && (o.until === null || o.until.getTime() > start));
    for (const o of inDay) {
      cuts.add(Math.max(o.from.getTime(), start));
      cuts.add(Math.min(o.until?.getTime() ?? dayEnd, dayEnd));
    }
    const points = [...cuts].sort((a, b) => a - b);
    let lost = 0;
    let worst: ComponentStatus = 'operational';
    for (let p = 0; p < points.length - 1; p += 1) {
      const mid = (points[p] + points[p + 1]) / 2;
      let here: ComponentStatus = 'operational';
      for (const o of inDay) {
        if (o.from.getTime() <= mid && (o.until === null || o.until.getTime() > mid)) here = worstStatus(here, o.status);
      }
      worst = worstStatus(worst, here);
      lost += (points[p + 1] - points[p]) * UPTIME_WEIGHT[here];
    }
    out.push({ day: new Date(dayStart), uptime: 1 - lost / (dayEnd - start), worst });
  }
  return out;
}

/** The whole period's uptime, weighting each day by the time it covered. */
export function uptimeOverall(days: readonly UptimeDay[], now: Date): number | null {
  let covered = 0;
  let up = 0;
  for (const d of days) {
    if (d.uptime === null) continue;
    const length = Math.min(DAY, now.getTime() - d.day.getTime());
    covered += length;
    up += length * d.uptime;
  }
  return covered === 0 ? null : up / covered;
}

/**
 * The public components an incident on `serviceId` shows on: the service, the services it is a
 * component of (a group shows its worst part), and every service that depends on it, directly or
 * through others (their users feel it), with their parents too.
 */
export function componentsAffectedBy(
  serviceId: string,
  edges: readonly { serviceId: string; dependsOnId: string }[],
  parents: readonly { id: string; parentId: string | null }[],
): Set<string> {
  const parentOf = new Map(parents.map((p) => [p.id, p.parentId]));
  const dependents = new Map<string, string[]>();
  for (const e of edges) dependents.set(e.dependsOnId, [...(dependents.get(e.dependsOnId) ?? []), e.serviceId]);
  const affected = new Set<string>([serviceId]);
  const queue = [serviceId];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    const parent = parentOf.get(current);
    for (const next of [...(parent ? [parent] : []), ...(dependents.get(current) ?? [])]) {
      if (!affected.has(next)) {
        affected.add(next);
        queue.push(next);
      }
    }
  }
  return affected;
}

/** Statuspage's incident impact, from the component status it causes. */
export function impactOf(status: ComponentStatus): 'none' | 'minor' | 'major' | 'critical' {
  switch (status) {
    case 'major_outage':
      return 'critical';
    case 'partial_outage':
      return 'major';
    case 'degraded_performance':
      return 'minor';
    default:
      return 'none';
  }
}

/** What a public update says the incident is doing, in Statuspage's words (and our labels). */
export const PUBLIC_UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type PublicUpdateStatus = (typeof PUBLIC_UPDATE_STATUSES)[number];
export const PUBLIC_UPDATE_STATUS_LABELS: Record<PublicUpdateStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/**
 * The status of one public update: the stage it was written for in the update composer
 * ("Identified", "Monitoring" …) when it names one of Statuspage's; otherwise (a plain public
 * reply, a maintenance-stage text) "resolved" once the incident was resolved when it was
 * written, else "investigating".
 */
export function publicUpdateStatus(input: { stage: string | null; writtenAfterResolution: boolean }): PublicUpdateStatus {
  const stage = PUBLIC_UPDATE_STATUSES.find((s) => s === input.stage);
  return stage ?? (input.writtenAfterResolution ? 'resolved' : 'investigating');
}

/**
 * When the page changes with nobody writing anything: the first manual status in force that
 * ends, else the next UTC midnight (a new day enters the uptime bars). The figures of an outage
 * still open also grow with every second; callers bound how long they let those lag.
 */
export function nextChangeByTime(now: Date, overrideEnds: readonly Date[]): Date {
  let next = startOfUtcDay(now) + DAY;
  for (const end of overrideEnds) if (end.getTime() > now.getTime() && end.getTime() < next) next = end.getTime();
  return new Date(next);
}
