import type { BusinessCalendar } from './business-calendar.js';
import { computeSlaClock, type SlaClockState } from './sla-clock.js';
import { DESK_OWN_WORK_KINDS, type OnHoldReason, type TicketKind } from './vocabulary.js';

/**
 * Which SLA policy applies to a ticket: the first active policy, by position, whose conditions
 * all hold. A condition left out matches everything, so a last policy with no conditions is the
 * catch-all — for the work people report. Problems and changes are matched only by a policy that
 * names their kind: a catch-all's response targets would breach on a weeks-long investigation or
 * a change planned for next month, paging and escalating for nothing.
 */
export interface SlaPolicyMatch {
  priorities?: number[];
  kinds?: TicketKind[];
  serviceIds?: string[];
  organisations?: string[];
}

export interface MatchablePolicy {
  id: string;
  position: number;
  active: boolean;
  match: SlaPolicyMatch;
}

export interface MatchableTicket {
  priority: number;
  kind: TicketKind;
  serviceId: string | null;
  /** The requester's organisation. */
  organisation: string | null;
}

function holds<T>(allowed: T[] | undefined, value: T | null): boolean {
  return allowed === undefined || allowed.length === 0 || (value !== null && allowed.includes(value));
}

function kindHolds(allowed: TicketKind[] | undefined, kind: TicketKind): boolean {
  if (allowed !== undefined && allowed.length > 0) return allowed.includes(kind);
  return !DESK_OWN_WORK_KINDS.includes(kind);
}

export function matchSlaPolicy<P extends MatchablePolicy>(policies: readonly P[], ticket: MatchableTicket): P | null {
  const ordered = [...policies].filter((p) => p.active).sort((a, b) => a.position - b.position);
  return (
    ordered.find(
      (p) =>
        holds(p.match.priorities, ticket.priority) &&
        kindHolds(p.match.kinds, ticket.kind) &&
        holds(p.match.serviceIds, ticket.serviceId) &&
        holds(p.match.organisations, ticket.organisation),
    ) ?? null
  );
}

/** A ticket's history as the SLA clocks need it: each state it entered, when, and why if on hold. */
export interface StateEntry {
  at: Date;
  state: string;
  onHoldReason: OnHoldReason | null;
}

/** A timeline event as the SLA clocks read it. */
export interface StateEvent {
  at: Date;
  type: string;
  changes?: readonly { field: string; from?: unknown; to?: unknown }[] | null;
  data?: Record<string, unknown> | null;
}

/** The state a timeline event puts the ticket in (its creation, a state or hold-reason change); null for any other event. */
export function stateEntryOf(event: StateEvent): StateEntry | null {
  if (event.type === 'created') return { at: event.at, state: String(event.data?.state ?? 'new'), onHoldReason: null };
  const state = event.changes?.find((c) => c.field === 'state');
  const reason = event.changes?.find((c) => c.field === 'onHoldReason');
  // A change of hold reason alone (on_hold → on_hold) may start or end a pause too.
  if (!state && !reason) return null;
  return { at: event.at, state: String(state?.to ?? 'on_hold'), onHoldReason: (reason?.to as OnHoldReason | undefined) ?? null };
}

/**
 * The periods a resolution clock does not run: on hold for a reason the policy pauses on, and
 * resolved (a reopen resumes the clock where it stopped). `to` is null for a period still open.
 */
export function pausesFrom(entries: readonly StateEntry[], pauseReasons: readonly string[]): { from: Date; to: Date | null }[] {
  const pauses: { from: Date; to: Date | null }[] = [];
  let open: Date | null = null;
  for (const entry of entries) {
    const pausing =
      entry.state === 'resolved' ||
      entry.state === 'closed' ||
      (entry.state === 'on_hold' && entry.onHoldReason !== null && pauseReasons.includes(entry.onHoldReason));
    if (pausing && open === null) open = entry.at;
    if (!pausing && open !== null) {
      pauses.push({ from: open, to: entry.at });
      open = null;
    }
  }
  if (open !== null) pauses.push({ from: open, to: null });
  return pauses;
}

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

export interface SlaPolicyTargets {
  id: string;
  name: string;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnPercent: number;
  pauseOnHoldReasons: string[];
}

