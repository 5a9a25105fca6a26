import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { smtpMailer } from '../../adapters/mailer.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

/**
 * Status page subscriptions end to end (issue 15 #3): the form, the confirmation mail through a
 * real SMTP conversation, the fan-out of the desk's public words to confirmed subscribers only,
 * the RFC 8058 one-click unsubscribe followed over HTTP, forged and expired links, and SMTP down
 * during a fan-out.
 */
const PUBLIC_URL = 'http://status.firebreak.test';
let t: TestApp;
let sink: SmtpSink;
let mailer: ReturnType<typeof smtpMailer>;
let admin: TestUser;
let agent: TestUser;
let requester: TestUser;
const svc: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: PUBLIC_URL } });
  sink = await startSmtpSink();
  mailer = smtpMailer(`smtp://127.0.0.1:${sink.port}`, 'Status <status@firebreak.test>');
  admin = await t.user('admin');
  agent = await t.user('agent');
  requester = await t.user('requester');
  for (const name of ['VPN', 'Printing']) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/services',
      headers: admin.headers,
      payload: { name, onStatusPage: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    svc[name] = json(res).id;
  }
});
afterAll(async () => {
  mailer.close();
  await sink.stop();
  await t.close();
});

/** Runs every job due now until none is left (retries wait for the clock). */
async function drain() {
  const registry = buildJobRegistry({ mail: { ...NO_DELIVERY.mail, mailer, messageIdDomain: 'firebreak.test', publicUrl: PUBLIC_URL } });
  const totals = { claimed: 0, failed: 0 };
  for (let i = 0; i < 50; i += 1) {
    const sweep = await runDueJobs(t.deps, registry, WORKER_OPTIONS);
    totals.claimed += sweep.claimed;
    totals.failed += sweep.failed;
    if (sweep.claimed === 0) return totals;
  }
  throw new Error('jobs kept coming');
}

const form = (url: string, body: string) =>
  t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
const subscribe = (email: string, components?: string[]) =>
  form(
    '/status/subscribe',
    components
      ? `email=${encodeURIComponent(email)}&scope=some&${components.map((c) => `component=${c}`).join('&')}`
      : `email=${encodeURIComponent(email)}&scope=all`,
  );
const mailsTo = (address: string) => sink.messages.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === address);
const pathOf = (url: string) => url.replace(PUBLIC_URL, '');
function linkIn(mail: ParsedMail, label: RegExp): string {
  const match = label.exec(mail.text ?? '');
  if (!match) throw new Error(`no link in ${mail.text}`);
  return match[1];
}
/** The RFC 8058 header as sent (unfolded): `<url>`. */
function listUnsubscribe(mail: ParsedMail): string {
  const line = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
  const match = /<([^>]+)>/.exec(line.replace(/\r?\n[ \t]+/g, ''));
  if (!match) throw new Error(`no List-Unsubscribe in ${mail.headerLines.map((h) => h.key)}`);
  return match[1];
}
const counts = async () => json(await t.app.inject({ method: 'GET', url: '/api/v1/status-page/subscribers', headers: agent.headers }));

async function confirmedSubscriber(email: string, components?: string[]) {
  expect((await subscribe(email, components)).statusCode).toBe(200);
  await drain();
  const mail = await sink.waitFor((m) => mailsTo(email).includes(m) && /Confirm/.test(m.subject ?? ''), 5000);
  const res = await t.app.inject({ method: 'POST', url: pathOf(linkIn(mail, /Confirm it: (\S+)/)) });
  expect(res.body).toContain('Subscription confirmed');
}

