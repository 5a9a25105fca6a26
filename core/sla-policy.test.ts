import { describe, expect, it } from 'vitest';
import { matchSlaPolicy, nextSlaDue, reachedSlaClock, type SlaPolicyMatch, type TicketSlaTarget } from './sla-policy.js';
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

describe('the clock an SLA timer finds reached', () => {
  const clock = (status: TicketSlaTarget['status']): TicketSlaTarget => ({
    target: 'resolution',
    policyId: 'p',
    policyName: 'P',
    targetMinutes: 60,
    status,
    elapsedMs: 0,
    remainingMs: 0,
    warnAt: at('2026-03-02T08:45:00Z'),
    dueAt: at('2026-03-02T09:00:00Z'),
  });
  const warning = { target: 'resolution', kind: 'warning' } as const;
  const breach = { target: 'resolution', kind: 'breach' } as const;

  it("is the target's clock once its warning or breach point has come", () => {
    expect(reachedSlaClock([clock('running')], warning, at('2026-03-02T08:45:00Z'))?.target).toBe('resolution');
    expect(reachedSlaClock([clock('running')], breach, at('2026-03-02T08:59:59Z'))).toBeNull();
    expect(reachedSlaClock([clock('breached')], breach, at('2026-03-02T09:00:00Z'))?.status).toBe('breached');
  });

  it('is null for a stale timer: the clock met, paused, or without that target', () => {
    const late = at('2026-03-02T10:00:00Z');
    expect(reachedSlaClock([clock('met')], breach, late)).toBeNull();
    expect(reachedSlaClock([clock('paused')], breach, late)).toBeNull();
    expect(reachedSlaClock([clock('running')], { target: 'first_response', kind: 'breach' }, late)).toBeNull();
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
