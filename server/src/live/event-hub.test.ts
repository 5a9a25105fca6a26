import { describe, expect, it } from 'vitest';
import { EventHub, type HubMessage, type StatusPageNews } from './event-hub.js';

describe('the live hub and storm proposals', () => {
  it('tells staff streams of a proposal, never a requester’s', () => {
    const hub = new EventHub();
    const heard: Record<string, HubMessage[]> = { agent: [], requester: [] };
    hub.subscribe(
      { id: 'a', role: 'agent' },
      (m) => heard.agent.push(m),
      () => {},
    );
    hub.subscribe(
      { id: 'r', role: 'requester' },
      (m) => heard.requester.push(m),
      () => {},
    );
    hub.announce(JSON.stringify({ topic: 'storm', proposalId: 'p1' }));
    expect(heard.agent).toEqual([{ kind: 'storm', event: { topic: 'storm', proposalId: 'p1' } }]);
    expect(heard.requester).toEqual([]);
  });
});

describe('the live hub and imports', () => {
  it('turns the one refresh an import announces into a re-read for every stream', () => {
    const hub = new EventHub();
    const heard: HubMessage[][] = [[], []];
    hub.subscribe(
      { id: 'a', role: 'agent' },
      (m) => heard[0].push(m),
      () => {},
    );
    hub.subscribe(
      { id: 'r', role: 'requester' },
      (m) => heard[1].push(m),
      () => {},
    );
    hub.announce(JSON.stringify({ topic: 'refresh', reason: 'import' }));
    expect(heard).toEqual([[{ kind: 'resync' }], [{ kind: 'resync' }]]);
  });
});

describe('the live hub and the public status page', () => {
  const ticket = {
    topic: 'ticket',
    ticketId: 't1',
    number: 'INC-1',
    eventId: 7,
    type: 'comment',
    internal: false,
    requesterId: 'r',
    reportedById: 'r',
    teamId: null,
    assigneeId: null,
  };

  it('wakes the page for a ticket change, a change to its other tables, and missed news — and tells no browser of the tables', () => {
    const hub = new EventHub();
    const woken: StatusPageNews[] = [];
    const heard: HubMessage[] = [];
    hub.watchStatusPage((news) => woken.push(news));
    hub.subscribe(
      { id: 'a', role: 'agent' },
      (m) => heard.push(m),
      () => {},
    );
    hub.announce(JSON.stringify(ticket));
    hub.announce(JSON.stringify({ topic: 'status-page', table: 'status_overrides' }));
    hub.announce(JSON.stringify({ topic: 'refresh', reason: 'import' }));
    hub.resync();
    expect(woken).toEqual([ticket, { topic: 'status-page', table: 'status_overrides' }, { topic: 'resync' }, { topic: 'resync' }]);
    expect(heard).toEqual([{ kind: 'ticket', event: ticket }, { kind: 'resync' }, { kind: 'resync' }]);
  });

  it('stops waking a page that stopped watching', () => {
    const hub = new EventHub();
    const woken: StatusPageNews[] = [];
    const stop = hub.watchStatusPage((news) => woken.push(news));
    stop();
    hub.announce(JSON.stringify({ topic: 'status-page', table: 'settings' }));
    expect(woken).toEqual([]);
  });
});
