import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type KnownErrorCandidate,
  knownErrorApplies,
  knownErrorsFor,
  type LinkSide,
  problemStage,
  refuseKnownErrorMark,
  refuseProblemFields,
  refuseProblemLink,
  shownToRequesters,
} from './problems.js';
import { OPEN_STATES, TICKET_KINDS, TICKET_STATES } from './vocabulary.js';

const marked = new Date('2026-12-01T09:00:00Z');

const problem = (extra: Partial<KnownErrorCandidate> = {}): KnownErrorCandidate => ({
  id: 'p1',
  kind: 'problem',
  state: 'in_progress',
  knownErrorAt: marked,
  workaround: 'Reconnect with the backup gateway',
  serviceId: 'vpn',
  categoryId: 'network',
  ...extra,
});
const incident = { kind: 'incident' as const, state: 'new' as const, serviceId: 'vpn', categoryId: 'network' };

describe('a problem’s stage, read from the one state machine and the known-error mark', () => {
  it('maps the states and the mark to new → under investigation → known error → resolved → closed', () => {
    expect(problemStage({ state: 'new', knownErrorAt: null })).toBe('new');
    expect(problemStage({ state: 'assigned', knownErrorAt: null })).toBe('new');
    expect(problemStage({ state: 'in_progress', knownErrorAt: null })).toBe('under_investigation');
    expect(problemStage({ state: 'on_hold', knownErrorAt: null })).toBe('under_investigation');
    expect(problemStage({ state: 'in_progress', knownErrorAt: marked })).toBe('known_error');
    expect(problemStage({ state: 'resolved', knownErrorAt: marked })).toBe('resolved');
    expect(problemStage({ state: 'closed', knownErrorAt: marked })).toBe('closed');
    expect(problemStage({ state: 'cancelled', knownErrorAt: null })).toBe('cancelled');
  });
});

describe('problem-only fields', () => {
  it('refuses them on any other kind, naming the field', () => {
    for (const kind of TICKET_KINDS.filter((k) => k !== 'problem')) {
      expect(refuseProblemFields({ kind, number: 'INC0000001' }, ['workaround'])).toMatchObject({
        status: 'unprocessable',
        field: 'workaround',
      });
    }
    expect(refuseProblemFields({ kind: 'problem', number: 'PRB0000001' }, ['workaround', 'rootCause'])).toBeNull();
  });
});

describe('linking incidents to a problem', () => {
  const p: LinkSide = { id: 'p1', number: 'PRB0000001', kind: 'problem', state: 'in_progress', problemId: null };
  const i: LinkSide = { id: 'i1', number: 'INC0000001', kind: 'incident', state: 'in_progress', problemId: null };
  it('links an incident, again to the same problem, and a closed incident', () => {
    expect(refuseProblemLink(p, i)).toBeNull();
    expect(refuseProblemLink(p, { ...i, problemId: 'p1' })).toBeNull();
    expect(refuseProblemLink(p, { ...i, state: 'closed' })).toBeNull();
  });
  it('refuses a non-incident, a non-problem, a final problem, and an incident of another problem', () => {
    expect(refuseProblemLink(p, { ...i, kind: 'service_request', number: 'REQ0000001' })).toMatchObject({
      field: 'incidentIds',
      status: 'unprocessable',
    });
    expect(refuseProblemLink({ ...p, kind: 'incident' }, i)).toMatchObject({ field: 'problemId' });
    expect(refuseProblemLink({ ...p, state: 'closed' }, i)).toMatchObject({ status: 'conflict', field: 'problemId' });
    expect(refuseProblemLink(p, { ...i, problemId: 'p2' })).toMatchObject({
      status: 'conflict',
      message: expect.stringContaining('another problem'),
    });
  });
});

describe('marking a known error', () => {
  it('needs an open problem with a workaround', () => {
    expect(refuseKnownErrorMark({ number: 'PRB0000001', state: 'in_progress', workaround: 'restart' })).toBeNull();
    expect(refuseKnownErrorMark({ number: 'PRB0000001', state: 'in_progress', workaround: '  ' })).toMatchObject({ field: 'workaround' });
    expect(refuseKnownErrorMark({ number: 'PRB0000001', state: 'resolved', workaround: 'restart' })).toMatchObject({ status: 'conflict' });
  });
});

