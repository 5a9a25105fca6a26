import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  StatusComponents,
  StatusIncidents,
  StatusMaintenances,
  StatusStatus,
  StatusSummary,
} from '../../../../core/contracts/status-page.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let admin: TestUser;
let manager: TestUser;
let agent: TestUser;
const ids: Record<string, string> = {};

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, who?: TestUser, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, ...(who ? { headers: who.headers } : {}), ...(payload ? { payload } : {}) });

async function service(name: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/services', admin, { name, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  ids[name] = json(res).id;
  return ids[name];
}

async function incident(title: string, fields: Record<string, unknown>) {
  const res = await call('POST', '/api/v1/tickets', agent, { kind: 'incident', title, impact: 1, urgency: 1, ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; number: string }>(res);
}

const page = async () => (await call('GET', '/status')).body;
const summary = async () => {
  const res = await call('GET', '/status/api/v2/summary.json');
  expect(res.statusCode).toBe(200);
  const body = json(res);
  // Every document must read as Statuspage's own (schemas derived from its documented example).
  expect(StatusSummary.safeParse(body).error?.issues ?? []).toEqual([]);
  return body;
};
const statusOf = async (name: string) =>
  (await summary()).components.find((c: { id: string }) => c.id === ids[name])?.status as string | undefined;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  manager = await t.user('manager');
  agent = await t.user('agent', { name: 'Ana Agent' });
});
afterAll(() => t.close());

