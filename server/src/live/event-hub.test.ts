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
