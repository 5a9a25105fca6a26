import { describe, expect, it } from 'vitest';
import { EventHub, type HubMessage } from './event-hub.js';

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
