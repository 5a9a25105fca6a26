import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { createTestPerson, reportTestTicket } from '../../test/factories.js';
import { type HttpReceiver, startHttpReceiver } from '../../test/http-receiver.js';
import { FakeClock } from '../adapters/clock.js';
import { createOutboundGuard, type OutboundGuard } from '../adapters/outbound-guard.js';
import { httpWebhookSender, signWebhook } from '../adapters/webhook-sender.js';
import type { Database } from '../db/client.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { getDeliveryLog } from './notifications.service.js';
import { addComment } from './ticket-conversation.service.js';
import { transitionTicket } from './ticket-work.service.js';
import { createWebhook, removeWebhook } from './webhooks.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock; outbound: OutboundGuard };
/** The receiver listens on loopback: allowed here explicitly, as an operator would with FIREBREAK_ALLOW_PRIVATE_TARGETS. */
const loopbackAllowed = createOutboundGuard({ allow: ['127.0.0.1'] });
let receiver: HttpReceiver;
let agent: { id: string; role: 'agent' };
const SECRET = 'a-shared-secret-of-some-length';

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-04-01T10:00:00Z');
  deps = { db: database.db, clock, outbound: loopbackAllowed };
  receiver = await startHttpReceiver();
  agent = await createTestPerson(deps, 'agent', { email: 'agent@hooks.test', name: 'Agent' });
});
afterAll(async () => {
  await receiver.stop();
  await database.close();
});

const sweep = () =>
  runDueJobs(
    deps,
    buildJobRegistry({
      mail: { ...NO_DELIVERY.mail, webhooks: httpWebhookSender({ timeoutMs: 5000, now: () => clock.now(), guard: loopbackAllowed }) },
    }),
    WORKER_OPTIONS,
  );
const report = (title: string) => reportTestTicket(deps, agent, title, { impact: 2, urgency: 2 });

