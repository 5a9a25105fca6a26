import { describe, expect, it } from 'vitest';
import { nextSlaDue } from './sla-policy.js';

const at = (iso: string) => new Date(iso);

describe('the SLA instant a queue sorts by', () => {
  it('is the earliest due time among running or breached targets', () => {
    expect(
      nextSlaDue([
        { status: 'running', dueAt: at('2026-03-02T12:00:00Z') },
        { status: 'breached', dueAt: at('2026-03-02T09:00:00Z') },
      ]),
    ).toEqual(at('2026-03-02T09:00:00Z'));
  });

  it('ignores met and paused targets, and is null when nothing is left to meet', () => {
    expect(
      nextSlaDue([
        { status: 'met', dueAt: at('2026-03-02T09:00:00Z') },
        { status: 'paused', dueAt: at('2026-03-02T10:00:00Z') },
        { status: 'running', dueAt: at('2026-03-02T11:00:00Z') },
      ]),
    ).toEqual(at('2026-03-02T11:00:00Z'));
    expect(nextSlaDue([{ status: 'met', dueAt: at('2026-03-02T09:00:00Z') }])).toBeNull();
    expect(nextSlaDue([])).toBeNull();
  });
});
