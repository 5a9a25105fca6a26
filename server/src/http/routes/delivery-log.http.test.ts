import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * Issue 11, finding 8: a Slack or Teams webhook URL is its secret (anyone holding it may post to
 * the channel), and webhooks are admin-only; a ticket's delivery log, read by agents, names the
 * webhook instead. Admins still see where it went.
 */
let t: TestApp;
let admin: TestUser;
let agent: TestUser;
const SECRET_URL = 'https://hooks.slack.example/services/T000/B000/s3cr3tXYZ';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
});
afterAll(() => t.close());

describe("a ticket's delivery log", () => {
  it('shows agents the webhook’s name, never its URL; admins see the URL', async () => {
    const hook = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: admin.headers,
      payload: { name: 'Ops chat', url: SECRET_URL, format: 'slack' },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const ticket = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: agent.headers,
        payload: { title: 'Mail queue stuck', impact: 2, urgency: 2 },
      }),
    );
    const log = async (who: TestUser) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/notifications`, headers: who.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const forAgent = await log(agent);
    expect(forAgent.body).not.toContain('s3cr3t');
    expect(forAgent.body).not.toContain('hooks.slack.example');
    expect(json(forAgent).items.filter((d: { channel: string }) => d.channel === 'webhook')).toEqual([
      expect.objectContaining({
        channel: 'webhook',
        address: 'Ops chat',
        webhookName: 'Ops chat',
        subject: expect.stringContaining('Mail queue stuck'),
      }),
    ]);
    expect(json(await log(admin)).items.filter((d: { channel: string }) => d.channel === 'webhook')).toEqual([
      expect.objectContaining({ channel: 'webhook', address: SECRET_URL, webhookName: 'Ops chat' }),
    ]);
  });
});