describe('webhooks to a real HTTP receiver', () => {
  it('posts each ticket event as signed JSON a receiver can verify, and keeps work notes inside', async () => {
    const { webhook } = await createWebhook(deps, {
      name: 'automation',
      url: receiver.url,
      format: 'json',
      eventTypes: [],
      secret: SECRET,
    });
    const ticket = await report('Disk full on db-2');
    await addComment(deps, agent, ticket.id, { body: 'Cleared old WAL', visibility: 'internal' });
    await sweep();
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0];
    const timestamp = String(headers['x-firebreak-timestamp']);
    expect(timestamp).toBe(String(Math.floor(clock.now().getTime() / 1000)));
    expect(headers['x-firebreak-signature']).toBe(signWebhook(SECRET, timestamp, body));
    expect(headers['x-firebreak-signature']).not.toBe(signWebhook('another secret', timestamp, body));
    const parsed = JSON.parse(body);
    expect(parsed).toMatchObject({ event: { type: 'created' }, ticket: { number: ticket.number, title: 'Disk full on db-2' } });
    await removeWebhook(database.db, webhook.id);
  });

  it('retries a receiver that fails, and delivers each event once when it recovers', async () => {
    receiver.received.length = 0;
    const { webhook } = await createWebhook(deps, {
      name: 'chat',
      url: receiver.url,
      format: 'slack',
      eventTypes: ['state_changed'],
      secret: SECRET,
    });
    const ticket = await report('Wi-Fi down in hall B');
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    receiver.answers = [503, 500];
    await sweep(); // 503
    clock.advance(60_000);
    await sweep(); // 500
    clock.advance(5 * 60_000);
    await sweep(); // 200
    clock.advance(60 * 60_000);
    await sweep(); // nothing left
    expect(
      receiver.received.map((r) => r.status),
      receiver.received.map((r) => r.body).join('\n'),
    ).toEqual([503, 500, 200]);
    const slack = JSON.parse(receiver.received[2].body);
    expect(slack.text).toContain(`[${ticket.number}] Wi-Fi down in hall B`);
    await removeWebhook(database.db, webhook.id);
  });

  it('escapes what people typed in a Slack-format message: no channel ping, no disguised link (issue 11, finding 4)', async () => {
    receiver.received.length = 0;
    const { webhook } = await createWebhook(deps, {
      name: 'chat',
      url: receiver.url,
      format: 'slack',
      eventTypes: ['comment'],
      secret: SECRET,
    });
    const ticket = await report('<!channel> Payroll & VPN down <https://evil.example|sign in here>');
    await addComment(deps, agent, ticket.id, {
      body: 'Reset at <https://evil.example/reset|the portal> @channel <@U123>',
      visibility: 'public',
    });
    await sweep();
    expect(receiver.received).toHaveLength(1);
    const { text } = JSON.parse(receiver.received[0].body) as { text: string };
    // Slack reads <…> as a command (<!channel>, <@U…>) or a link (<url|label>): only our own link may be one.
    expect(text.match(/<[^>]*>/g)).toEqual([`<http://localhost/tickets/${ticket.id}|Open in Firebreak>`]);
    expect(text).toContain('&lt;!channel&gt; Payroll &amp; VPN down &lt;https://evil.example|sign in here&gt;');
    expect(text).toContain('Reset at &lt;https://evil.example/reset|the portal&gt;');
    // Tools that read a bare @channel (Mattermost, Discord's Slack endpoint) are not pinged either.
    expect(text).not.toMatch(/@channel/);
    await removeWebhook(database.db, webhook.id);
  });

  it('refuses delivery to a private address with the reason, at once and without connecting (issue 11, finding 5)', async () => {
    receiver.received.length = 0;
    const { webhook } = await createWebhook(deps, { name: 'inside', url: receiver.url, format: 'json', eventTypes: ['created'] });
    const ticket = await report('Printer jam');
    // The worker of a server that does not allow loopback.
    const refusing = httpWebhookSender({ timeoutMs: 5000, now: () => clock.now(), guard: createOutboundGuard({ allow: [] }) });
    await runDueJobs(deps, buildJobRegistry({ mail: { ...NO_DELIVERY.mail, webhooks: refusing } }), WORKER_OPTIONS);
    expect(receiver.received).toEqual([]);
    const [delivery] = await getDeliveryLog(database.db, { id: 'admin', role: 'admin' }, ticket.id);
    expect(delivery).toMatchObject({
      state: 'dead',
      attempts: 1,
      lastError: 'not sent: The address 127.0.0.1 is on this machine (loopback); allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS',
    });
    await removeWebhook(database.db, webhook.id);
  });

  it('posts to the address it checked, resolving the name once, with the name as Host', async () => {
    receiver.received.length = 0;
    const port = new URL(receiver.url).port;
    const { webhook } = await createWebhook(deps, {
      name: 'by name',
      url: `http://hooks.example.test:${port}/hook`,
      format: 'json',
      eventTypes: ['created'],
    });
    const lookups: string[] = [];
    const pinned = createOutboundGuard({
      allow: ['127.0.0.1'],
      resolver: async (host) => {
        lookups.push(host);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    const sender = httpWebhookSender({ timeoutMs: 5000, now: () => clock.now(), guard: pinned });
    await report('Scanner offline');
    await runDueJobs(deps, buildJobRegistry({ mail: { ...NO_DELIVERY.mail, webhooks: sender } }), WORKER_OPTIONS);
    // hooks.example.test is in no DNS: only the checked answer could have reached the receiver.
    expect(lookups).toEqual(['hooks.example.test']);
    expect(receiver.received.map((r) => r.headers.host)).toEqual([`hooks.example.test:${port}`]);
    await removeWebhook(database.db, webhook.id);
  });

  it('gives a slow receiver its share of deliveries and no more: another receiver is served meanwhile, the rest wait their turn without losing an attempt', async () => {
    receiver.received.length = 0;
    // A receiver that answers nothing until the test lets it.
    const stalled: ServerResponse[] = [];
    let twoStalled!: () => void;
    const stalledTwice = new Promise<void>((resolve) => {
      twoStalled = resolve;
    });
    let slowAnswered = 0;
    const slowServer = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (stalled.push(response) === 2) twoStalled();
        response.on('finish', () => slowAnswered++);
      });
    });
    await new Promise<void>((resolve) => slowServer.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slowServer.address() as AddressInfo).port}/hook`;
    const slow = await createWebhook(deps, { name: 'slow', url: slowUrl, format: 'json', eventTypes: ['created'] });
    const fast = await createWebhook(deps, { name: 'fast', url: receiver.url, format: 'json', eventTypes: ['state_changed'] });
    const sender = httpWebhookSender({
      timeoutMs: 30_000,
      now: () => clock.now(),
      guard: loopbackAllowed,
      perTarget: 2,
      waitingPerTarget: 0,
    });
    const registry = buildJobRegistry({ mail: { ...NO_DELIVERY.mail, webhooks: sender } });
    const tickets = [];
    for (const title of ['Door badge 1', 'Door badge 2', 'Door badge 3', 'Door badge 4']) tickets.push(await report(title));
    // Four deliveries for the slow receiver (created), two for the fast one (taken into work).
    for (const ticket of tickets.slice(0, 2)) await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    try {
      const sweeping = runDueJobs(deps, registry, WORKER_OPTIONS);
      await stalledTwice;
      // While the slow receiver holds its two, the fast one is served.
      await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 10_000 });
      for (const response of stalled.splice(0)) response.writeHead(200).end();
      await sweeping;
      const waiting = (await Promise.all(tickets.map((t) => getDeliveryLog(database.db, { id: 'admin', role: 'admin' }, t.id)))).flatMap(
        (rows) => rows.filter((row) => row.notification.webhookId === slow.webhook.id && row.state !== 'done'),
      );
      // Two were not sent yet: put back, their attempt not counted (a busy receiver is no failure).
      expect(waiting.map((row) => [row.state, row.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
      ]);
      // Their turn comes a moment later.
      clock.advance(1_000);
      const second = runDueJobs(deps, registry, WORKER_OPTIONS);
      await vi.waitFor(() => expect(stalled).toHaveLength(2), { timeout: 10_000 });
      for (const response of stalled.splice(0)) response.writeHead(200).end();
      await second;
      expect(slowAnswered).toBe(4);
      expect(receiver.received).toHaveLength(2);
    } finally {
      for (const response of stalled) response.destroy();
      await new Promise((resolve) => slowServer.close(resolve));
      await removeWebhook(database.db, slow.webhook.id);
      await removeWebhook(database.db, fast.webhook.id);
    }
  });

  it('lets a burst to one quick receiver flow through its short line in one sweep, none put back', async () => {
    receiver.received.length = 0;
    const quick = await createWebhook(deps, { name: 'quick', url: receiver.url, format: 'json', eventTypes: ['created'] });
    const sender = httpWebhookSender({
      timeoutMs: 30_000,
      now: () => clock.now(),
      guard: loopbackAllowed,
      perTarget: 2,
      waitingPerTarget: 40,
    });
    const registry = buildJobRegistry({ mail: { ...NO_DELIVERY.mail, webhooks: sender } });
    try {
      for (let n = 1; n <= 12; n++) await report(`Badge reader ${n}`);
      const sweep = await runDueJobs(deps, registry, WORKER_OPTIONS);
      expect(sweep).toMatchObject({ succeeded: 12, failed: 0 });
      expect(receiver.received).toHaveLength(12);
    } finally {
      await removeWebhook(database.db, quick.webhook.id);
    }
  });
});
