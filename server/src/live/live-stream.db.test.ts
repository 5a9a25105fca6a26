import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../test/database.js';
import { type LiveStreamClient, openLiveStream } from '../../test/live-stream-client.js';
import { FakeClock } from '../adapters/clock.js';
import { buildApp } from '../app.js';
import type { Database } from '../db/client.js';
import type { Listener } from '../db/listen.js';
import { createApiToken } from '../services/auth.service.js';
import { createUser } from '../services/directory.service.js';
import { EventHub } from './event-hub.js';
import { connectEventHub } from './live-events.js';

/** A browser's EventSource against `baseUrl`, signed in with an API token (the tests' one stream client). */
const openStream = (baseUrl: string, token: string): Promise<LiveStreamClient> =>
  openLiveStream(baseUrl, { authorization: `Bearer ${token}` });

interface Node {
  app: FastifyInstance;
  url: string;
  listener: Listener;
}

async function startNode(database: Database, clock: FakeClock): Promise<Node> {
  const events = new EventHub();
  const listener = await connectEventHub(database, events, () => {});
  const app = await buildApp({
    database,
    clock,
    events,
    config: { sessionHours: 12, secureCookies: false, bodyLimitBytes: 1_048_576, trustProxy: false },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, listener };
}

let database: Database;
let clock: FakeClock;
let node: Node;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-03-02T08:00:00Z');
  node = await startNode(database, clock);
  const deps = { db: database.db, clock };
  for (const [key, role] of [
    ['admin', 'admin'],
    ['dora', 'agent'],
    ['agent', 'agent'],
    ['alice', 'requester'],
    ['bob', 'requester'],
  ] as const) {
    const user = await createUser(deps, { email: `${key}@example.test`, name: key, role, timeZone: 'UTC' });
    ids[key] = user.id;
    tokens[key] = (await createApiToken(deps, { id: user.id, role }, { name: 'test', scope: 'write' })).secret;
  }
});

afterAll(async () => {
  await node.app.close();
  await node.listener.close();
  await database.close();
});

async function call(baseUrl: string, who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text);
}

