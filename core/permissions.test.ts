import { describe, expect, it } from 'vitest';
import {
  canPickService,
  canSeeUser,
  defaultReportChannel,
  isAdmin,
  isManager,
  isStaff,
  refusedReportChannel,
  refusedReportFields,
} from './permissions.js';

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

describe('the channel a report arrived by', () => {
  it('lets staff name it (a phone call, a chat) and refuses it to a requester, naming the field', () => {
    expect(refusedReportChannel(agent, 'chat')).toBeNull();
    expect(refusedReportChannel(requester, 'phone')).toEqual({ field: 'channel', message: expect.stringMatching(/staff/) });
    expect(refusedReportChannel(requester, undefined)).toBeNull();
  });

  it('is api for a token, phone for staff in the app, portal for a requester', () => {
    expect(defaultReportChannel(requester, 'token')).toBe('api');
    expect(defaultReportChannel(agent, 'token')).toBe('api');
    expect(defaultReportChannel(agent, 'session')).toBe('phone');
    expect(defaultReportChannel(requester, 'session')).toBe('portal');
  });
});

describe("who sees a person's record", () => {
  it('shows staff anyone and a requester only themselves', () => {
    expect(canSeeUser(agent, 'r1')).toBe(true);
    expect(canSeeUser(requester, 'r1')).toBe(true);
    expect(canSeeUser(requester, 'a1')).toBe(false);
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
