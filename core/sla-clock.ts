import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from './business-calendar.js';

/**
 * One SLA target's clock on one ticket (issue 4): business time counted from when the clock
 * started, not counting the periods it was paused (e.g. on hold awaiting the requester), until
 * it stops (first response given, ticket resolved). Pure: the ticket's history goes in, the
 * clock's state comes out, so it can be recomputed whenever priority, policy or history change.
 */

export const SLA_STATUSES = ['running', 'paused', 'met', 'breached'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

export interface SlaClockInput {
  calendar: BusinessCalendar;
  /** Business time allowed, in ms. */
  targetMs: number;
  /** Fraction of the target at which to warn, e.g. 0.75; null for no warning. */
  warnAtFraction: number | null;
  startedAt: Date;
  /** Periods the clock did not run; `to` null means paused now. Sorted, non-overlapping. */
  pauses: readonly { from: Date; to: Date | null }[];
  /** When the target was achieved (response given, ticket resolved); null while still open. */
  stoppedAt: Date | null;
  now: Date;
}

export interface SlaClockState {
  status: SlaStatus;
  /** Business time counted so far (until stoppedAt, or now). */
  elapsedMs: number;
  /** Business time left before breach; negative once breached. */
  remainingMs: number;
  /**
   * When the target is (or was) breached: the past instant it was crossed, or the projected one
   * if the clock keeps running from now. Null while paused or once met in time.
   */
  dueAt: Date | null;
  /** When the warning threshold is (or was) reached, on the same terms as dueAt. */
  warnAt: Date | null;
}

/** The periods the clock ran, between start and end, with the pauses cut out. */
function runningSegments(input: SlaClockInput, end: number): [number, number][] {
  const segments: [number, number][] = [];
  let cursor = input.startedAt.getTime();
  for (const pause of input.pauses) {
    const from = pause.from.getTime();
    const to = pause.to ? pause.to.getTime() : Number.POSITIVE_INFINITY;
    if (from > cursor) segments.push([cursor, Math.min(from, end)]);
    cursor = Math.max(cursor, to);
    if (cursor >= end) break;
  }
  if (cursor < end) segments.push([cursor, end]);
  return segments.filter(([a, b]) => b > a);
}

/**
 * The instant the clock reaches `thresholdMs` of business time: found in the segments already
 * run, or projected from `now` when the clock is still running. Null when it is not reached and
 * the clock is paused or stopped.
 */
function crossing(
  input: SlaClockInput,
  segments: [number, number][],
  spans: readonly number[],
  thresholdMs: number,
  runningNow: boolean,
): Date | null {
  let counted = 0;
  for (const [i, [a]] of segments.entries()) {
    const span = spans[i];
    if (counted + span >= thresholdMs && span > 0) return addBusinessTime(input.calendar, new Date(a), thresholdMs - counted);
    counted += span;
  }
  return runningNow ? addBusinessTime(input.calendar, input.now, thresholdMs - counted) : null;
}

export function computeSlaClock(input: SlaClockInput): SlaClockState {
  const end = Math.min((input.stoppedAt ?? input.now).getTime(), input.now.getTime());
  const segments = runningSegments(input, end);
  // Each segment's business time, measured once: the elapsed time and both crossings read it
  // (recomputing open tickets' clocks in bulk spends most of its time here).
  const spans = segments.map(([a, b]) => businessTimeBetween(input.calendar, new Date(a), new Date(b)));
  const elapsedMs = spans.reduce((sum, span) => sum + span, 0);
  const remainingMs = input.targetMs - elapsedMs;
  const stopped = input.stoppedAt !== null && input.stoppedAt.getTime() <= input.now.getTime();
  const lastPause = input.pauses[input.pauses.length - 1];
  const paused = !stopped && lastPause !== undefined && lastPause.to === null && lastPause.from.getTime() <= input.now.getTime();
  const runningNow = !stopped && !paused;

  const status: SlaStatus = remainingMs < 0 ? 'breached' : stopped ? 'met' : paused ? 'paused' : 'running';
  const dueAt = crossing(input, segments, spans, input.targetMs, runningNow);
  const warnAt =
    input.warnAtFraction === null ? null : crossing(input, segments, spans, Math.round(input.targetMs * input.warnAtFraction), runningNow);
  return { status, elapsedMs, remainingMs, dueAt: status === 'met' ? null : dueAt, warnAt: status === 'met' ? null : warnAt };
}