describe('the live stream', () => {
  it('tells an agent about a new ticket within a second of its creation', async () => {
    const agent = await openStream(node.url, tokens.agent);
    try {
      const ticket = await call(node.url, 'alice', 'POST', '/tickets', { title: 'VPN drops every ten minutes' });
      // Within a second: the wait fails if the announcement takes longer.
      await agent.waitFor((e) => e.event === 'ticket' && e.data.ticketId === ticket.id, 1000);
      expect(agent.events.find((e) => e.event === 'ticket')?.data).toMatchObject({ number: ticket.number, type: 'created' });
    } finally {
      agent.close();
    }
  });

  it('tells a requester about public changes to their ticket, but not work notes or other people’s tickets', async () => {
    const ticket = await call(node.url, 'alice', 'POST', '/tickets', { title: 'Printer on floor 3 jams' });
    const alice = await openStream(node.url, tokens.alice);
    const bob = await openStream(node.url, tokens.bob);
    try {
      await call(node.url, 'agent', 'POST', `/tickets/${ticket.id}/comments`, { body: 'Suspect the fuser', visibility: 'internal' });
      await call(node.url, 'agent', 'POST', `/tickets/${ticket.id}/comments`, { body: 'A technician is on the way', visibility: 'public' });
      await alice.waitFor((e) => e.event === 'ticket' && (e.data as { type: string }).type === 'comment', 1000);
      // The public comment came after the work note: had the note been sent, it would be here by now.
      expect(alice.events.filter((e) => e.event === 'ticket').map((e) => (e.data as { type: string }).type)).toEqual(['comment']);
      expect(bob.events.filter((e) => e.event === 'ticket')).toEqual([]);
      // The stream says what changed, never the content.
      expect(JSON.stringify(alice.events)).not.toContain('technician');
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('closes the stream of an agent demoted to requester, who then hears only what a requester may', async () => {
    const before = await openStream(node.url, tokens.dora);
    try {
      await call(node.url, 'admin', 'PATCH', `/users/${ids.dora}`, { role: 'requester' });
      await before.waitFor((e) => e.event === 'resync', 2000);
      // The server ends the stream: the browser reconnects and is authorised with the current role.
      await before.waitForEnd(2000);
    } finally {
      before.close();
    }
    const after = await openStream(node.url, tokens.dora);
    const agent = await openStream(node.url, tokens.agent);
    try {
      const ticket = await call(node.url, 'alice', 'POST', '/tickets', { title: 'Shared drive is read-only' });
      await call(node.url, 'agent', 'POST', `/tickets/${ticket.id}/comments`, { body: 'Quota hit', visibility: 'internal' });
      await agent.waitFor((e) => e.event === 'ticket' && (e.data as { type: string }).type === 'work_note', 1000);
      expect(after.events.filter((e) => e.event === 'ticket')).toEqual([]);
    } finally {
      after.close();
      agent.close();
    }
  });

  it('tells the desk when a requester rates a closed ticket, so the rating shows without a reload', async () => {
    const closed = await call(node.url, 'alice', 'POST', '/tickets', { title: 'Monitor flickers' });
    await call(node.url, 'agent', 'PATCH', `/tickets/${closed.id}`, { assigneeId: ids.agent });
    await call(node.url, 'agent', 'POST', `/tickets/${closed.id}/transitions`, { to: 'in_progress' });
    await call(node.url, 'agent', 'POST', `/tickets/${closed.id}/transitions`, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'New cable',
    });
    await call(node.url, 'agent', 'POST', `/tickets/${closed.id}/transitions`, { to: 'closed' });
    const agent = await openStream(node.url, tokens.agent);
    const bob = await openStream(node.url, tokens.bob);
    try {
      await call(node.url, 'alice', 'PUT', `/tickets/${closed.id}/satisfaction`, { rating: 4, comment: 'Quick' });
      await agent.waitFor((e) => e.event === 'ticket' && e.data.ticketId === closed.id && e.data.type === 'rated', 1000);
      expect(bob.events.filter((e) => e.event === 'ticket')).toEqual([]);
      expect(JSON.stringify(agent.events)).not.toContain('Quick');
    } finally {
      agent.close();
      bob.close();
    }
  });

  it('refuses a caller who is not signed in', async () => {
    const res = await fetch(`${node.url}/api/v1/events`);
    expect(res.status).toBe(401);
  });
});

describe.runIf(testEngine() === 'postgres')('the live stream with two server processes on one PostgreSQL', () => {
  it('tells a browser connected to one process about a ticket created through the other', async () => {
    const other = await startNode(database, clock);
    const agent = await openStream(other.url, tokens.agent);
    try {
      const ticket = await call(node.url, 'bob', 'POST', '/tickets', { title: 'Payroll export times out' });
      await agent.waitFor((e) => e.event === 'ticket' && (e.data as { ticketId: string }).ticketId === ticket.id, 1000);
    } finally {
      agent.close();
      await other.app.close();
      await other.listener.close();
    }
  });

  it('closes a stream on one process when the person is demoted through the other', async () => {
    const other = await startNode(database, clock);
    const user = await createUser({ db: database.db, clock }, { email: 'eve@example.test', name: 'eve', role: 'agent', timeZone: 'UTC' });
    const token = (await createApiToken({ db: database.db, clock }, { id: user.id, role: 'agent' }, { name: 'test', scope: 'write' }))
      .secret;
    const stream = await openStream(other.url, token);
    try {
      await call(node.url, 'admin', 'PATCH', `/users/${user.id}`, { role: 'requester' });
      await stream.waitFor((e) => e.event === 'resync', 2000);
      await stream.waitForEnd(2000);
    } finally {
      stream.close();
      await other.app.close();
      await other.listener.close();
    }
  });
});
