/**
 * Rules of a major incident's tasks and meetings (issue 14 items 6–7), pure so the API, the
 * overdue timer and the UI agree.
 */

export interface TaskFacts {
  dueAt: Date | null;
  doneAt: Date | null;
  overdueFlaggedAt: Date | null;
}

/** A task not done whose due time has come. */
export function isTaskOverdue(task: TaskFacts, now: Date): boolean {
  return task.doneAt === null && task.dueAt !== null && task.dueAt.getTime() <= now.getTime();
}

/**
 * Whether the overdue timer set for `scheduledDueAt` flags the task now: it is overdue, its due
 * time is still the one the timer was set for (a moved due time has its own timer), and it was
 * not flagged yet for this due time. So each due time flags at most once, however often the
 * timer runs.
 */
export function shouldFlagOverdue(task: TaskFacts, scheduledDueAt: Date, now: Date): boolean {
  return (
    isTaskOverdue(task, now) &&
    task.dueAt?.getTime() === scheduledDueAt.getTime() &&
    (task.overdueFlaggedAt === null || task.overdueFlaggedAt.getTime() < scheduledDueAt.getTime())
  );
}

/** Why a time cannot be a meeting's (or a task's due) time: it is in the past. A minute of grace for clocks and typing. */
export function pastTimeProblem(at: Date, now: Date): string | null {
  return at.getTime() < now.getTime() - 60_000 ? 'is in the past; choose a time from now on' : null;
}

/** The moves of a meeting: start once (not after it ended), end once it started. */
export function meetingMoveProblem(meeting: { startedAt: Date | null; endedAt: Date | null }, action: 'start' | 'end'): string | null {
  if (meeting.endedAt) return 'the meeting has ended';
  if (action === 'start' && meeting.startedAt) return 'the meeting has started already';
  if (action === 'end' && !meeting.startedAt) return 'the meeting has not started yet';
  return null;
}
