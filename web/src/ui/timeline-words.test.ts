import { describe, expect, it } from 'vitest';
import type { TimelineEventT } from '../api/types';
import { summary } from './timeline-words';

const event = (e: Partial<TimelineEventT>): TimelineEventT =>
  ({ id: 'e1', type: 'updated', at: '2026-12-01T10:00:00.000Z', actor: null, body: null, data: null, changes: [], ...e }) as TimelineEventT;
const names = new Map<string, string>();

describe('timeline sentences (issue 12, minor)', () => {
  it('says when the learned router routed a ticket, with its confidence, and why a person was chosen fairly', () => {
    expect(summary(event({ type: 'created', data: { routedBy: 'learned_router', routerConfidence: 0.866 } }), names)).toBe(
      'reported this; routed by the learned router, 87%',
    );
    expect(summary(event({ type: 'created', data: { routedBy: 'category' } }), names)).toBe('reported this');
    const categorised = event({
      type: 'created',
      data: { routedBy: 'category', routerCategory: { name: 'Identity & Access', confidence: 0.874 } },
    });
    expect(summary(categorised, names)).toBe('reported this; category Identity & Access from the learned router, 87%');
    const both = event({
      type: 'created',
      data: { routedBy: 'learned_router', routerConfidence: 0.81, routerCategory: { name: 'Network', confidence: 0.9 } },
    });
    expect(summary(both, names)).toBe('reported this; category Network from the learned router, 90%; routed by the learned router, 81%');
    const fair = event({
      type: 'assigned',
      changes: [{ field: 'assigneeId', from: null, to: 'u1', toName: 'Ana' }],
      data: { fairAssignment: { strategy: 'round_robin', reason: 'round robin: next in turn; passed over Dan (off shift)' } },
    });
    expect(summary(fair, names)).toBe('assigned fairly (round robin: next in turn; passed over Dan (off shift)): assignee to Ana');
  });

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

  it('names what completes an incident: the final update, a preventive measure, the review, a ticked item', () => {
    expect(summary(event({ type: 'comment', data: { finalUpdate: true } }), names)).toBe('sent the final update');
    expect(summary(event({ type: 'comment' }), names)).toBe('replied');
    expect(summary(event({ type: 'preventive_measure' }), names)).toBe('recorded a preventive measure');
    expect(summary(event({ type: 'review_scheduled', data: { at: '2026-12-03T14:00:00Z' } }), names)).toMatch(
      /^scheduled the post-incident review for .*3/,
    );
    expect(summary(event({ type: 'checklist_item', data: { key: 'called', ticked: true } }), names)).toBe('ticked a checklist item');
  });
});

describe('timeline sentences of major incidents (issue 14)', () => {
  it('says what a scope change, a declaration, links, merges and Me too mean, never the event type', () => {
    expect(summary(event({ type: 'scope_changed', changes: [{ field: 'scope', from: 'local', to: 'global' }] }), names)).toBe(
      'made this global (wide: many users or sites)',
    );
    expect(summary(event({ type: 'major_declared' }), names)).toBe('declared a major incident');
    expect(
      summary(
        event({
          type: 'children_changed',
          data: {
            linked: [
              { id: 'a', number: 'INC0000002' },
              { id: 'b', number: 'INC0000003' },
            ],
          },
        }),
        names,
      ),
    ).toBe('linked INC0000002, INC0000003 as children');
    expect(summary(event({ type: 'children_changed', data: { unlinked: [{ id: 'a', number: 'INC0000002' }] } }), names)).toBe(
      'unlinked INC0000002',
    );
    expect(summary(event({ type: 'merged', data: { intoId: 'x', intoNumber: 'INC0000009' } }), names)).toBe('merged this into INC0000009');
    expect(summary(event({ type: 'merged', data: { fromId: 'x', fromNumber: 'INC0000008' } }), names)).toBe('merged INC0000008 into this');
    expect(summary(event({ type: 'affected_added' }), names)).toBe('is affected too (Me too)');
    const linked = event({
      type: 'field_changed',
      changes: [{ field: 'parentId', from: null, to: 'p' }],
      data: { parentNumber: 'INC0000001' },
    });
    expect(summary(linked, names)).toBe('linked this to incident INC0000001');
    // A merged duplicate's children move to the survivor: each of the three timelines says where from and to.
    const two = [
      { id: 'a', number: 'INC0000002' },
      { id: 'b', number: 'INC0000003' },
    ];
    expect(summary(event({ type: 'children_changed', data: { unlinked: two, movedTo: { id: 's', number: 'INC0000009' } } }), names)).toBe(
      'moved its children INC0000002, INC0000003 to INC0000009',
    );
    expect(summary(event({ type: 'children_changed', data: { linked: two, movedFrom: { id: 'd', number: 'INC0000008' } } }), names)).toBe(
      'took over INC0000002, INC0000003 as children from the merged INC0000008',
    );
    const moved = event({
      type: 'field_changed',
      changes: [{ field: 'parentId', from: 'd', to: 's' }],
      data: { parentNumber: 'INC0000009', movedFromNumber: 'INC0000008' },
    });
    expect(summary(moved, names)).toBe('moved this from incident INC0000008 (merged) to incident INC0000009');
  });
});
