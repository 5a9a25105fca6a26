import { describe, expect, it } from 'vitest';
import { matchSlaPolicy, nextSlaDue, type SlaPolicyMatch } from './sla-policy.js';
import type { TicketKind } from './vocabulary.js';

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

describe('which SLA policy applies', () => {
  const policy = (id: string, position: number, match: SlaPolicyMatch) => ({ id, position, active: true, match });
  const ticket = (kind: TicketKind) => ({ kind, priority: 3, serviceId: null, organisation: null });

  it('takes the first matching policy by position, the catch-all last', () => {
    const policies = [
      policy('catch-all', 9, {}),
      policy('p1', 1, { priorities: [1] }),
      policy('requests', 2, { kinds: ['service_request'] }),
    ];
    expect(matchSlaPolicy(policies, ticket('service_request'))?.id).toBe('requests');
    expect(matchSlaPolicy(policies, ticket('incident'))?.id).toBe('catch-all');
    expect(matchSlaPolicy(policies, ticket('disturbance'))?.id).toBe('catch-all');
  });

  it('leaves problems and changes without a target unless a policy names their kind', () => {
    const catchAll = policy('catch-all', 9, {});
    for (const kind of ['problem', 'change'] as const) {
      expect(matchSlaPolicy([catchAll, policy('priority-3', 1, { priorities: [3] })], ticket(kind))).toBeNull();
      expect(matchSlaPolicy([catchAll, policy('named', 5, { kinds: [kind] })], ticket(kind))?.id).toBe('named');
    }
  });
});