describe('the public status page', () => {
  it('needs no sign-in and says all is well while nothing is shown or broken', async () => {
    const res = await call('GET', '/status');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('All Systems Operational');
    expect(res.body).toContain('No services are shown here yet.');
    expect(res.body).not.toContain('<script');
    expect((await summary()).status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
  });

  it('shows a global P1 as a major outage of its service and of what depends on it, with the desk’s public words only', async () => {
    await service('Firewall'); // not public
    const vpn = await service('VPN', { onStatusPage: true, dependsOnIds: [ids.Firewall] });
    await service('Payroll', { onStatusPage: true, dependsOnIds: [vpn] });
    await service('Printing', { onStatusPage: true });
    const outage = await incident('VPN down for everyone', { scope: 'global', serviceId: vpn });
    await incident('My printer jams', { serviceId: ids.Printing, impact: 3, urgency: 3 }); // local: one person's problem
    await call('POST', `/api/v1/tickets/${outage.id}/comments`, agent, {
      body: 'We are investigating <script>alert("x")</script> connection failures.',
      visibility: 'public',
    });
    await call('POST', `/api/v1/tickets/${outage.id}/comments`, agent, { body: 'Suspect the certificate', visibility: 'internal' });

    expect(await statusOf('VPN')).toBe('major_outage');
    expect(await statusOf('Payroll')).toBe('major_outage');
    expect(await statusOf('Printing')).toBe('operational');
    expect((await summary()).components.map((c: { name: string }) => c.name)).toEqual(['Payroll', 'Printing', 'VPN']);

    const body = await summary();
    expect(body.status.indicator).toBe('critical');
    expect(body.incidents).toHaveLength(1);
    expect(body.incidents[0]).toMatchObject({ name: 'VPN down for everyone', status: 'investigating', impact: 'critical' });
    expect(body.incidents[0].incident_updates.map((u: { body: string }) => u.body)).toEqual([
      'We are investigating <script>alert("x")</script> connection failures.',
    ]);
    expect([...body.incidents[0].components].sort()).toEqual([ids.Payroll, ids.VPN].sort());

    const html = await page();
    expect(html).toContain('Major System Outage');
    expect(html).toContain('VPN down for everyone');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('Suspect the certificate');
    expect(html).not.toContain('My printer jams');
  });

  it('shows it operational again once resolved, with the resolution as the last update, the dip in today’s uptime, and in the history', async () => {
    const vpnIncident = (await summary()).incidents[0];
    t.clock.advance(90 * 60_000);
    const resolved = await call('POST', `/api/v1/tickets/${vpnIncident.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'The VPN certificate was renewed; connections work again.',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(await statusOf('VPN')).toBe('operational');
    expect((await summary()).incidents).toEqual([]);

    const all = json(await call('GET', '/status/api/v2/incidents.json'));
    expect(StatusIncidents.safeParse(all).success).toBe(true);
    expect(all.incidents[0]).toMatchObject({ status: 'resolved', resolved_at: t.clock.now().toISOString() });
    expect(all.incidents[0].incident_updates[0]).toMatchObject({
      status: 'resolved',
      body: 'The VPN certificate was renewed; connections work again.',
    });
    expect(json(await call('GET', '/status/api/v2/incidents/unresolved.json')).incidents).toEqual([]);

    const html = await page();
    // The services exist since 08:00 and VPN was down until 09:30: today so far it was never up.
    expect(html).toMatch(/Not fully up on \d+ Mar 2026 \(0\.00%, major outage\)\./);
    const bar = html.match(/src="(\/status\/uptime\/[^"]+\.svg\?v=[^"]+)"/g) ?? [];
    expect(bar).toHaveLength(3); // one image per public service
    const vpnBar = await call('GET', `/status/uptime/${ids.VPN}.svg`);
    expect(vpnBar.headers['content-type']).toContain('image/svg+xml');
    expect(vpnBar.body).toMatch(/<title>\d+ Mar 2026: 0\.00% up, major outage<\/title>/);
    expect((await call('GET', `/status/uptime/${ids.Printing}.svg`)).body).toMatch(/<title>\d+ Mar 2026: 100\.00% up<\/title>/);
    expect((await call('GET', `/status/uptime/${ids.Firewall}.svg`)).statusCode).toBe(404); // not on the page
    expect((await call('GET', '/status/history')).body).toContain('VPN down for everyone');
    const own = await call('GET', `/status/incidents/${vpnIncident.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Affects: Payroll, VPN');
    expect((await call('GET', '/status/incidents/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('serves every Statuspage v2 document in its shape', async () => {
    expect(StatusStatus.safeParse(json(await call('GET', '/status/api/v2/status.json'))).success).toBe(true);
    expect(StatusComponents.safeParse(json(await call('GET', '/status/api/v2/components.json'))).success).toBe(true);
    for (const which of ['', '/upcoming', '/active']) {
      const res = await call('GET', `/status/api/v2/scheduled-maintenances${which}.json`);
      expect(res.statusCode).toBe(200);
      expect(StatusMaintenances.safeParse(json(res)).success).toBe(true);
    }
  });
});

describe('the feeds', () => {
  it('give a feed reader every public update, newest first, as plain text, for the page and for one service', async () => {
    for (const [format, type] of [
      ['rss', 'application/rss+xml'],
      ['atom', 'application/atom+xml'],
    ]) {
      const res = await call('GET', `/status/feed.${format}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain(type);
      // Another project's feed parser reads what Firebreak wrote.
      const feed = parseFeed(res.body);
      expect(feed.title).toBe('Service status');
      const titles = feed.items.map((i) => i.title);
      expect(titles.slice(0, 2)).toEqual(['VPN down for everyone: resolved', 'VPN down for everyone: update']);
      const update = feed.items[1];
      expect(update.url).toMatch(/\/status\/incidents\/[0-9a-f-]{36}$/);
      // What people wrote is escaped in the feed (readers treat an entry's body as HTML) and
      // reaches the reader as the very characters written.
      expect(res.body).toContain('We are investigating &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(res.body).not.toContain('<script>');
      expect(update.content ?? update.description).toContain('We are investigating <script>alert("x")</script> connection failures.');
      expect(res.body).not.toContain('Suspect the certificate');
    }
    const printing = parseFeed((await call('GET', `/status/feed.atom?component=${ids.Printing}`)).body);
    expect(printing.title).toBe('Service status: Printing');
    expect(printing.items).toEqual([]);
    const payroll = parseFeed((await call('GET', `/status/feed.rss?component=${ids.Payroll}`)).body);
    expect(payroll.items.map((i) => i.title)).toContain('VPN down for everyone: resolved');
    const hidden = await call('GET', `/status/feed.rss?component=${ids.Firewall}`);
    expect(hidden.statusCode).toBe(404);
    expect(json(hidden).errors).toEqual([{ field: 'component', message: 'is not shown on the status page' }]);
  });

  it('announce an incident nobody has written about only after the first notice’s wait, as the mail does; the page shows it at once', async () => {
    const scanning = await service('Scanning', { onStatusPage: true });
    const { id } = await incident('Scanners offline', { serviceId: scanning, scope: 'global' });
    const titles = async () => parseFeed((await call('GET', `/status/feed.atom?component=${scanning}`)).body).items.map((i) => i.title);
    expect(await titles()).toEqual([]);
    expect(await statusOf('Scanning')).toBe('major_outage');
    t.clock.advance(5 * 60_000);
    expect(await titles()).toEqual(['Scanners offline: investigating']);
    const resolved = await call('POST', `/api/v1/tickets/${id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Rebooted the scan server',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
  });
});

describe('setting a component’s status by hand', () => {
  it('lets a manager set it until a time, after which the incidents decide again', async () => {
    const set = await call('PUT', `/api/v1/status-page/components/${ids.Printing}/override`, manager, {
      status: 'partial_outage',
      until: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
      reason: 'Paper supplier issue in Leeds',
    });
    expect(set.statusCode, set.body).toBe(204);
    expect(await statusOf('Printing')).toBe('partial_outage');
    expect(await page()).toContain('Paper supplier issue in Leeds');
    t.clock.advance(3_600_001);
    expect(await statusOf('Printing')).toBe('operational');
  });

  it('refuses an end in the past, a service not on the page, and agents; nothing changes', async () => {
    const past = await call('PUT', `/api/v1/status-page/components/${ids.Printing}/override`, manager, {
      status: 'major_outage',
      until: '2020-01-01T00:00:00Z',
      reason: 'x',
    });
    expect(past.statusCode).toBe(422);
    expect(json(past).errors).toEqual([{ field: 'until', message: 'must be in the future: the override ends then' }]);
    const hidden = await call('PUT', `/api/v1/status-page/components/${ids.Firewall}/override`, manager, {
      status: 'major_outage',
      until: new Date(t.clock.now().getTime() + 60_000).toISOString(),
      reason: 'x',
    });
    expect(hidden.statusCode).toBe(422);
    expect(json(hidden).detail).toContain('Firewall is not shown on the status page');
    const byAgent = await call('PUT', `/api/v1/status-page/components/${ids.Printing}/override`, agent, {
      status: 'major_outage',
      until: new Date(t.clock.now().getTime() + 60_000).toISOString(),
      reason: 'x',
    });
    expect(byAgent.statusCode).toBe(403);
    expect(await statusOf('Printing')).toBe('operational');
  });

  it('shows the organisation’s name an admin sets', async () => {
    const res = await call('PUT', '/api/v1/status-page/settings', admin, { name: 'Acme <IT> status' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await page()).toContain('Acme &lt;IT&gt; status');
    expect((await summary()).page.name).toBe('Acme <IT> status');
  });

  it('keeps how long the automatic first notice waits (5 minutes unless an admin says otherwise), and refuses a wrong one', async () => {
    const settings = async () => json(await call('GET', '/api/v1/status-page/settings', agent));
    expect((await settings()).firstNoticeDelayMinutes).toBe(5);
    const set = await call('PUT', '/api/v1/status-page/settings', admin, { name: 'Acme <IT> status', firstNoticeDelayMinutes: 10 });
    expect(set.statusCode, set.body).toBe(200);
    // A client that sends the name alone leaves the wait as it was.
    await call('PUT', '/api/v1/status-page/settings', admin, { name: 'Acme <IT> status' });
    expect(await settings()).toEqual({ name: 'Acme <IT> status', firstNoticeDelayMinutes: 10 });
    for (const wrong of [-1, 2.5, 61, 'soon']) {
      const res = await call('PUT', '/api/v1/status-page/settings', admin, { name: 'Changed', firstNoticeDelayMinutes: wrong });
      expect(res.statusCode, String(wrong)).toBe(400);
      expect(json(res).errors).toContainEqual(expect.objectContaining({ field: 'firstNoticeDelayMinutes' }));
    }
    const byAgent = await call('PUT', '/api/v1/status-page/settings', agent, { name: 'Changed', firstNoticeDelayMinutes: 0 });
    expect(byAgent.statusCode).toBe(403);
    const anonymous = await call('PUT', '/api/v1/status-page/settings', undefined, { name: 'Changed', firstNoticeDelayMinutes: 0 });
    expect(anonymous.statusCode).toBe(401);
    expect(await settings()).toEqual({ name: 'Acme <IT> status', firstNoticeDelayMinutes: 10 });
  });
});

describe('a crowd reading the page', () => {
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('gets it gzip-compressed when the browser asks, and only "not modified" when it already has it', async () => {
    for (const url of ['/status', '/status/history', '/status/api/v2/summary.json', '/status/feed.atom']) {
      const plain = await get(url);
      expect(plain.statusCode, url).toBe(200);
      expect(plain.headers['content-encoding'], url).toBeUndefined();
      expect(plain.headers.vary).toContain('accept-encoding');

      const zipped = await get(url, { 'accept-encoding': 'br;q=0.5, gzip;q=0.8' });
      expect(zipped.headers['content-encoding'], url).toBe('gzip');
      expect(gunzipSync(zipped.rawPayload).toString('utf8'), url).toBe(plain.body);
      expect(zipped.headers.etag).toBe(plain.headers.etag);
      expect(zipped.headers['content-type']).toBe(plain.headers['content-type']);
      expect(Number(zipped.headers['content-length'])).toBe(zipped.rawPayload.length);

      // What browsers send: brotli, the smallest, made once per computation like gzip.
      const brotli = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect(brotli.headers['content-encoding'], url).toBe('br');
      expect(brotliDecompressSync(brotli.rawPayload).toString('utf8'), url).toBe(plain.body);
      expect(brotli.headers.etag).toBe(plain.headers.etag);
      expect(brotli.rawPayload.length, url).toBeLessThanOrEqual(zipped.rawPayload.length);

      const refused = await get(url, { 'accept-encoding': 'gzip;q=0, br;q=0, identity' });
      expect(refused.headers['content-encoding'], url).toBeUndefined();

      const revalidated = await get(url, { 'if-none-match': String(plain.headers.etag) });
      expect(revalidated.statusCode, url).toBe(304);
      expect(revalidated.body).toBe('');
    }
    // The page itself is much smaller on the wire (about a third here; a fifth on a page of 30 services).
    const html = await get('/status', { 'accept-encoding': 'gzip' });
    expect(html.rawPayload.length).toBeLessThan((await get('/status')).rawPayload.length / 2);
  });

  it('gets the new page, not "not modified", once something on it changed', async () => {
    const before = await get('/status');
    const renamed = await call('PUT', '/api/v1/status-page/settings', admin, { name: 'Acme IT, renamed' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = await get('/status', { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Acme IT, renamed');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });
});
