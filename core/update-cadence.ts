/**
 * How often the people affected by an incident must hear from the desk (issue 15, seeds 001/002:
 * evaluation points and regular updates). Pure: the timer service asks when the next update is
 * due and whether it is late.
 */

/** Minutes between updates per priority; a priority without one has no cadence. */
export type UpdateIntervals = Partial<Record<1 | 2 | 3 | 4 | 5, number>>;

export const DEFAULT_UPDATE_INTERVALS: UpdateIntervals = { 1: 30, 2: 60 };
/** Minutes after the due time at which a missing update is overdue and the incident manager is told. */
export const DEFAULT_OVERDUE_GRACE_MINUTES = 8;

const MINUTE = 60_000;

/**
 * When the next update is due: one interval after the last update sent, or after the incident
 * became one that needs updates (declared, or raised to a priority with a cadence) when none has
 * been sent since. null: this priority has no cadence, or the incident is no longer open.
 */
export function nextUpdateDue(input: {
  priority: number;
  open: boolean;
  lastUpdateAt: Date | null;
  /** Since when the current cadence applies: declaration, or the priority change that started it. */
  cadenceSince: Date;
  intervals: UpdateIntervals;
}): Date | null {
  if (!input.open) return null;
  const minutes = input.intervals[input.priority as 1 | 2 | 3 | 4 | 5];
  if (!minutes || minutes <= 0) return null;
  const last = input.lastUpdateAt && input.lastUpdateAt > input.cadenceSince ? input.lastUpdateAt : input.cadenceSince;
  return new Date(last.getTime() + minutes * MINUTE);
}

export type UpdateStatus = 'not_due' | 'due' | 'overdue';

export function updateStatus(now: Date, due: Date | null, graceMinutes: number): UpdateStatus {
  if (!due || now < due) return 'not_due';
  return now.getTime() >= due.getTime() + graceMinutes * MINUTE ? 'overdue' : 'due';
}

/** Admin input: whole minutes from 5 to 24 hours per priority. */
export function updateIntervalProblems(intervals: UpdateIntervals): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const [priority, minutes] of Object.entries(intervals)) {
    if (!['1', '2', '3', '4', '5'].includes(priority)) problems.push({ field: priority, message: 'must be a priority from 1 to 5' });
    else if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440)) {
      problems.push({ field: priority, message: 'must be whole minutes from 5 to 1,440 (24 hours)' });
    }
  }
  return problems;
}

/** Which reminder a cadence timer gives: `due` to the communications manager, `overdue` (after the grace) to the incident manager. */
export type ReminderStage = 'due' | 'overdue';

/**
 * Whether a reminder timer set for `dueAt` still has something to say: the incident's next update
 * is still due then (no update sent, no priority change since), and this reminder was not given
 * yet (a timer run twice says it once).
 */
export function reminderToGive(input: {
  stage: ReminderStage;
  dueAt: Date;
  now: Date;
  graceMinutes: number;
  nextDueAt: Date | null;
  /** The due time the last `stage` reminder was given for. */
  lastRemindedFor: Date | null;
}): boolean {
  if (!input.nextDueAt || input.nextDueAt.getTime() !== input.dueAt.getTime()) return false;
  if (input.lastRemindedFor && input.lastRemindedFor.getTime() === input.dueAt.getTime()) return false;
  const status = updateStatus(input.now, input.dueAt, input.graceMinutes);
  return input.stage === 'due' ? status !== 'not_due' : status === 'overdue';
}
