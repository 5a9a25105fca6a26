import { describe, expect, it } from 'vitest';
import { mayHear, parseAnnouncement, type TicketAnnouncement } from './live-events.js';

const event: TicketAnnouncement = {
  topic: 'ticket',
  ticketId: 't1',
  number: 'INC0000001',
  eventId: 7,
  type: 'comment',
  internal: false,
  requesterId: 'req',
  reportedById: 'rep',
  teamId: null,
  assigneeId: null,
};

describe('who hears of a ticket change', () => {
  it('lets staff hear of everything, work notes included', () => {
    expect(mayHear({ id: 'a', role: 'agent' }, { ...event, internal: true })).toBe(true);
  });
  it('lets the requester and the reporter hear of public changes only', () => {
    expect(mayHear({ id: 'req', role: 'requester' }, event)).toBe(true);
    expect(mayHear({ id: 'rep', role: 'requester' }, event)).toBe(true);
    expect(mayHear({ id: 'req', role: 'requester' }, { ...event, internal: true })).toBe(false);
  });
  it('tells other requesters nothing', () => {
    expect(mayHear({ id: 'someone-else', role: 'requester' }, event)).toBe(false);
  });
});

describe('parsing what the database announced', () => {
  it('reads a well-formed announcement and refuses anything else', () => {
    expect(parseAnnouncement(JSON.stringify(event))).toEqual(event);
    expect(parseAnnouncement('not json')).toBeNull();
    expect(parseAnnouncement(JSON.stringify({ ...event, topic: 'other' }))).toBeNull();
    expect(parseAnnouncement(JSON.stringify({ ...event, requesterId: 3 }))).toBeNull();
  });
});