export interface SlaTicketFacts {
  state: string;
  openedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export interface TicketSlaTarget extends SlaClockState {
  target: SlaTarget;
  policyId: string;
  policyName: string;
  targetMinutes: number;
}

/**
 * The state of each target of the ticket's policy. First response stops when staff first
 * answer; resolution stops when the ticket is resolved (a reopen resumes it, since resolved
 * periods count as paused) or cancelled.
 */
export function computeTicketSla(
  ticket: SlaTicketFacts,
  policy: SlaPolicyTargets,
  calendar: BusinessCalendar,
  entries: readonly StateEntry[],
  now: Date,
): TicketSlaTarget[] {
  const pauses = pausesFrom(entries, policy.pauseOnHoldReasons);
  const warnAtFraction = policy.warnPercent > 0 && policy.warnPercent < 100 ? policy.warnPercent / 100 : null;
  const results: TicketSlaTarget[] = [];
  const add = (target: SlaTarget, minutes: number | null, stoppedAt: Date | null) => {
    if (minutes === null) return;
    const clock = computeSlaClock({
      calendar,
      targetMs: minutes * 60_000,
      warnAtFraction,
      startedAt: ticket.openedAt,
      pauses,
      stoppedAt,
      now,
    });
    results.push({ target, policyId: policy.id, policyName: policy.name, targetMinutes: minutes, ...clock });
  };
  const ended =
    ticket.state === 'resolved' || ticket.state === 'closed' ? ticket.resolvedAt : ticket.state === 'cancelled' ? ticket.closedAt : null;
  add('first_response', policy.firstResponseMinutes, ticket.firstResponseAt ?? (ticket.state === 'cancelled' ? ticket.closedAt : null));
  add('resolution', policy.resolutionMinutes, ended);
  return results;
}

/**
 * The instant a queue sorts and badges a ticket by: the earliest due time of a target whose
 * clock is running or already breached. Met and paused targets do not count; null when none is left.
 */
export function nextSlaDue(targets: readonly Pick<TicketSlaTarget, 'status' | 'dueAt'>[]): Date | null {
  let next: Date | null = null;
  for (const t of targets) {
    if ((t.status !== 'running' && t.status !== 'breached') || !t.dueAt) continue;
    if (!next || t.dueAt.getTime() < next.getTime()) next = t.dueAt;
  }
  return next;
}

/** The timeline note of a warning or breach, in the desk's words (the SLA timer's, and an import's). */
export function slaNoteBody(
  kind: 'warning' | 'breach',
  clock: Pick<TicketSlaTarget, 'target' | 'targetMinutes' | 'policyName' | 'dueAt'>,
): string {
  const label = clock.target === 'first_response' ? 'First response' : 'Resolution';
  return kind === 'warning'
    ? `${label} target (${clock.targetMinutes} min, ${clock.policyName}) is close: due ${clock.dueAt?.toISOString() ?? 'soon'}.`
    : `${label} target (${clock.targetMinutes} min, ${clock.policyName}) was breached at ${clock.dueAt?.toISOString()}.`;
}

/** What an SLA timer records when it fires: a warning or a breach note. */
export type SlaTimerKind = 'warning' | 'breach';

/** The timeline event type of a timer's note. */
export function slaEventTypeOf(kind: SlaTimerKind): 'sla_warning' | 'sla_breached' {
  return kind === 'warning' ? 'sla_warning' : 'sla_breached';
}

/**
 * The clock an SLA timer finds reached: its target's, when that clock still runs (or has run
 * out) and its warning or breach point has come by `now`. Null when the timer is stale — the
 * clock was met, paused or moved since it was set (a new timer was set for the new instant).
 */
export function reachedSlaClock(
  targets: readonly TicketSlaTarget[],
  timer: { target: SlaTarget; kind: SlaTimerKind },
  now: Date,
): TicketSlaTarget | null {
  const clock = targets.find((c) => c.target === timer.target);
  if (!clock || clock.status === 'met' || clock.status === 'paused') return null;
  const reached = timer.kind === 'warning' ? clock.warnAt : clock.dueAt;
  return reached && reached.getTime() <= now.getTime() ? clock : null;
}
