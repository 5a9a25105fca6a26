import { describe, expect, it } from 'vitest';
import { alwaysOpenCalendar } from './business-calendar.js';
import { importedSla, mergeByTime } from './imported-sla.js';

const at = (iso: string) => new Date(`2025-01-06T${iso}:00Z`);
const policy = {
  id: 'p1',
  name: 'P1 incidents',
  firstResponseMinutes: 30,
  resolutionMinutes: 240,
  warnPercent: 80,
  pauseOnHoldReasons: ['awaiting_requester'],
};
const utc = alwaysOpenCalendar('UTC');
const now = new Date('2025-06-01T00:00:00Z');

describe('the SLA result of an imported ticket', () => {
  it('is met or breached from the recorded times, a hold on a pausing reason stopping the clock', () => {
    const resolvedAt = at('15:30');
    const ticket = { state: 'resolved', openedAt: at('10:00'), firstResponseAt: at('10:20'), resolvedAt, closedAt: null };
    const worked = [{ at: at('10:00'), state: 'new', onHoldReason: null }];
    // 5½ hours without a pause: resolution breached at 14:00; first response (20 min) met.
    expect(importedSla(ticket, policy, utc, worked, now)).toEqual({
      dueAt: at('14:00'),
      breaches: [
        {
          at: at('14:00'),
          body: 'Resolution target (240 min, P1 incidents) was breached at 2025-01-06T14:00:00.000Z.',
          data: { target: 'resolution', policyId: 'p1', dueAt: '2025-01-06T14:00:00.000Z', imported: true },
        },
      ],
    });
    // The same with 4½ hours awaiting the requester: met.
    const held = [
      ...worked,
      { at: at('10:30'), state: 'on_hold', onHoldReason: 'awaiting_requester' as const },
      { at: at('15:00'), state: 'in_progress', onHoldReason: null },
    ];
    expect(importedSla(ticket, policy, utc, held, now).breaches).toEqual([]);
    // A breach already noted (an earlier import) is not noted again.
    expect(importedSla(ticket, policy, utc, worked, now, (t) => t === 'resolution').breaches).toEqual([]);
  });

  it('merges notes into the events at their instants, after the events of the same instant', () => {
    const events = [
      { at: at('10:00'), n: 'created' },
      { at: at('14:00'), n: 'assigned' },
      { at: at('20:00'), n: 'resolved' },
    ];
    expect(mergeByTime(events, [{ at: at('14:00'), n: 'breach' }]).map((e) => e.n)).toEqual(['created', 'assigned', 'breach', 'resolved']);
    expect(mergeByTime(events, [{ at: at('21:00'), n: 'late' }]).map((e) => e.n)).toEqual(['created', 'assigned', 'resolved', 'late']);
  });
});
