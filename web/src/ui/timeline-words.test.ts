import { describe, expect, it } from 'vitest';
import type { TimelineEventT } from '../api/types';
import { summary } from './timeline-words';

const event = (e: Partial<TimelineEventT>): TimelineEventT =>
  ({ id: 'e1', type: 'updated', at: '2026-12-01T10:00:00.000Z', actor: null, body: null, data: null, changes: [], ...e }) as TimelineEventT;
const names = new Map<string, string>();

describe('timeline sentences (issue 12, minor)', () => {
  it('shows impact and urgency by their labels, not their numbers', () => {
    const text = summary(event({ changes: [{ field: 'impact', from: 3, to: 2 }] }), names);
    expect(text).toBe('changed impact from Low (one person) to Medium (a team)');
  });

  it('says from what to what the priority was set by hand', () => {
    const text = summary(event({ type: 'priority_overridden', changes: [{ field: 'priority', from: 3, to: 1 }] }), names);
    expect(text).toBe('set the priority by hand from P3 Moderate to P1 Critical');
  });

  it('does not say "from none" for a field that had no value', () => {
    const hold = event({
      changes: [
        { field: 'state', from: 'in_progress', to: 'on_hold' },
        { field: 'onHoldReason', from: null, to: 'awaiting_requester' },
      ],
    });
    expect(summary(hold, names)).toBe('changed state from In progress to On hold, on-hold reason to Waiting for the requester');
    // A requester reads what it means for them.
    expect(summary(hold, names, 'requester')).toBe('put this on hold: it is waiting for your reply');
  });
});
