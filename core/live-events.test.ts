import { describe, expect, it } from 'vitest';
import { mayHear, parseAnnouncement, parsePersonAnnouncement, type TicketAnnouncement } from './live-events.js';

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
  it('lets the requester hear of public changes only', () => {
    expect(mayHear({ id: 'req', role: 'requester' }, event)).toBe(true);
    expect(mayHear({ id: 'req', role: 'requester' }, { ...event, internal: true })).toBe(false);
  });
  it('tells a former agent who logged the ticket for someone else nothing once they are a requester', () => {
    expect(mayHear({ id: 'rep', role: 'agent' }, event)).toBe(true);
    expect(mayHear({ id: 'rep', role: 'requester' }, event)).toBe(false);
  });
  it('tells other requesters nothing', () => {
    expect(mayHear({ id: 'someone-else', role: 'requester' }, event)).toBe(false);
  });
});

describe('parsing what the database announced', () => {
  it('reads a change of a person (their streams are re-checked), and nothing else as one', () => {
    expect(parsePersonAnnouncement(JSON.stringify({ topic: 'person', userId: 'u1' }))).toEqual({ topic: 'person', userId: 'u1' });
    expect(parsePersonAnnouncement(JSON.stringify(event))).toBeNull();
    expect(parsePersonAnnouncement('null')).toBeNull();
    expect(parsePersonAnnouncement('{')).toBeNull();
  });

  it('reads a well-formed announcement and refuses anything else', () => {
    expect(parseAnnouncement(JSON.stringify(event))).toEqual(event);
    expect(parseAnnouncement('not json')).toBeNull();
    expect(parseAnnouncement(JSON.stringify({ ...event, topic: 'other' }))).toBeNull();
    expect(parseAnnouncement(JSON.stringify({ ...event, requesterId: 3 }))).toBeNull();
  });
});
