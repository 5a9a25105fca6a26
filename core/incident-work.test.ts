import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTaskOverdue, meetingMoveProblem, pastTimeProblem, shouldFlagOverdue, type TaskFacts } from './incident-work.js';

const t0 = new Date('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('tasks', () => {
  it('is overdue only when not done and its due time has come', () => {
    expect(isTaskOverdue({ dueAt: at(0), doneAt: null, overdueFlaggedAt: null }, at(0))).toBe(true);
    expect(isTaskOverdue({ dueAt: at(1), doneAt: null, overdueFlaggedAt: null }, at(0))).toBe(false);
    expect(isTaskOverdue({ dueAt: at(0), doneAt: at(-1), overdueFlaggedAt: null }, at(5))).toBe(false);
    expect(isTaskOverdue({ dueAt: null, doneAt: null, overdueFlaggedAt: null }, at(5))).toBe(false);
  });

  it('flags each due time at most once, and never a due time the task no longer has', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: -100, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 10 }),
        fc.boolean(),
        (due, scheduled, runs, done) => {
          const task: TaskFacts = { dueAt: at(due), doneAt: done ? at(-200) : null, overdueFlaggedAt: null };
          let flags = 0;
          for (const run of [...runs].sort((a, b) => a - b)) {
            const now = at(scheduled + run);
            if (shouldFlagOverdue(task, at(scheduled), now)) {
              flags += 1;
              task.overdueFlaggedAt = now;
            }
          }
          expect(flags).toBeLessThanOrEqual(1);
          if (due !== scheduled || done) expect(flags).toBe(0);
        },
      ),
    );
  });
});

describe('meetings', () => {
  it('refuses a time in the past (a minute of grace), accepts now and later', () => {
    expect(pastTimeProblem(at(-2), at(0))).toMatch(/past/);
    expect(pastTimeProblem(at(0), at(0))).toBeNull();
    expect(pastTimeProblem(at(30), at(0))).toBeNull();
  });

  it('starts once, ends once started, and nothing after the end', () => {
    expect(meetingMoveProblem({ startedAt: null, endedAt: null }, 'start')).toBeNull();
    expect(meetingMoveProblem({ startedAt: null, endedAt: null }, 'end')).toMatch(/not started/);
    expect(meetingMoveProblem({ startedAt: at(0), endedAt: null }, 'start')).toMatch(/started already/);
    expect(meetingMoveProblem({ startedAt: at(0), endedAt: null }, 'end')).toBeNull();
    expect(meetingMoveProblem({ startedAt: at(0), endedAt: at(5) }, 'end')).toMatch(/ended/);
  });
});
