import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessTimeBetween, weekdayCalendar } from '../business-calendar.js';
import { type AutomationChange, type AutomationTicket, ruleFires } from './evaluate.js';
import { idleDueAt, idleThresholds, isIdleActivity, stillIdle } from './idle.js';
import type { AutomationRule } from './rules.js';

const office = weekdayCalendar('Europe/Berlin', [{ start: 9 * 60, end: 17 * 60 }]);
const ticket: AutomationTicket = {
  kind: 'incident',
  state: 'assigned',
  priority: 3,
  impact: 2,
  urgency: 2,
  serviceId: null,
  categoryId: null,
  teamId: null,
  assigneeId: 'ann',
  channel: 'portal',
  requesterId: 'rita',
  title: 'Printer',
  description: null,
};
const idleRule = (hours: number, over: Partial<AutomationRule> = {}): AutomationRule => ({
  id: `idle-${hours}`,
  name: `Idle ${hours}`,
  enabled: true,
  stopAfterMatch: false,
  trigger: { on: 'idle', hours },
  conditions: [],
  actions: [{ type: 'notify', userIds: ['lead'] }],
  ...over,
});

describe('idle for N business hours', () => {
  it('is ended by a person’s reply or work note, not by what Firebreak writes or by other events', () => {
    expect(isIdleActivity({ type: 'comment', actorId: 'rita' })).toBe(true);
    expect(isIdleActivity({ type: 'work_note', actorId: 'ann' })).toBe(true);
    expect(isIdleActivity({ type: 'comment', actorId: null })).toBe(false);
    expect(isIdleActivity({ type: 'assigned', actorId: 'ann' })).toBe(false);
  });

  it('falls due after that many working hours of the calendar, round the clock without one', () => {
    // Monday 16:00 Berlin + 4 business hours = Tuesday 12:00 Berlin.
    expect(idleDueAt(office, new Date('2026-03-02T15:00:00Z'), 4).toISOString()).toBe('2026-03-03T11:00:00.000Z');
    expect(idleDueAt(null, new Date('2026-03-02T15:00:00Z'), 4).toISOString()).toBe('2026-03-02T19:00:00.000Z');
  });

  it('always lies exactly N business hours after the activity', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 100 }),
        (since, hours) => {
          const due = idleDueAt(office, since, hours);
          expect(due.getTime()).toBeGreaterThanOrEqual(since.getTime() + hours * 3_600_000);
          expect(businessTimeBetween(office, since, due)).toBe(hours * 3_600_000);
        },
      ),
      { examples: [[new Date('2026-03-06T16:30:00Z'), 1]] },
    );
  });

  it('arms one timer per distinct threshold of the enabled idle rules', () => {
    expect(
      idleThresholds([
        idleRule(8),
        idleRule(4),
        idleRule(8),
        idleRule(2, { enabled: false }),
        { ...idleRule(1), trigger: { on: 'created' } },
      ]),
    ).toEqual([4, 8]);
  });

  it('a timer is current only while no activity came after the one that armed it', () => {
    const armed = new Date('2026-03-02T10:00:00Z');
    expect(stillIdle(armed, armed)).toBe(true);
    expect(stillIdle(new Date('2026-03-02T09:00:00Z'), armed)).toBe(true);
    expect(stillIdle(new Date('2026-03-02T10:00:01Z'), armed)).toBe(false);
  });

  it('an idle timer sets off only idle rules of its hours; a real change never sets off an idle rule', () => {
    const timer = (hours: number): AutomationChange => ({
      before: ticket,
      after: ticket,
      events: [],
      origin: { firedBy: [] },
      idleHours: hours,
    });
    expect(ruleFires(idleRule(4), timer(4))).toBe(true);
    expect(ruleFires(idleRule(8), timer(4))).toBe(false);
    const updated: AutomationRule = { ...idleRule(4), id: 'u', trigger: { on: 'updated' } };
    expect(ruleFires(updated, timer(4))).toBe(false);
    expect(ruleFires(idleRule(4), { before: ticket, after: ticket, events: [], origin: { firedBy: [] } })).toBe(false);
    expect(ruleFires(updated, { before: ticket, after: ticket, events: [], origin: { firedBy: [] } })).toBe(true);
  });
});