async function publicIncident(title: string, serviceId: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: agent.headers,
    payload: { kind: 'incident', title, impact: 1, urgency: 2, scope: 'global', serviceId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string }>(res).id;
}
const comment = (ticketId: string, body: string, visibility: 'public' | 'internal' = 'public', who = agent) =>
  t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/comments`, headers: who.headers, payload: { body, visibility } });

describe('subscribing from the status page', () => {
  it('the page links to the form, which needs no account and lists the public services', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/status' })).body).toContain('href="/status/subscribe"');
    const res = await t.app.inject({ method: 'GET', url: '/status/subscribe' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("form-action 'self'");
    expect(res.body).toContain('E-mail address');
    expect(res.body).toContain(`value="${svc.VPN}"`);
    expect(res.body).not.toContain('<script');
  });

  it('a malformed address gets the form again saying what is wrong (a page), or problem+json naming the field', async () => {
    const page = await subscribe('ann@@example');
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Check the e-mail address: it is not an address we can send mail to');
    expect(page.body).toContain('value="ann@@example"');
    const api = await t.app.inject({ method: 'POST', url: '/status/subscribe', payload: { email: 'not an address', components: 'all' } });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(json(api).errors).toEqual([{ field: 'email', message: expect.stringContaining('not an address we can send mail to') }]);
    const none = await form('/status/subscribe', 'email=ann%40example.org&scope=some');
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Services: tick at least one, or choose all services.');
    expect((await counts()).awaitingConfirmation).toBe(0);
  });

  it('double opt-in: nothing is active until the mailed link is followed; the GET only shows a button', async () => {
    const res = await subscribe('  Ann.Lee@Example.ORG ');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('we sent a link to ann.lee@example.org');
    // A double click sends no second mail.
    expect((await subscribe('ann.lee@example.org')).body).toContain('a few minutes ago');
    await drain();
    const mail = await sink.waitFor(
      (m) => mailsTo('ann.lee@example.org').length > 0 && m.subject === '[Service status] Confirm your subscription',
      5000,
    );
    expect(mailsTo('ann.lee@example.org')).toHaveLength(1);
    expect((await counts()).awaitingConfirmation).toBe(1);

    const confirmUrl = linkIn(mail, /Confirm it: (\S+)/);
    expect(confirmUrl.startsWith(`${PUBLIC_URL}/status/confirm?token=`)).toBe(true);
    const shown = await t.app.inject({ method: 'GET', url: pathOf(confirmUrl) });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Start sending status updates to ann.lee@example.org?');
    expect(shown.headers['referrer-policy']).toBe('same-origin');
    expect((await counts()).awaitingConfirmation).toBe(1);

    const confirmed = await t.app.inject({ method: 'POST', url: pathOf(confirmUrl) });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Subscription confirmed');
    const after = await counts();
    expect(after.awaitingConfirmation).toBe(0);
    expect(after.allComponents.email).toBe(1);
    // Following it again is harmless and says so.
    expect((await t.app.inject({ method: 'POST', url: pathOf(confirmUrl) })).body).toContain('Already confirmed');
  });

  it('a confirmed address subscribing again needs no confirmation: its choice of services is updated', async () => {
    const before = sink.messages.length;
    const res = await subscribe('ANN.LEE@example.org', [svc.Printing]);
    expect(res.body).toContain('already subscribed and confirmed: no need to confirm again');
    const api = await t.app.inject({
      method: 'POST',
      url: '/status/subscribe',
      payload: { email: 'ann.lee@example.org', components: 'all' },
    });
    expect(json(api)).toMatchObject({ state: 'already_confirmed', email: 'ann.lee@example.org' });
    await drain();
    expect(sink.messages.length).toBe(before);
    expect((await counts()).allComponents.email).toBe(1);
  });

  it('a forged or expired confirmation link shows a clear page and changes nothing', async () => {
    await subscribe('bob@example.org');
    await drain();
    const mail = await sink.waitFor((m) => mailsTo('bob@example.org').includes(m), 5000);
    const url = pathOf(linkIn(mail, /Confirm it: (\S+)/));
    const token = decodeURIComponent(url.split('token=')[1]);
    const [body, signature] = token.split('.');
    // Claims rewritten for another subscriber keep the old signature: refused.
    const forgedBody = Buffer.from(Buffer.from(body, 'base64url').toString().replace('bob@', 'eve@')).toString('base64url');
    for (const forged of [`${forgedBody}.${signature}`, `${body}.${signature.slice(0, -2)}xx`, 'nonsense', '']) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.app.inject({ method, url: `/status/confirm?token=${encodeURIComponent(forged)}` });
        expect(res.statusCode, `${method} ${forged}`).toBe(400);
        expect(res.body).toContain('This link does not work');
        expect(res.body).toContain('Nothing was changed');
      }
    }
    // A program calling with JSON gets problem+json naming the token.
    const api = await t.app.inject({ method: 'POST', url: '/status/confirm?token=nonsense', payload: {} });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(json(api).errors).toEqual([{ field: 'token', message: 'is not a valid link' }]);
    expect((await counts()).awaitingConfirmation).toBe(1);
    t.clock.advance(49 * 3_600_000);
    const expired = await t.app.inject({ method: 'POST', url });
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('expired');
    expect((await counts()).awaitingConfirmation).toBe(1);
  });
});

describe('fan-out to subscribers', () => {
  it("the desk's public words reach every confirmed subscriber of the service once, as text, with RFC 8058 headers; nobody else", async () => {
    await confirmedSubscriber('carl@example.org', [svc.VPN]);
    await confirmedSubscriber('dora@example.org', [svc.Printing]);
    await subscribe('ann.lee@example.org'); // back to every service (no confirmation needed)
    const vpn = await publicIncident('VPN down for everyone', svc.VPN);
    await comment(vpn, 'Tunnel <b>gateway</b> restarting <script>alert(1)</script>');
    await comment(vpn, 'Suspect the certificate', 'internal');
    await comment(vpn, 'Still broken for me', 'public', requester);
    await drain();

    for (const address of ['carl@example.org', 'ann.lee@example.org']) {
      const mails = mailsTo(address).filter((m) => /VPN down/.test(m.subject ?? ''));
      // The desk spoke before the automatic "Investigating" notice's wait ended: one mail, the desk's.
      expect(mails.map((m) => m.subject).sort(), address).toEqual(['[Service status] Update: VPN down for everyone']);
      const update = mails.find((m) => /Update/.test(m.subject ?? '')) as ParsedMail;
      expect(update.text).toContain('Tunnel <b>gateway</b> restarting <script>alert(1)</script>');
      expect(update.html).toContain('Tunnel &lt;b&gt;gateway&lt;/b&gt; restarting &lt;script&gt;');
      expect(update.html).not.toContain('<script>');
      expect(listUnsubscribe(update).startsWith(`${PUBLIC_URL}/status/unsubscribe?token=`)).toBe(true);
      expect(update.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      );
    }
    expect(mailsTo('dora@example.org').filter((m) => /VPN/.test(m.subject ?? ''))).toEqual([]);
    expect(mailsTo('bob@example.org').filter((m) => /VPN/.test(m.subject ?? ''))).toEqual([]);
    expect(sink.messages.some((m) => /certificate|Still broken/.test(m.text ?? ''))).toBe(false);

    // Running the jobs again sends nothing twice.
    const sent = sink.messages.length;
    await drain();
    expect(sink.messages.length).toBe(sent);
  });

  it('the unsubscribe link: GET shows a button, the one-click POST unsubscribes with no question, nothing more arrives', async () => {
    const update = mailsTo('carl@example.org').find((m) => /Update: VPN/.test(m.subject ?? '')) as ParsedMail;
    const url = pathOf(listUnsubscribe(update));
    const shown = await t.app.inject({ method: 'GET', url });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Stop sending status updates to carl@example.org?');
    expect(shown.body).toContain('name="List-Unsubscribe" value="One-Click"');

    // What a mail client does (RFC 8058 §3.1): POST the address, body List-Unsubscribe=One-Click, no cookies.
    const before = (await counts()).components.find((c: { componentId: string }) => c.componentId === svc.VPN).email;
    const forged = await form(`${url.slice(0, -4)}AAAA`, 'List-Unsubscribe=One-Click');
    expect(forged.statusCode).toBe(400);
    expect((await counts()).components.find((c: { componentId: string }) => c.componentId === svc.VPN).email).toBe(before);
    const res = await form(url, 'List-Unsubscribe=One-Click');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('carl@example.org will get no more status updates');
    expect((await counts()).components.find((c: { componentId: string }) => c.componentId === svc.VPN).email).toBe(before - 1);
    // Some clients post multipart/form-data; a repeat answers the same way, harmlessly.
    const again = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
    });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('is not subscribed');

    const vpn = await publicIncident('VPN slow', svc.VPN);
    await comment(vpn, 'Looking into it');
    await drain();
    expect(mailsTo('carl@example.org').filter((m) => /VPN slow/.test(m.subject ?? ''))).toEqual([]);
    expect(
      mailsTo('ann.lee@example.org')
        .filter((m) => /VPN slow/.test(m.subject ?? ''))
        .map((m) => m.subject),
    ).toEqual(['[Service status] Update: VPN slow']);
  });

  it('SMTP down during a fan-out: every subscriber gets the update once, after it comes back', async () => {
    const printing = await publicIncident('Printers offline', svc.Printing);
    await drain();
    const port = sink.port;
    const kept = sink.messages.length;
    await sink.stop();
    await comment(printing, 'Replacing the print server');
    const down = await drain();
    expect(down.failed).toBeGreaterThan(0);
    sink = await startSmtpSink(port);
    // The failed deliveries wait for their retry; time moves past it.
    t.clock.advance(10 * 60_000);
    await drain();
    const updates = sink.messages.filter((m) => m.subject === '[Service status] Update: Printers offline');
    expect(updates.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '')).sort()).toEqual(['ann.lee@example.org', 'dora@example.org']);
    expect(kept).toBeGreaterThan(0);
  });

  it('the resolution reaches subscribers with its notes', async () => {
    const vpn = await publicIncident('VPN flapping', svc.VPN);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${vpn}/transitions`,
      headers: agent.headers,
      payload: { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Replaced the <faulty> line card' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    const resolved = await sink.waitFor((m) => m.subject === '[Service status] Resolved: VPN flapping', 5000);
    expect(resolved.text).toContain('Replaced the <faulty> line card');
    expect(resolved.html).toContain('Replaced the &lt;faulty&gt; line card');
  });

  it('an incident nobody on the desk speaks about is announced by itself ("Investigating") once its 5 minutes are up', async () => {
    await publicIncident('Scanners offline', svc.Printing);
    const subjects = () => sink.messages.filter((m) => /Scanners offline/.test(m.subject ?? '')).map((m) => m.subject);
    await drain();
    t.clock.advance(4 * 60_000);
    await drain();
    expect(subjects()).toEqual([]);
    t.clock.advance(60_000);
    await drain();
    await sink.waitFor(
      (m) => m.subject === '[Service status] Investigating: Scanners offline' && mailsTo('dora@example.org').includes(m),
      5000,
    );
    await sink.waitFor(
      (m) => m.subject === '[Service status] Investigating: Scanners offline' && mailsTo('ann.lee@example.org').includes(m),
      5000,
    );
    await drain();
    expect(subjects()).toEqual(['[Service status] Investigating: Scanners offline', '[Service status] Investigating: Scanners offline']);
  });
});
