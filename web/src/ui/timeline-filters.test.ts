import { describe, expect, it } from 'vitest';
import type { TimelineEventType } from '../../../core/vocabulary';
import type { TimelineEventT } from '../api/types';
import { inView, TIMELINE_VIEWS } from './timeline-filters';

const event = (e: Partial<TimelineEventT>): TimelineEventT =>
  ({
    id: 1,
    type: 'work_note',
    at: '2026-12-01T10:00:00.000Z',
    actor: null,
    internal: false,
    body: null,
    data: null,
    changes: [],
    ...e,
  }) as TimelineEventT;

describe("the war room's timeline views", () => {
  it('shows everything in Everything', () => {
    for (const type of ['work_note', 'comment', 'sla_warning', 'task_added'] as TimelineEventType[])
      expect(inView(event({ type }), 'all')).toBe(true);
  });

  it('keeps the turning points in Key events, not the chatter', () => {
    expect(inView(event({ type: 'major_declared' }), 'key')).toBe(true);
    expect(inView(event({ type: 'root_cause_recorded' }), 'key')).toBe(true);
    expect(inView(event({ type: 'field_changed', changes: [{ field: 'priority', from: 3, to: 1 }] }), 'key')).toBe(true);
    expect(inView(event({ type: 'field_changed', changes: [{ field: 'title', from: 'a', to: 'b' }] }), 'key')).toBe(false);
    expect(inView(event({ type: 'work_note' }), 'key')).toBe(false);
    expect(inView(event({ type: 'investigation_finding' }), 'key')).toBe(false);
  });

  it('counts as decisions: declaring, scope, root cause, a confirmed or ruled-out hypothesis, a meeting’s decisions, closing without the checklist', () => {
    expect(inView(event({ type: 'scope_changed' }), 'decisions')).toBe(true);
    expect(inView(event({ type: 'investigation_updated', data: { status: 'ruled_out', previousStatus: 'open' } }), 'decisions')).toBe(true);
    expect(inView(event({ type: 'investigation_updated', data: { status: 'open', previousStatus: 'open' } }), 'decisions')).toBe(false);
    expect(inView(event({ type: 'meeting_updated', data: { decisions: true } }), 'decisions')).toBe(true);
    expect(inView(event({ type: 'meeting_updated', data: {} }), 'decisions')).toBe(false);
    expect(inView(event({ type: 'state_changed', data: { action: 'close', checklistOverride: { reason: 'x' } } }), 'decisions')).toBe(true);
    expect(inView(event({ type: 'state_changed', data: { action: 'close' } }), 'decisions')).toBe(false);
  });

  it('shows in Updates only what the world was told, never a work note', () => {
    expect(inView(event({ type: 'comment', internal: false }), 'updates')).toBe(true);
    expect(inView(event({ type: 'comment', internal: false, data: { finalUpdate: true } }), 'updates')).toBe(true);
    expect(inView(event({ type: 'work_note', internal: true }), 'updates')).toBe(false);
  });

  it('puts every view but Everything inside Everything', () => {
    const types: TimelineEventType[] = ['created', 'comment', 'work_note', 'major_declared', 'meeting_updated', 'task_added'];
    for (const view of TIMELINE_VIEWS)
      for (const type of types) if (inView(event({ type }), view)) expect(inView(event({ type }), 'all')).toBe(true);
  });
});
