import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTOMATIC_CHECKS,
  type ChecklistItem,
  type CompletionFacts,
  checklistKindOf,
  checklistProblems,
  DEFAULT_CHECKLISTS,
  decideClose,
  evaluateChecklist,
  tickedKeysFrom,
} from './completion-checklist.js';

const nothingDone: CompletionFacts = {
  resolutionNotes: null,
  rootCause: null,
  finalUpdateAt: null,
  preventiveMeasureCount: 0,
  reviewScheduledFor: null,
  tickedKeys: new Set(),
};
const everythingDone: CompletionFacts = {
  resolutionNotes: 'Renewed the expired certificate on the concentrator',
  rootCause: 'The VPN certificate expired',
  finalUpdateAt: new Date('2026-12-01T10:40:00Z'),
  preventiveMeasureCount: 1,
  reviewScheduledFor: new Date('2026-12-03T14:00:00Z'),
  tickedKeys: new Set(['customer_called']),
};

const factsArb: fc.Arbitrary<CompletionFacts> = fc.record({
  resolutionNotes: fc.option(fc.string()),
  rootCause: fc.option(fc.string()),
  finalUpdateAt: fc.option(fc.date({ noInvalidDate: true })),
  preventiveMeasureCount: fc.nat(3),
  reviewScheduledFor: fc.option(fc.date({ noInvalidDate: true })),
  tickedKeys: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'customer_called')).map((k) => new Set(k)),
});
const itemArb: fc.Arbitrary<ChecklistItem> = fc.record({
  key: fc.constantFrom('a', 'b', 'c', 'customer_called', ...AUTOMATIC_CHECKS),
  label: fc.string({ minLength: 1 }),
  check: fc.constantFrom('manual' as const, ...AUTOMATIC_CHECKS),
});

describe('the completion checklist', () => {
  it('applies the major-incident checklist to major incidents only', () => {
    expect(checklistKindOf({ kind: 'incident', majorSince: new Date() })).toBe('major_incident');
    expect(checklistKindOf({ kind: 'incident', majorSince: null })).toBe('incident');
    expect(checklistKindOf({ kind: 'service_request', majorSince: null })).toBeNull();
    expect(checklistKindOf({ kind: 'disturbance', majorSince: null })).toBeNull();
  });

  it('lists the five defaults of a major incident as missing until each is documented', () => {
    const states = evaluateChecklist(DEFAULT_CHECKLISTS.major_incident, nothingDone);
    expect(states.map((s) => s.done)).toEqual([false, false, false, false, false]);
    expect(states.every((s) => s.hint.length > 0)).toBe(true);
    expect(evaluateChecklist(DEFAULT_CHECKLISTS.major_incident, everythingDone).every((s) => s.done)).toBe(true);
  });

  it('does not count blank notes as documentation', () => {
    const [resolution, rootCause] = evaluateChecklist(DEFAULT_CHECKLISTS.major_incident, {
      ...everythingDone,
      resolutionNotes: '   ',
      rootCause: '',
    });
    expect(resolution.done).toBe(false);
    expect(rootCause.done).toBe(false);
  });

  it('keeps the items in their order, one state per item', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 8 }), factsArb, (items, facts) => {
        const states = evaluateChecklist(items, facts);
        expect(states.map((s) => s.key)).toEqual(items.map((i) => i.key));
      }),
    );
  });

  it('never undoes an item when more is documented (monotone)', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 8 }), factsArb, (items, facts) => {
        const more: CompletionFacts = {
          resolutionNotes: facts.resolutionNotes ?? 'documented',
          rootCause: facts.rootCause ?? 'documented',
          finalUpdateAt: facts.finalUpdateAt ?? new Date(0),
          preventiveMeasureCount: facts.preventiveMeasureCount + 1,
          reviewScheduledFor: facts.reviewScheduledFor ?? new Date(0),
          tickedKeys: new Set([...facts.tickedKeys, 'a']),
        };
        const before = evaluateChecklist(items, facts);
        const after = evaluateChecklist(items, more);
        before.forEach((s, i) => {
          if (s.done) expect(after[i].done).toBe(true);
        });
      }),
    );
  });

  it('ticks a manual item only by its own key', () => {
    const items: ChecklistItem[] = [{ key: 'customer_called', label: 'Key customer called', check: 'manual' }];
    expect(evaluateChecklist(items, { ...nothingDone, tickedKeys: new Set(['other']) })[0].done).toBe(false);
    expect(evaluateChecklist(items, { ...nothingDone, tickedKeys: new Set(['customer_called']) })[0].done).toBe(true);
  });
});

describe('closing', () => {
  it('allows a close exactly when nothing is missing, or when an admin overrides with a reason', () => {
    fc.assert(
      fc.property(
        fc.array(itemArb, { maxLength: 8 }),
        factsArb,
        fc.option(fc.record({ byAdmin: fc.boolean(), reason: fc.option(fc.string()) })),
        (items, facts, override) => {
          const states = evaluateChecklist(items, facts);
          const missing = states.filter((s) => !s.done);
          const decision = decideClose(states, override);
          const overridable = override !== null && override.byAdmin && (override.reason ?? '').trim() !== '';
          expect(decision.allowed).toBe(missing.length === 0 || overridable);
          if (decision.allowed) expect(decision.overridden).toEqual(missing);
          else expect(decision.missing).toEqual(missing);
        },
      ),
    );
  });

  it('says why an override was refused', () => {
    const states = evaluateChecklist(DEFAULT_CHECKLISTS.major_incident, nothingDone);
    expect(decideClose(states, null)).toMatchObject({ allowed: false, why: 'incomplete' });
    expect(decideClose(states, { byAdmin: false, reason: 'urgent' })).toMatchObject({ allowed: false, why: 'override_needs_admin' });
    expect(decideClose(states, { byAdmin: true, reason: ' ' })).toMatchObject({ allowed: false, why: 'override_needs_reason' });
  });
});

describe('ticked manual items', () => {
  it('lets the last tick or untick of a key win', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), ticked: fc.boolean() })), (entries) => {
        const ticked = tickedKeysFrom(entries);
        for (const key of ['a', 'b', 'c']) {
          const last = entries.filter((e) => e.key === key).at(-1);
          expect(ticked.has(key)).toBe(last?.ticked ?? false);
        }
      }),
    );
  });
});

describe("an admin's checklists", () => {
  it('accepts the defaults', () => {
    expect(checklistProblems(DEFAULT_CHECKLISTS)).toEqual([]);
  });

  it('names the item at fault: a repeated key, a blank label, an automatic check used twice, a bad key', () => {
    const problems = checklistProblems({
      major_incident: [
        { key: 'root_cause', label: 'Root cause', check: 'root_cause_documented' },
        { key: 'root_cause', label: ' ', check: 'root_cause_documented' },
      ],
      incident: [{ key: 'Bad Key', label: 'x', check: 'manual' }],
    });
    expect(problems.map((p) => p.field).sort()).toEqual([
      'incident.0.key',
      'major_incident.1.check',
      'major_incident.1.key',
      'major_incident.1.label',
    ]);
  });
});
