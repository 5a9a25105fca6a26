import { describe, expect, it } from 'vitest';
import { isAdmin, isManager, isStaff, refusedReportFields } from './permissions.js';

const requester = { id: 'r1', role: 'requester' as const };
const agent = { id: 'a1', role: 'agent' as const };

describe('what a requester may set when reporting', () => {
  it('lets a requester report an incident or a service request, locally, for themselves', () => {
    expect(refusedReportFields(requester, { kind: 'incident', scope: 'local' })).toEqual([]);
    expect(refusedReportFields(requester, { kind: 'service_request', scope: 'local', requesterId: 'r1' })).toEqual([]);
  });

  it('refuses global scope and the desk-only kinds, naming each field', () => {
    const refused = refusedReportFields(requester, {
      kind: 'disturbance',
      scope: 'global',
      teamId: 't',
      assigneeId: 'a',
      requesterId: 'x',
    });
    expect(refused.map((r) => r.field).sort()).toEqual(['assigneeId', 'kind', 'requesterId', 'scope', 'teamId']);
    expect(refused.every((r) => /staff/.test(r.message))).toBe(true);
  });

  it('refuses staff nothing', () => {
    expect(refusedReportFields(agent, { kind: 'disturbance', scope: 'global', requesterId: 'r1', teamId: 't' })).toEqual([]);
  });
});

describe('roles, as the UI asks about them', () => {
  const manager = { id: 'm1', role: 'manager' as const };
  const admin = { id: 'x1', role: 'admin' as const };
  it('ranks requester < agent < manager < admin', () => {
    expect([requester, agent, manager, admin].map(isStaff)).toEqual([false, true, true, true]);
    expect([requester, agent, manager, admin].map(isManager)).toEqual([false, false, true, true]);
    expect([requester, agent, manager, admin].map(isAdmin)).toEqual([false, false, false, true]);
  });
});
