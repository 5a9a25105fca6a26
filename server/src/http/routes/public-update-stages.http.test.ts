import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportPublicOutageViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * A public update sent from the composer says its stage on the status page, in its JSON and in
 * its feeds ("Identified", not a bare "Update"), as Statuspage pages do; a plain public reply
 * stays an "Update".
 */
let t: TestApp;
let cora: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  cora = await t.user('agent', { name: 'Cora Comms' });
  const id = (await reportPublicOutageViaApi(t, cora, 'VPN down for every office')).incidentId;
  for (const [stage, text] of [
    ['investigating', 'We are investigating failed VPN connections.'],
    ['identified', 'An expired gateway certificate is the cause; a new one is being installed.'],
  ] as const) {
    t.clock.advance(60_000);
    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/stakeholder-updates`,
      headers: cora.headers,
      payload: { stage, text, audienceIds: ['public'] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
  }
  t.clock.advance(60_000);
  const reply = await t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${id}/comments`,
    headers: cora.headers,
    payload: { body: 'Some offices are back already.', visibility: 'public' },
  });
  expect(reply.statusCode, reply.body).toBe(201);
});
afterAll(() => t.close());

describe('the stage of a public update', () => {
  it('is the status of the update in the Statuspage JSON, newest first', async () => {
    const summary = json(await t.app.inject({ method: 'GET', url: '/status/api/v2/summary.json' }));
    const updates = summary.incidents[0].incident_updates as { status: string; body: string }[];
    expect(updates.map((u) => [u.status, u.body])).toEqual([
      ['investigating', 'Some offices are back already.'],
      ['identified', 'An expired gateway certificate is the cause; a new one is being installed.'],
      ['investigating', 'We are investigating failed VPN connections.'],
    ]);
  });

  it('heads the update on the page and in the feed, a plain reply staying an "Update"', async () => {
    const page = (await t.app.inject({ method: 'GET', url: '/status' })).body;
    const heads = [...page.matchAll(/<p class="update-head"><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
    expect(heads).toEqual(['Update', 'Identified', 'Investigating']);
    const feed = (await t.app.inject({ method: 'GET', url: '/status/feed.rss' })).body;
    expect(feed).toContain('VPN down for every office: identified');
    expect(feed).toContain('VPN down for every office: update');
  });
});
