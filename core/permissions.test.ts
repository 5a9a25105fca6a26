import { describe, expect, it } from 'vitest';
import { canPickService, refusedReportFields } from './permissions.js';

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

describe('which services a person is offered', () => {
  it('offers requesters only the services marked visible to them, and staff every service', () => {
    const hidden = { visibleToRequesters: false };
    const shown = { visibleToRequesters: true };
    expect(canPickService({ id: 'r', role: 'requester' }, hidden)).toBe(false);
    expect(canPickService({ id: 'r', role: 'requester' }, shown)).toBe(true);
    for (const role of ['agent', 'manager', 'admin'] as const) expect(canPickService({ id: 's', role }, hidden)).toBe(true);
  });
});
