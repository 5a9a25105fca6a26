import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approvalOutcome,
  type ConflictChange,
  changeConflicts,
  changeStage,
  DEFAULT_APPROVAL_POLICY,
  refuseChangeAction,
  refuseChangeWindow,
  refuseDecision,
  refuseIncidentResponse,
  refuseSubmission,
  weekStart,
  windowsOverlap,
} from './changes.js';
import type { Edge } from './service-graph.js';

const at = (hour: number) => new Date(Date.UTC(2026, 11, 7, hour));
// portal depends on vpn; payroll depends on portal; email stands alone.
const edges: Edge[] = [
  { serviceId: 'portal', dependsOnId: 'vpn' },
  { serviceId: 'payroll', dependsOnId: 'portal' },
];
const change = (extra: Partial<ConflictChange> = {}): ConflictChange => ({
  id: 'c1',
  number: 'CHG0000001',
  serviceId: 'vpn',
  start: at(20),
  end: at(22),
  ...extra,
});

describe('a change’s stage, read from the one state machine and its marks', () => {
  it('maps draft → awaiting approval → scheduled → implementing → done / failed / cancelled', () => {
    const marks = { submittedAt: null, approvedAt: null, outcome: null };
    expect(changeStage({ state: 'new', ...marks })).toBe('draft');
    expect(changeStage({ state: 'new', ...marks, submittedAt: at(1) })).toBe('awaiting_approval');
    expect(changeStage({ state: 'assigned', ...marks, submittedAt: at(1), approvedAt: at(2) })).toBe('scheduled');
    expect(changeStage({ state: 'in_progress', ...marks, submittedAt: at(1), approvedAt: at(2) })).toBe('implementing');
    expect(changeStage({ state: 'resolved', ...marks, outcome: 'succeeded' })).toBe('done');
    expect(changeStage({ state: 'closed', ...marks, outcome: 'failed' })).toBe('failed');
    expect(changeStage({ state: 'cancelled', ...marks, approvedAt: at(2) })).toBe('cancelled');
  });

  it('lets each action happen only from its stages', () => {
    expect(refuseChangeAction('CHG1', 'draft', 'submit')).toBeNull();
    expect(refuseChangeAction('CHG1', 'awaiting_approval', 'start')?.status).toBe('conflict');
    expect(refuseChangeAction('CHG1', 'scheduled', 'start')).toBeNull();
    expect(refuseChangeAction('CHG1', 'done', 'cancel')?.message).toContain('CHG1 is done');
  });
});

describe('bad plans', () => {
  it('refuses a window whose end is not after its start, naming plannedEnd', () => {
    expect(refuseChangeWindow(at(10), at(9))).toMatchObject({ status: 'unprocessable', field: 'plannedEnd' });
    expect(refuseChangeWindow(at(10), at(10))?.field).toBe('plannedEnd');
    expect(refuseChangeWindow(at(10), at(11))).toBeNull();
  });

  it('asks for an implementation plan, and a backout plan unless the change is standard', () => {
    expect(refuseSubmission({ type: 'normal', implementationPlan: ' ', backoutPlan: 'x' })?.field).toBe('implementationPlan');
    expect(refuseSubmission({ type: 'normal', implementationPlan: 'x', backoutPlan: '' })?.field).toBe('backoutPlan');
    expect(refuseSubmission({ type: 'standard', implementationPlan: 'x', backoutPlan: '' })).toBeNull();
  });
});

describe('approval', () => {
  const awaiting = { number: 'CHG1', stage: 'awaiting_approval' as const, requesterId: 'author', assigneeId: 'doer' };

  it('needs every named approver, and one rejection rejects', () => {
    expect(
      approvalOutcome(true, [
        { approverId: 'a', decision: 'approved' },
        { approverId: 'b', decision: null },
      ]),
    ).toBe('pending');
    expect(
      approvalOutcome(true, [
        { approverId: 'a', decision: 'approved' },
        { approverId: 'b', decision: 'approved' },
      ]),
    ).toBe('approved');
    expect(
      approvalOutcome(true, [
        { approverId: 'a', decision: 'approved' },
        { approverId: 'b', decision: 'rejected' },
      ]),
    ).toBe('rejected');
    expect(approvalOutcome(false, [])).toBe('pending');
    expect(approvalOutcome(false, [{ approverId: 'm', decision: 'approved' }])).toBe('approved');
  });

  it('lets named approvers decide, or any manager when none is named', () => {
    const named = { ...awaiting, namedApproverIds: ['a'] };
    expect(refuseDecision({ id: 'a', isManager: false }, named, DEFAULT_APPROVAL_POLICY)).toBeNull();
    expect(refuseDecision({ id: 'm', isManager: true }, named, DEFAULT_APPROVAL_POLICY)?.status).toBe('forbidden');
    const unnamed = { ...awaiting, namedApproverIds: [] };
    expect(refuseDecision({ id: 'm', isManager: true }, unnamed, DEFAULT_APPROVAL_POLICY)).toBeNull();
    expect(refuseDecision({ id: 'x', isManager: false }, unnamed, DEFAULT_APPROVAL_POLICY)?.status).toBe('forbidden');
  });

  it('refuses approving your own change unless the policy allows it', () => {
    const own = { ...awaiting, namedApproverIds: ['author', 'doer'] };
    for (const id of ['author', 'doer']) {
      expect(refuseDecision({ id, isManager: true }, own, DEFAULT_APPROVAL_POLICY)).toMatchObject({
        status: 'unprocessable',
        field: 'decision',
      });
      expect(refuseDecision({ id, isManager: true }, own, { allowSelfApproval: true })).toBeNull();
    }
  });

  it('refuses a decision on a change that does not await one', () => {
    const draft = { ...awaiting, stage: 'draft' as const, namedApproverIds: [] };
    expect(refuseDecision({ id: 'm', isManager: true }, draft, DEFAULT_APPROVAL_POLICY)?.status).toBe('conflict');
  });
});