describe('known errors on incidents', () => {
  it('shows an open known error on open incidents of the same service', () => {
    expect(knownErrorApplies(problem(), incident)).toBe(true);
    expect(knownErrorApplies(problem(), { ...incident, serviceId: 'email' })).toBe(false);
    // Same category, but the problem names a service: the service decides.
    expect(knownErrorApplies(problem(), { ...incident, serviceId: null })).toBe(false);
  });
  it('falls back to the category when the problem names no service', () => {
    expect(knownErrorApplies(problem({ serviceId: null }), { ...incident, serviceId: 'email' })).toBe(true);
    expect(knownErrorApplies(problem({ serviceId: null, categoryId: null }), { ...incident, categoryId: null })).toBe(false);
  });
  it('withdraws it when the problem is resolved or closed, has no mark or no workaround, or the incident is not open', () => {
    expect(knownErrorApplies(problem({ state: 'resolved' }), incident)).toBe(false);
    expect(knownErrorApplies(problem({ state: 'closed' }), incident)).toBe(false);
    expect(knownErrorApplies(problem({ knownErrorAt: null }), incident)).toBe(false);
    expect(knownErrorApplies(problem({ workaround: '' }), incident)).toBe(false);
    expect(knownErrorApplies(problem(), { ...incident, state: 'resolved' })).toBe(false);
    expect(knownErrorApplies(problem({ kind: 'incident' }), incident)).toBe(false);
  });
  it('never shows a known error outside its rules (property)', () => {
    const candidate = fc.record({
      id: fc.uuid(),
      kind: fc.constantFrom(...TICKET_KINDS),
      state: fc.constantFrom(...TICKET_STATES),
      knownErrorAt: fc.option(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), { nil: null }),
      workaround: fc.option(fc.string(), { nil: null }),
      serviceId: fc.option(fc.constantFrom('vpn', 'email'), { nil: null }),
      categoryId: fc.option(fc.constantFrom('network', 'mail'), { nil: null }),
    });
    const target = fc.record({
      kind: fc.constantFrom(...TICKET_KINDS),
      state: fc.constantFrom(...TICKET_STATES),
      serviceId: fc.option(fc.constantFrom('vpn', 'email'), { nil: null }),
      categoryId: fc.option(fc.constantFrom('network', 'mail'), { nil: null }),
    });
    fc.assert(
      fc.property(target, fc.array(candidate, { maxLength: 8 }), (t, problems) => {
        const shown = knownErrorsFor(t, problems);
        for (const p of shown) {
          expect(p.kind).toBe('problem');
          expect(OPEN_STATES).toContain(p.state);
          expect(p.workaround?.trim()).toBeTruthy();
          expect(p.serviceId ?? p.categoryId).toBe(p.serviceId !== null ? t.serviceId : t.categoryId);
        }
        if (t.kind !== 'incident' || !OPEN_STATES.includes(t.state)) expect(shown).toEqual([]);
        for (let k = 1; k < shown.length; k++) {
          expect((shown[k - 1].knownErrorAt as Date).getTime()).toBeLessThanOrEqual((shown[k].knownErrorAt as Date).getTime());
        }
      }),
    );
  });
});

describe('known errors shown to requesters', () => {
  const marked = new Date('2026-03-10T09:00:00Z');
  const known = { kind: 'problem' as const, state: 'in_progress' as const, knownErrorAt: marked, publicWorkaround: 'Use the web mail.' };

  it('needs an open known error with a workaround written for requesters', () => {
    expect(shownToRequesters(known)).toBe(true);
    expect(shownToRequesters({ ...known, publicWorkaround: null })).toBe(false);
    expect(shownToRequesters({ ...known, publicWorkaround: ' \n ' })).toBe(false);
    expect(shownToRequesters({ ...known, knownErrorAt: null })).toBe(false);
    expect(shownToRequesters({ ...known, kind: 'incident' })).toBe(false);
  });

  it('is never shown once the problem leaves the open states', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_STATES), (state) => {
        expect(shownToRequesters({ ...known, state })).toBe(OPEN_STATES.includes(state));
      }),
      { examples: TICKET_STATES.map((s) => [s] as [typeof s]) },
    );
  });
});
