import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;
let dana: TestUser;
let rita: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-10T09:00:00Z');
  agent = await t.user('agent', { name: 'Alex Agent' });
  dana = await t.user('agent', { name: 'Dana Desk' });
  rita = await t.user('requester', { name: 'Rita' });
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH';
const call = (method: Method, url: string, who: TestUser, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: { ...who.headers, ...headers },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });

async function article(title: string, body: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/articles', agent, { title, body, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}
async function publish(id: string) {
  const res = await call('POST', `/api/v1/articles/${id}/transitions`, agent, { to: 'published' });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}
const search = async (who: TestUser, q: string) => {
  const res = await call('GET', `/api/v1/articles/search?q=${encodeURIComponent(q)}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return json(res).items as {
    id: string;
    title: string;
    titleParts: { text: string; match: boolean }[];
    excerpt: { text: string; match: boolean }[];
  }[];
};

describe('who reads which article', () => {
  it('requesters read only published articles for everyone; drafts, retired and staff-only ones are not found to them', async () => {
    const draft = await article('Printer jams on tray two', 'Open the tray and remove the paper.');
    const staffOnly = await publish((await article('Printer firmware reflash', 'Staff procedure.', { audience: 'staff' })).id);
    const retired = await publish((await article('Printer driver for Windows 7', 'Old driver.')).id);
    expect((await call('POST', `/api/v1/articles/${retired.id}/transitions`, agent, { to: 'retired' })).statusCode).toBe(200);
    const open = await publish((await article('Printer shows offline', 'Turn it off and on.')).id);

    for (const hidden of [draft, staffOnly, retired]) {
      expect((await call('GET', `/api/v1/articles/${hidden.id}`, rita)).statusCode).toBe(404);
      expect((await call('POST', `/api/v1/articles/${hidden.id}/solved`, rita)).statusCode).toBe(404);
    }
    expect((await call('GET', `/api/v1/articles/${open.id}`, rita)).statusCode).toBe(200);
    const listed = json(await call('GET', '/api/v1/articles', rita)).items.map((a: { id: string }) => a.id);
    expect(listed).toContain(open.id);
    expect(listed).not.toContain(draft.id);
    expect(listed).not.toContain(staffOnly.id);
    expect(listed).not.toContain(retired.id);
    const found = (await search(rita, 'printer')).map((h) => h.id);
    expect(found).toEqual([open.id]);
    // Staff find all four.
    expect((await search(agent, 'printer')).map((h) => h.id).sort()).toEqual([draft.id, staffOnly.id, retired.id, open.id].sort());
  });

  it('requesters cannot write, publish, preview or read the history (403), and nothing changes', async () => {
    const a = await article('Wi-Fi guest access', 'Ask reception.');
    expect((await call('POST', '/api/v1/articles', rita, { title: 'Mine', body: 'x' })).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/articles/${a.id}`, rita, { title: 'Hacked' })).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/articles/${a.id}/transitions`, rita, { to: 'published' })).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/articles/${a.id}/versions`, rita)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/articles/preview', rita, { body: 'x' })).statusCode).toBe(403);
    const now = json(await call('GET', `/api/v1/articles/${a.id}`, agent));
    expect(now).toMatchObject({ title: 'Wi-Fi guest access', state: 'draft', version: 1 });
  });
});

