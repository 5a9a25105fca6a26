import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AFFECTED_FOR_IMPACT,
  impactFromAffected,
  type LinkTicket,
  refuseLink,
  refuseMerge,
  refuseMergeOfChildren,
} from './incident-links.js';
import { LEVELS, type Level, TICKET_STATES } from './vocabulary.js';

const ticket = (id: string, extra: Partial<LinkTicket> = {}): LinkTicket => ({
  id,
  number: `INC${id.padStart(7, '0')}`,
  kind: 'incident',
  state: 'in_progress',
  parentId: null,
  ...extra,
});

describe('linking a child to an incident', () => {
  it('refuses the ticket itself, a cycle, a parent that is not an incident, a final parent or child', () => {
    const parent = ticket('1');
    expect(refuseLink(parent, parent, [])).toMatchObject({ status: 'conflict', message: 'INC0000001 cannot be a child of itself' });
    expect(refuseLink(parent, ticket('2'), ['2'])).toMatchObject({ status: 'conflict', field: 'ticketIds' });
    expect(refuseLink(ticket('1', { kind: 'service_request', number: 'REQ0000001' }), ticket('2'), [])).toMatchObject({
      status: 'unprocessable',
      field: 'parent',
      message: expect.stringContaining('not an incident'),
    });
    expect(refuseLink(ticket('1', { state: 'closed' }), ticket('2'), [])).toMatchObject({ field: 'parent' });
    expect(refuseLink(parent, ticket('2', { state: 'cancelled' }), [])).toMatchObject({
      status: 'unprocessable',
      message: 'INC0000002 is cancelled: a final ticket cannot be linked',
    });
    expect(refuseLink(parent, ticket('2', { state: 'resolved' }), [])).toBeNull();
    expect(refuseLink(parent, ticket('2', { kind: 'service_request' }), [])).toBeNull();
  });

  it('never lets a chain of links close a cycle (property: following parents always ends)', () => {
    // Random link requests over a few tickets, applied when not refused: the parent graph stays a forest.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 30 }), (requests) => {
        const parents = new Map<string, string | null>();
        const ancestors = (id: string) => {
          const out: string[] = [];
          for (let p = parents.get(id) ?? null; p !== null; p = parents.get(p) ?? null) {
            if (out.includes(p)) throw new Error('cycle');
            out.push(p);
          }
          return out;
        };
        for (const [p, c] of requests) {
          const parent = ticket(String(p), { parentId: parents.get(String(p)) ?? null });
          const child = ticket(String(c));
          if (refuseLink(parent, child, ancestors(parent.id)) === null) parents.set(child.id, parent.id);
        }
        for (const id of parents.keys()) expect(() => ancestors(id)).not.toThrow();
      }),
    );
  });
});

describe('merging a duplicate', () => {
  it('refuses merging into itself, merging a ticket that is no longer open, and merging into a final one', () => {
    expect(refuseMerge(ticket('1'), ticket('1'))).toMatchObject({ field: 'intoId' });
    for (const state of ['resolved', 'closed', 'cancelled'] as const)
      expect(refuseMerge(ticket('1', { state }), ticket('2'))).toMatchObject({ field: 'ticketId' });
    expect(refuseMerge(ticket('1'), ticket('2', { state: 'closed' }))).toMatchObject({ field: 'intoId' });
    expect(refuseMerge(ticket('1'), ticket('2', { state: 'resolved' }))).toBeNull();
    for (const state of TICKET_STATES.filter((s) => !['resolved', 'closed', 'cancelled'].includes(s)))
      expect(refuseMerge(ticket('1', { state }), ticket('2'))).toBeNull();
  });
});

describe('merging a duplicate that has children', () => {
  it('refuses a survivor below the duplicate, and one that cannot take its open children', () => {
    const duplicate = ticket('1');
    expect(refuseMergeOfChildren(duplicate, ticket('2', { parentId: '1' }), ['1'], 1)?.message).toContain('linked below INC0000001');
    expect(refuseMergeOfChildren(duplicate, ticket('3'), ['2', '1'], 0)).toMatchObject({ field: 'intoId' });
    const request = ticket('2', { kind: 'service_request', number: 'REQ0000002' });
    expect(refuseMergeOfChildren(duplicate, request, [], 2)?.message).toContain('has 2 open child tickets: merge it into an incident');
    expect(refuseMergeOfChildren(duplicate, request, [], 0)).toBeNull();
    expect(refuseMergeOfChildren(duplicate, ticket('2', { state: 'resolved' }), [], 1)?.message).toContain('reopen it first');
    expect(refuseMergeOfChildren(duplicate, ticket('2'), [], 3)).toBeNull();
  });
});

describe('the affected-people impact rule', () => {
  const level = fc.constantFrom(...LEVELS);
  it('only ever raises impact, never over a person’s explicit choice', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200 }), level, fc.boolean(), (affected, current, explicit) => {
        const next = impactFromAffected(affected, current, explicit);
        if (explicit) expect(next).toBeNull();
        if (next !== null) expect(next).toBeLessThan(current);
      }),
    );
  });

  it('is monotonic: more affected people never give a lower impact than fewer', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200 }), fc.nat({ max: 200 }), level, (a, b, current) => {
        const [few, many] = a <= b ? [a, b] : [b, a];
        const effective = (n: number): Level => impactFromAffected(n, current, false) ?? current;
        expect(effective(many)).toBeLessThanOrEqual(effective(few));
      }),
    );
  });

  it('makes 5 people medium and 25 people high', () => {
    expect(AFFECTED_FOR_IMPACT.map((r) => r.atLeast)).toEqual([25, 5]);
    expect(impactFromAffected(4, 3, false)).toBeNull();
    expect(impactFromAffected(5, 3, false)).toBe(2);
    expect(impactFromAffected(24, 2, false)).toBeNull();
    expect(impactFromAffected(25, 2, false)).toBe(1);
    expect(impactFromAffected(25, 1, false)).toBeNull();
  });
});

describe('problems and incident links (issue 17)', () => {
  it('refuses a problem as a child of an incident, and merging across problem and other kinds', () => {
    const problem = ticket('9', { kind: 'problem', number: 'PRB0000009' });
    expect(refuseLink(ticket('1'), problem, [])).toMatchObject({
      status: 'unprocessable',
      field: 'ticketIds',
      message: expect.stringContaining('is a problem'),
    });
    expect(refuseMerge(problem, ticket('1'))).toMatchObject({ field: 'intoId' });
    expect(refuseMerge(ticket('1'), problem)).toMatchObject({ field: 'intoId' });
    expect(refuseMerge(problem, ticket('8', { kind: 'problem', number: 'PRB0000008' }))).toBeNull();
  });
});
