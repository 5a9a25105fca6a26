import type { TimelineEventType } from '../vocabulary.js';

/** The part of a timeline event this decision reads. */
export interface TimelineFact {
  type: TimelineEventType;
  actorId: string | null;
  changes?: { field: string; from: unknown; to: unknown }[] | null;
}

const PERSONAL_WORK: readonly TimelineEventType[] = [
  'assigned',
  'state_changed',
  'field_changed',
  'comment',
  'work_note',
  'priority_overridden',
  'escalated',
];

/**
 * Why monitoring must NOT resolve a ticket by itself, or null when it may: a person has worked
 * it (assigned, commented, changed its state or fields), or it has already flapped (the alert
 * fired again after monitoring resolved it once: from then on a person decides, so a flapping
 * alert never resolves and reopens it in a loop). Firebreak's own automatic events (no actor)
 * do not count as a person's work.
 */
export function autoResolveBlocker(events: readonly TimelineFact[], monitoringUserId: string): string | null {
  for (const event of events) {
    if (event.actorId === null) continue;
    if (event.actorId === monitoringUserId) {
      const reopened = event.type === 'state_changed' && event.changes?.some((c) => c.field === 'state' && c.from === 'resolved');
      if (reopened) return 'its alert fired again after it was resolved once (flapping), so a person decides when it is over';
      continue;
    }
    if (PERSONAL_WORK.includes(event.type)) return 'a person has worked on it since it was opened';
  }
  return null;
}

/**
 * Whether a disturbance should be promoted by its rule: more than `count` alert firings
 * recorded on it within the last `minutes`.
 */
export function shouldPromote(firingTimes: readonly Date[], now: Date, rule: { count: number; minutes: number }): boolean {
  const since = now.getTime() - rule.minutes * 60_000;
  return firingTimes.filter((t) => t.getTime() >= since && t.getTime() <= now.getTime()).length > rule.count;
}