describe('conflict warnings', () => {
  it('warns of an open major incident on the change’s service or on one depending on it, not on others', () => {
    const majors = [
      { id: 'i1', number: 'INC1', serviceId: 'payroll' },
      { id: 'i2', number: 'INC2', serviceId: 'email' },
    ];
    const found = changeConflicts(change(), { edges, openMajorIncidents: majors, otherChanges: [] });
    expect(found).toEqual([{ kind: 'major_incident', ticketId: 'i1', number: 'INC1', serviceId: 'payroll' }]);
    // A change on payroll does not touch vpn (vpn does not depend on payroll).
    const onVpn = [{ id: 'i3', number: 'INC3', serviceId: 'vpn' }];
    expect(changeConflicts(change({ serviceId: 'payroll' }), { edges, openMajorIncidents: onVpn, otherChanges: [] })).toEqual([]);
  });

  it('warns of another change whose window overlaps on a touched service; adjacent windows do not', () => {
    const other = change({ id: 'c2', number: 'CHG2', serviceId: 'portal', start: at(21), end: at(23) });
    expect(changeConflicts(change(), { edges, openMajorIncidents: [], otherChanges: [other] })).toMatchObject([
      { kind: 'change', number: 'CHG2' },
    ]);
    const after = { ...other, start: at(22), end: at(23) };
    expect(changeConflicts(change(), { edges, openMajorIncidents: [], otherChanges: [after] })).toEqual([]);
    const elsewhere = { ...other, serviceId: 'email' };
    expect(changeConflicts(change(), { edges, openMajorIncidents: [], otherChanges: [elsewhere] })).toEqual([]);
  });

  const services = ['vpn', 'portal', 'payroll', 'email'];
  const window = fc
    .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 12 }))
    .map(([start, length]) => ({ start: at(start), end: at(start + length) }));
  const arbitraryChange = (id: string) =>
    fc.record({ serviceId: fc.constantFrom(...services), window }).map(({ serviceId, window: w }) => ({
      id,
      number: id.toUpperCase(),
      serviceId,
      ...w,
    }));

  it('is symmetric between two changes, never flags a change against itself, and never flags disjoint windows', () => {
    fc.assert(
      fc.property(arbitraryChange('a'), arbitraryChange('b'), (a, b) => {
        const ab = changeConflicts(a, { edges, openMajorIncidents: [], otherChanges: [b, a] });
        const ba = changeConflicts(b, { edges, openMajorIncidents: [], otherChanges: [a, b] });
        expect(ab.some((c) => c.ticketId === 'a')).toBe(false);
        expect(ab.length).toBe(ba.length);
        if (!windowsOverlap(a, b)) expect(ab).toEqual([]);
      }),
      {
        // The cases the properties are about, always run: overlapping on a shared dependent, and adjacent.
        examples: [
          [
            { id: 'a', number: 'A', serviceId: 'vpn', start: at(1), end: at(3) },
            { id: 'b', number: 'B', serviceId: 'payroll', start: at(2), end: at(4) },
          ],
          [
            { id: 'a', number: 'A', serviceId: 'vpn', start: at(1), end: at(3) },
            { id: 'b', number: 'B', serviceId: 'vpn', start: at(3), end: at(4) },
          ],
        ],
      },
    );
  });

  it('always warns of a major incident on the change’s own service, whatever the graph and window', () => {
    fc.assert(
      fc.property(arbitraryChange('a'), (a) => {
        const major = { id: 'i', number: 'INC1', serviceId: a.serviceId };
        expect(changeConflicts(a, { edges, openMajorIncidents: [major], otherChanges: [] })).toEqual([
          { kind: 'major_incident', ticketId: 'i', number: 'INC1', serviceId: a.serviceId },
        ]);
      }),
    );
  });

  it('adding services to the graph never removes a warning (more dependents touch more)', () => {
    fc.assert(
      fc.property(arbitraryChange('a'), arbitraryChange('b'), fc.constantFrom(...services), (a, b, extraDependent) => {
        const before = changeConflicts(a, { edges, openMajorIncidents: [], otherChanges: [b] });
        const more: Edge[] = extraDependent === 'vpn' ? edges : [...edges, { serviceId: extraDependent, dependsOnId: 'vpn' }];
        const after = changeConflicts(a, { edges: more, openMajorIncidents: [], otherChanges: [b] });
        expect(after.length).toBeGreaterThanOrEqual(before.length);
      }),
    );
  });
});

describe('the calendar week', () => {
  it('starts on Monday 00:00 UTC', () => {
    expect(weekStart(new Date('2026-12-06T19:00:00Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(weekStart(new Date('2026-12-07T00:00:00Z')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });
});

describe('a change is not escalated or paged for', () => {
  it('refuses both for a change and nothing for any other kind', () => {
    expect(refuseIncidentResponse({ kind: 'change', number: 'CHG0000001' }, 'escalate')).toContain('CHG0000001 is a change');
    expect(refuseIncidentResponse({ kind: 'change', number: 'CHG0000001' }, 'page')).toContain('nobody is paged');
    for (const kind of ['incident', 'service_request', 'disturbance', 'problem'] as const) {
      expect(refuseIncidentResponse({ kind, number: 'X' }, 'escalate')).toBeNull();
      expect(refuseIncidentResponse({ kind, number: 'X' }, 'page')).toBeNull();
    }
  });
});
