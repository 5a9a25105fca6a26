import { addBusinessTime, alwaysOpenCalendar, type BusinessCalendar } from '../business-calendar.js';
import type { AutomationRule } from './rules.js';

/**
 * The "idle for N business hours" trigger (issue 18). Activity is a person's public reply or
 * work note: what Firebreak writes itself (a rule's canned reply, a timer's note) is not, so a
 * rule answering an idle ticket does not restart the stretch it answered. Each activity (and the
 * ticket's creation) arms a durable timer per distinct N; the timer finds the ticket still idle
 * only when no activity came after the one that armed it, so a rule fires once per idle stretch.
 */

/** The events that end an idle stretch: a person's reply or work note. */
export function isIdleActivity(event: { type: string; actorId: string | null }): boolean {
  return (event.type === 'comment' || event.type === 'work_note') && event.actorId !== null;
}

/** When a ticket idle since `since` has been idle `hours` business hours, by its SLA calendar (none: round the clock). */
export function idleDueAt(calendar: BusinessCalendar | null, since: Date, hours: number): Date {
  return addBusinessTime(calendar ?? alwaysOpenCalendar(), since, hours * 3_600_000);
}

/** The distinct idle thresholds of the enabled rules: one timer each per idle stretch. */
export function idleThresholds(rules: readonly AutomationRule[]): number[] {
  const hours = rules.flatMap((r) => (r.enabled && r.trigger.on === 'idle' && r.trigger.hours ? [r.trigger.hours] : []));
  return [...new Set(hours)].sort((a, b) => a - b);
}

/** Whether a timer armed at `armedAt` is still the ticket's current one: no activity came since. */
export function stillIdle(lastActivityAt: Date, armedAt: Date): boolean {
  return lastActivityAt.getTime() <= armedAt.getTime();
}