describe('versions', () => {
  it('keeps every save, shows one, restores one as a new version, and refuses a stale save naming who saved', async () => {
    const a = await article('VPN certificate error', 'Version one.');
    const v2 = await call('PATCH', `/api/v1/articles/${a.id}`, agent, { body: 'Version two.' }, { 'if-match': '"1"' });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.headers.etag).toBe('"2"');
    // Dana still has version 1 open: her save is refused and names Alex.
    const stale = await call('PATCH', `/api/v1/articles/${a.id}`, dana, { body: 'Dana’s text' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(json(stale).detail).toContain('Alex Agent');
    expect(json(stale).changedBy.name).toBe('Alex Agent');
    expect(json(await call('GET', `/api/v1/articles/${a.id}`, agent)).body).toBe('Version two.');

    const history = json(await call('GET', `/api/v1/articles/${a.id}/versions`, agent)).items;
    expect(history.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history[0].savedBy).toBe('Alex Agent');
    const one = json(await call('GET', `/api/v1/articles/${a.id}/versions/1`, agent));
    expect(one.body).toBe('Version one.');
    expect(one.html).toContain('<p>Version one.</p>');
    expect((await call('GET', `/api/v1/articles/${a.id}/versions/9`, agent)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/articles/${a.id}/versions/abc`, agent)).statusCode).toBe(400);

    const restored = await call('POST', `/api/v1/articles/${a.id}/versions/1/restore`, dana, undefined, { 'if-match': '"2"' });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(json(restored)).toMatchObject({ body: 'Version one.', version: 3, updatedBy: { name: 'Dana Desk' } });
    expect(json(await call('GET', `/api/v1/articles/${a.id}/versions`, agent)).items).toHaveLength(3);
  });

  it('refuses bad input naming the field, and saves nothing', async () => {
    const a = await article('Password reset', 'Use the self-service page.');
    const bad = await call('PATCH', `/api/v1/articles/${a.id}`, agent, { title: 'x', audience: 'martians' });
    expect(bad.statusCode).toBe(400);
    const fields = json(bad).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'audience']));
    const unknownService = await call('PATCH', `/api/v1/articles/${a.id}`, agent, { serviceIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknownService.statusCode).toBe(400);
    expect(json(unknownService).errors[0].field).toBe('serviceIds');
    expect((await call('POST', `/api/v1/articles/${a.id}/transitions`, agent, { to: 'retired' })).statusCode).toBe(409);
    expect(json(await call('GET', `/api/v1/articles/${a.id}`, agent))).toMatchObject({ version: 1, state: 'draft', serviceIds: [] });
  });
});

describe('safe Markdown', () => {
  it('neutralises scripts, iframes, on* attributes, javascript:/data: links and images from other hosts', async () => {
    const body = [
      '# Fix',
      '<script>alert(1)</script>',
      '<iframe src="https://evil.example/"></iframe>',
      '<img src="/x.png" onerror="alert(1)">',
      '[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://intranet.example/vpn)',
      '![tracker](https://evil.example/pixel.png) ![local](/api/v1/attachments/abc)',
    ].join('\n\n');
    const a = await article('Markdown safety', body);
    const html: string = a.html;
    expect(html).toContain('<h1>Fix</h1>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).not.toContain('src="https://evil.example');
    expect(html).toContain('<a href="https://intranet.example/vpn" rel="noopener noreferrer nofollow">ok</a>');
    expect(html).toContain('<img src="/api/v1/attachments/abc" alt="local" />');
    // The preview renders the same way.
    expect(json(await call('POST', '/api/v1/articles/preview', agent, { body })).html).toBe(html);
  });
});

describe('search', () => {
  it('ranks title matches first and highlights the words as plain text parts', async () => {
    const inBody = await publish((await article('Remote access tips', 'If the VPN client says certificate expired, reinstall it.')).id);
    const inTitle = await publish((await article('VPN certificate expired', 'Renew it from the self-service page.')).id);
    const hits = await search(rita, 'vpn certificate <b>error</b>');
    const ids = hits.map((h) => h.id);
    expect(ids.indexOf(inTitle.id)).toBeLessThan(ids.indexOf(inBody.id));
    expect(hits[0].titleParts.filter((p) => p.match).map((p) => p.text.toLowerCase())).toEqual(['vpn', 'certificate']);
    const bodyHit = hits.find((h) => h.id === inBody.id);
    expect(bodyHit?.excerpt.some((p) => p.match && p.text === 'VPN')).toBe(true);
  });

  it('lists articles holding every word before those holding only some, and still lists those', async () => {
    const someWords = await publish((await article('Wireguard tunnel tunnel drops', 'The wireguard tunnel drops: restart the tunnel.')).id);
    const everyWord = await publish((await article('Office set-up notes', 'Staff machines need a new wireguard keyfile.')).id);
    const ids = (await search(rita, 'wireguard keyfile')).map((h) => h.id);
    expect(ids).toEqual([everyWord.id, someWords.id]);
  });

  it('answers a 10,000-character query and one full of operators quickly and without error', async () => {
    for (const q of ['vpn '.repeat(2500), `!(&|:*'"\\) <-> ${'!'.repeat(3000)} vpn:* & | !`, '&&&|||!!!', '', '    ', 'a'.repeat(10_000)]) {
      const started = performance.now();
      const res = await call('GET', `/api/v1/articles/search?q=${encodeURIComponent(q)}`, rita);
      expect(res.statusCode, `${q.slice(0, 20)} → ${res.body}`).toBe(200);
      expect(performance.now() - started).toBeLessThan(2000);
    }
    expect(await search(rita, '&&&|||!!!')).toEqual([]);
    const tooLong = await call('GET', `/api/v1/articles/search?q=${'x'.repeat(20_001)}`, rita);
    expect(tooLong.statusCode).toBe(400);
  });
});

describe('helpful votes, deflection and articles from tickets', () => {
  it('counts yes, no and "This solved it" once per person, on published articles only', async () => {
    const a = await publish((await article('Outlook keeps asking for a password', 'Remove the saved credential.')).id);
    const counts = async () => {
      const { helpfulYes, helpfulNo, solvedCount } = json(await call('GET', `/api/v1/articles/${a.id}`, agent));
      return { helpfulYes, helpfulNo, solvedCount };
    };
    const vote = (who: TestUser, helpful: unknown) => call('POST', `/api/v1/articles/${a.id}/feedback`, who, { helpful });
    expect((await vote(rita, true)).statusCode).toBe(200);
    expect((await vote(rita, true)).statusCode).toBe(200);
    expect(await counts()).toEqual({ helpfulYes: 1, helpfulNo: 0, solvedCount: 0 });
    // Changing one's mind moves the vote; it does not add one.
    const turned = await vote(rita, false);
    expect(json(turned)).toMatchObject({ helpfulYes: 0, helpfulNo: 1 });
    expect((await vote(dana, false)).statusCode).toBe(200);
    expect((await vote(rita, 'maybe')).statusCode).toBe(400);
    for (let i = 0; i < 3; i++) expect((await call('POST', `/api/v1/articles/${a.id}/solved`, rita)).statusCode).toBe(200);
    expect(await counts()).toEqual({ helpfulYes: 0, helpfulNo: 2, solvedCount: 1 });
    // Two presses at once by one person still count once.
    await Promise.all([call('POST', `/api/v1/articles/${a.id}/solved`, dana), call('POST', `/api/v1/articles/${a.id}/solved`, dana)]);
    expect(await counts()).toEqual({ helpfulYes: 0, helpfulNo: 2, solvedCount: 2 });
    const draft = await article('Unpublished', 'Not yet.');
    expect((await call('POST', `/api/v1/articles/${draft.id}/feedback`, agent, { helpful: true })).statusCode).toBe(409);
  });

  it('drafts an article from a resolved ticket, and suggests published articles on a ticket', async () => {
    const created = await call('POST', '/api/v1/tickets', agent, {
      kind: 'incident',
      title: 'Laptop docking station no display',
      description: 'External monitors stay black.',
      impact: 3,
      urgency: 3,
      requesterId: rita.user.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = json(created);
    expect((await call('POST', `/api/v1/tickets/${ticket.id}/article-draft`, agent)).statusCode).toBe(409);
    const resolved = await call('POST', `/api/v1/tickets/${ticket.id}/transitions`, agent, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Updated the dock firmware to 1.2.',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await call('POST', `/api/v1/tickets/${ticket.id}/article-draft`, rita)).statusCode).toBe(403);
    const drafted = await call('POST', `/api/v1/tickets/${ticket.id}/article-draft`, agent);
    expect(drafted.statusCode, drafted.body).toBe(201);
    const draft = json(drafted);
    expect(draft).toMatchObject({ title: 'Laptop docking station no display', state: 'draft', sourceTicketId: ticket.id });
    expect(draft.body).toContain('Updated the dock firmware to 1.2.');

    expect(json(await call('GET', `/api/v1/tickets/${ticket.id}/suggested-articles`, agent)).items).toEqual([]);
    await publish(draft.id);
    const suggested = json(await call('GET', `/api/v1/tickets/${ticket.id}/suggested-articles`, agent)).items;
    expect(suggested.map((s: { id: string }) => s.id)).toEqual([draft.id]);
  });
});
