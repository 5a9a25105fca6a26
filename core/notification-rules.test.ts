import { describe, expect, it } from 'vitest';
import {
  channelsFor,
  NOTIFICATION_GROUPS,
  NOTIFICATION_REASONS,
  type NotifiableEvent,
  type NotificationPreferences,
  recipientsFor,
} from './notification-rules.js';

const ticket = { requesterId: 'req', assigneeId: 'agent', teamManagerId: 'boss' };
const event = (over: Partial<NotifiableEvent>): NotifiableEvent => ({
  type: 'comment',
  internal: false,
  actorId: 'agent',
  changes: null,
  data: null,
  ...over,
});

describe('who hears about what', () => {
  it("tells the requester about the desk's replies, and the assignee about the requester's", () => {
    expect(recipientsFor(event({ actorId: 'agent' }), ticket)).toEqual([{ userId: 'req', reason: 'reply_from_desk' }]);
    expect(recipientsFor(event({ actorId: 'req' }), ticket)).toEqual([{ userId: 'agent', reason: 'reply_from_requester' }]);
    expect(recipientsFor(event({ actorId: 'req' }), { ...ticket, assigneeId: null })).toEqual([
      { userId: 'boss', reason: 'reply_from_requester' },
    ]);
  });

  it('tells the requester when a ticket is resolved or waits for them, and nobody about work notes', () => {
    const resolved = event({ type: 'state_changed', changes: [{ field: 'state', from: 'in_progress', to: 'resolved' }] });
    expect(recipientsFor(resolved, ticket)).toEqual([{ userId: 'req', reason: 'resolved' }]);
    const waiting = event({
      type: 'state_changed',
      changes: [
        { field: 'state', from: 'in_progress', to: 'on_hold' },
        { field: 'onHoldReason', from: null, to: 'awaiting_requester' },
      ],
    });
    expect(recipientsFor(waiting, ticket)).toEqual([{ userId: 'req', reason: 'waiting_for_you' }]);
    expect(recipientsFor(event({ type: 'work_note', internal: true }), ticket)).toEqual([]);
  });

  it('asks the requester to rate the handling once a ticket closes, whoever closed it, and only then', () => {
    const closedBy = (actorId: string | null, from = 'resolved') =>
      recipientsFor(event({ type: 'state_changed', actorId, changes: [{ field: 'state', from, to: 'closed' }] }), ticket);
    expect(closedBy(null)).toEqual([{ userId: 'req', reason: 'rate_handling' }]);
    expect(closedBy('agent')).toEqual([{ userId: 'req', reason: 'rate_handling' }]);
    // Confirming the fix closes it: the requester acted, and is still asked.
    expect(closedBy('req')).toEqual([{ userId: 'req', reason: 'rate_handling' }]);
    const cancelled = event({ type: 'state_changed', changes: [{ field: 'state', from: 'new', to: 'cancelled' }] });
    expect(recipientsFor(cancelled, ticket).some((r) => r.reason === 'rate_handling')).toBe(false);
  });

  it('tells a new assignee, unless they assigned themselves', () => {
    const assigned = (actorId: string) => event({ type: 'assigned', actorId, changes: [{ field: 'assigneeId', from: null, to: 'agent' }] });
    expect(recipientsFor(assigned('boss'), ticket)).toEqual([{ userId: 'agent', reason: 'assigned_to_you' }]);
    expect(recipientsFor(assigned('agent'), ticket)).toEqual([]);
  });

  it('warns the assignee of an SLA running short, and tells assignee and manager of a breach', () => {
    expect(recipientsFor(event({ type: 'sla_warning', actorId: null, internal: true }), ticket)).toEqual([
      { userId: 'agent', reason: 'sla_warning' },
    ]);
    expect(recipientsFor(event({ type: 'sla_breached', actorId: null, internal: true }), ticket)).toEqual([
      { userId: 'agent', reason: 'sla_breached' },
      { userId: 'boss', reason: 'sla_breached' },
    ]);
  });
});

describe('a disturbance promoted to an incident', () => {
  const followed = { ...ticket, followerIds: ['fan', 'agent'] };
  it("tells its requester and followers it moved (not the person who promoted it), and nobody of the incident's own note", () => {
    const onDisturbance = event({ type: 'promoted', data: { to: { id: 'i', number: 'INC0000001' } } });
    expect(recipientsFor(onDisturbance, followed)).toEqual([
      { userId: 'req', reason: 'moved_to_incident' },
      { userId: 'fan', reason: 'moved_to_incident' },
    ]);
    const onIncident = event({ type: 'promoted', data: { from: { id: 'd', number: 'DST0000001' } } });
    expect(recipientsFor(onIncident, followed)).toEqual([]);
  });

  it('does not ask them to confirm a fix when the resolution is the promotion', () => {
    const resolved = (code: string) =>
      event({
        type: 'state_changed',
        changes: [
          { field: 'state', from: 'in_progress', to: 'resolved' },
          { field: 'resolutionCode', from: null, to: code },
        ],
      });
    expect(recipientsFor(resolved('promoted_to_incident'), followed)).toEqual([]);
    expect(recipientsFor(resolved('fixed'), followed).map((r) => r.reason)).toEqual(['resolved', 'followed_resolved']);
  });
});

describe('escalations', () => {
  it('reach the named person, else the manager for hierarchical and the new owner for functional ones', () => {
    const escalated = (data: Record<string, unknown>) => event({ type: 'escalated', actorId: 'agent', data });
    expect(recipientsFor(escalated({ kind: 'hierarchical' }), ticket)).toEqual([{ userId: 'boss', reason: 'escalated_to_you' }]);
    expect(recipientsFor(escalated({ kind: 'hierarchical', toUserId: 'cio' }), ticket)).toEqual([
      { userId: 'cio', reason: 'escalated_to_you' },
    ]);
    expect(recipientsFor(escalated({ kind: 'functional' }), { ...ticket, assigneeId: 'expert' })).toEqual([
      { userId: 'expert', reason: 'escalated_to_you' },
    ]);
    expect(recipientsFor(escalated({ kind: 'functional' }), { ...ticket, assigneeId: null })).toEqual([
      { userId: 'boss', reason: 'escalated_to_you' },
    ]);
  });
});

describe('on-call and the team', () => {
  it('warns the whole team (and its manager) when nobody owns the ticket', () => {
    const unowned = { ...ticket, assigneeId: null, teamMemberIds: ['ann', 'bob', 'boss'] };
    expect(recipientsFor(event({ type: 'sla_warning', actorId: null, internal: true }), unowned)).toEqual([
      { userId: 'boss', reason: 'sla_warning' },
      { userId: 'ann', reason: 'sla_warning' },
      { userId: 'bob', reason: 'sla_warning' },
    ]);
  });

  it('pages everyone a step reached, even the person who asked for the page', () => {
    const step = event({ type: 'page_notified', actorId: null, internal: true, data: { userIds: ['ann', 'bob', 'ann'] } });
    expect(recipientsFor(step, ticket)).toEqual([
      { userId: 'ann', reason: 'paged' },
      { userId: 'bob', reason: 'paged' },
    ]);
  });
});

describe('major incidents', () => {
  it('tells the new holder of a role, paging them when the role pages; never the person who gave it to themselves', () => {
    const given = (data: Record<string, unknown>) => event({ type: 'role_assigned', actorId: 'lead', internal: true, data });
    expect(recipientsFor(given({ userId: 'ann', pages: false }), ticket)).toEqual([{ userId: 'ann', reason: 'role_assigned_to_you' }]);
    // A role that pages: the page itself reaches them (page_notified, with its acknowledge link), not a second note.
    expect(recipientsFor(given({ userId: 'ann', pages: true }), ticket)).toEqual([]);
    expect(
      recipientsFor(event({ type: 'role_handed_over', actorId: 'ann', internal: true, data: { userId: 'bob', pages: true } }), ticket),
    ).toEqual([]);
    expect(recipientsFor(event({ type: 'role_assigned', actorId: 'ann', internal: true, data: { userId: 'ann' } }), ticket)).toEqual([]);
    expect(recipientsFor(event({ type: 'role_released', actorId: 'lead', internal: true, data: { userId: 'ann' } }), ticket)).toEqual([]);
  });

  it('flags an overdue task to the incident manager and its owner, and invites a meeting’s attendees', () => {
    const overdue = event({ type: 'task_overdue', actorId: null, internal: true, data: { incidentManagerId: 'im', ownerId: 'ann' } });
    expect(recipientsFor(overdue, ticket)).toEqual([
      { userId: 'im', reason: 'task_overdue' },
      { userId: 'ann', reason: 'task_overdue' },
    ]);
    const scheduled = event({ type: 'meeting_scheduled', actorId: 'ann', internal: true, data: { invitedIds: ['ann', 'bob', 'cio'] } });
    expect(recipientsFor(scheduled, ticket)).toEqual([
      { userId: 'bob', reason: 'meeting_invitation' },
      { userId: 'cio', reason: 'meeting_invitation' },
    ]);
  });

  it('lets a role page reach someone even with every paging channel off', () => {
    expect(channelsFor({ emailNotifications: false, notificationPreferences: { paging: { in_app: false } } }, 'role_paged')).toEqual([
      'in_app',
    ]);
  });
});

describe('channel preferences', () => {
  const person = (emailNotifications: boolean, notificationPreferences: NotificationPreferences = {}) => ({
    emailNotifications,
    notificationPreferences,
  });

  it('uses both channels unless a group turns one off; the e-mail master switch turns e-mail off everywhere', () => {
    expect(channelsFor(person(true), 'resolved')).toEqual(['email', 'in_app']);
    expect(channelsFor(person(true, { sla: { email: false } }), 'sla_breached')).toEqual(['in_app']);
    expect(channelsFor(person(true, { sla: { email: false } }), 'assigned_to_you')).toEqual(['email', 'in_app']);
    expect(channelsFor(person(false), 'assigned_to_you')).toEqual(['in_app']);
    expect(channelsFor(person(true, { my_requests: { email: false, in_app: false } }), 'resolved')).toEqual([]);
  });

  it('never lets a page reach nobody: in-app at least', () => {
    expect(channelsFor(person(false, { paging: { in_app: false } }), 'paged')).toEqual(['in_app']);
    expect(channelsFor(person(true, { paging: { in_app: false } }), 'paged')).toEqual(['email']);
  });

  it('puts every reason in exactly one group', () => {
    for (const reason of NOTIFICATION_REASONS) {
      expect(Object.values(NOTIFICATION_GROUPS).filter((g) => (g as readonly string[]).includes(reason))).toHaveLength(1);
    }
  });
});
