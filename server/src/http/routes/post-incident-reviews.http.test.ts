import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestMajorIncident } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let agent: TestUser;
let dana: TestUser;
let manager: TestUser;
let admin: TestUser;
let rita: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-10T09:00:00Z');
  agent = await t.user('agent', { name: 'Alex Agent' });
  dana = await t.user('agent', { name: 'Dana Desk' });
  manager = await t.user('manager', { name: 'Mia Manager' });
  admin = await t.user('admin');
  rita = await t.user('requester', { name: 'Rita' });
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
const call = (method: Method, url: string, who: TestUser, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: { ...who.headers, ...headers },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });

async function majorIncident(title: string) {
  const created = await call('POST', '/api/v1/tickets', agent, {
    kind: 'incident',
    title,
    impact: 1,
    urgency: 1,
    requesterId: rita.user.id,
  });
  expect(created.statusCode, created.body).toBe(201);
  const { id } = json<{ id: string }>(created);
  await makeTestMajorIncident(t.deps, id);
  return id;
}

const reviewUrl = (id: string) => `/api/v1/tickets/${id}/post-incident-review`;

describe('who may work on a review', () => {
  it('requesters cannot read, draft or add action items, even on their own incident (403)', async () => {
    const id = await majorIncident('Mail is slow');
    expect((await call('GET', reviewUrl(id), rita)).statusCode).toBe(403);
    expect((await call('POST', reviewUrl(id), rita)).statusCode).toBe(403);
    expect((await call('GET', `${reviewUrl(id)}.md`, rita)).statusCode).toBe(403);
    expect(
      (await call('POST', `/api/v1/tickets/${id}/action-items`, rita, { title: 'x', ownerId: agent.user.id, dueOn: '2026-04-01' }))
        .statusCode,
    ).toBe(403);
    expect((await call('GET', '/api/v1/action-items/mine', rita)).statusCode).toBe(403);
    // Nothing was drafted.
    expect(json(await call('GET', reviewUrl(id), agent)).review).toBeNull();
  });

  it('only admins change the template; agents cannot', async () => {
    const template = json(await call('GET', '/api/v1/review-template', agent));
    expect(template.contributingFactors).toContain('how did it make sense at the time');
    const refused = await call('PUT', '/api/v1/review-template', agent, { ...template, summary: 'Mine' });
    expect(refused.statusCode).toBe(403);
    const saved = await call('PUT', '/api/v1/review-template', admin, { ...template, summary: 'What happened, without blame.' });
    expect(saved.statusCode, saved.body).toBe(200);
    const id = await majorIncident('Template check');
    expect(json(await call('POST', reviewUrl(id), agent)).review.sections.summary).toBe('What happened, without blame.');
  });

  it('only managers see everyone’s overdue action items', async () => {
    expect((await call('GET', '/api/v1/action-items/overdue', agent)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/action-items/overdue', manager)).statusCode).toBe(200);
  });
});

describe('drafting, editing and publishing', () => {
  it('drafts once (409 the second time), edits with If-Match, 412 naming who changed it', async () => {
    const id = await majorIncident('VPN down for everyone');
    const drafted = await call('POST', reviewUrl(id), agent);
    expect(drafted.statusCode, drafted.body).toBe(201);
    const review = json(drafted);
    expect(review.review).toMatchObject({ state: 'draft', stateLabel: 'Draft', version: 1 });
    expect(review.moments.find((m: { moment: string }) => m.moment === 'mitigated')).toMatchObject({ at: null });
    expect(drafted.headers.etag).toBe('"1"');
    expect((await call('POST', reviewUrl(id), dana)).statusCode).toBe(409);

    const danaSaves = await call(
      'PATCH',
      reviewUrl(id),
      dana,
      { sections: { customerImpact: 'Every office lost VPN for 98 minutes.' } },
      {
        'if-match': '"1"',
      },
    );
    expect(danaSaves.statusCode, danaSaves.body).toBe(200);
    expect(json(danaSaves).review).toMatchObject({ version: 2, updatedBy: 'Dana Desk' });

    const stale = await call('PATCH', reviewUrl(id), agent, { sections: { customerImpact: 'Nobody noticed.' } }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).detail).toContain('Dana Desk');
    const after = json(await call('GET', reviewUrl(id), agent));
    expect(after.review.sections.customerImpact).toBe('Every office lost VPN for 98 minutes.');
  });

  it('refuses empty or unknown sections with 400 naming the field, nothing changed', async () => {
    const id = await majorIncident('Printer fire');
    await call('POST', reviewUrl(id), agent);
    const unknown = await call('PATCH', reviewUrl(id), agent, { sections: { blame: 'Bob' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const tooLong = await call('PATCH', reviewUrl(id), agent, { sections: { summary: 'x'.repeat(50_001) } });
    expect(tooLong.statusCode).toBe(400);
    expect(JSON.stringify(json(tooLong).errors)).toContain('summary');
    expect(json(await call('GET', reviewUrl(id), agent)).review.version).toBe(1);
  });

  it('goes draft → in review → published, refuses skipping and edits after publishing; the checklist sees it', async () => {
    const checklists = json(await call('GET', '/api/v1/completion-checklists', admin));
    checklists.major_incident.push({ key: 'review_done', label: 'Post-incident review published', check: 'review_done' });
    expect((await call('PUT', '/api/v1/completion-checklists', admin, checklists)).statusCode).toBe(200);

    const id = await majorIncident('Payroll export failed');
    await call('POST', reviewUrl(id), agent);
    const skip = await call('POST', `${reviewUrl(id)}/transitions`, agent, { to: 'published' });
    expect(skip.statusCode).toBe(409);
    expect(json(skip).detail).toContain('from Draft to In review');
    const doneItem = async () =>
      json(await call('GET', `/api/v1/tickets/${id}/completion`, agent)).items.find((i: { key: string }) => i.key === 'review_done');
    expect((await doneItem()).done).toBe(false);

    expect((await call('POST', `${reviewUrl(id)}/transitions`, agent, { to: 'in_review' })).statusCode).toBe(200);
    const published = await call('POST', `${reviewUrl(id)}/transitions`, manager, { to: 'published' });
    expect(published.statusCode, published.body).toBe(200);
    expect(json(published).review).toMatchObject({ state: 'published', stateLabel: 'Published' });
    expect((await doneItem()).done).toBe(true);

    const edit = await call('PATCH', reviewUrl(id), agent, { sections: { lessons: 'late' } });
    expect(edit.statusCode).toBe(409);
    expect(json(edit).detail).toContain('published');
  });

  it('exports Markdown with user text escaped', async () => {
    const id = await majorIncident('VPN <script>alert(1)</script> [click](javascript:evil)');
    await call('POST', reviewUrl(id), agent);
    await call('PATCH', reviewUrl(id), agent, { sections: { summary: 'Cert **expired**. <iframe src="x"></iframe>' } });
    const md = await call('GET', `${reviewUrl(id)}.md`, agent);
    expect(md.statusCode, md.body).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('VPN &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[click\\]\\(javascript:evil\\)');
    expect(md.body).not.toContain('<script>');
    expect(md.body).not.toContain('<iframe');
    // The team's own Markdown is kept.
    expect(md.body).toContain('Cert **expired**.');
    expect(md.body).toContain('| Time to resolve | not known | not known |');
  });
});

describe('action items', () => {
  const itemsUrl = (id: string) => `/api/v1/tickets/${id}/action-items`;

  it('needs an owner and a due date not in the past (400 naming the field, nothing created)', async () => {
    const id = await majorIncident('Disk full on build server');
    const noOwner = await call('POST', itemsUrl(id), agent, { title: 'Add disk alerts', dueOn: '2026-03-20' });
    expect(noOwner.statusCode).toBe(400);
    expect(json(noOwner).errors).toEqual([{ field: 'ownerId', message: expect.stringContaining('required') }]);
    const past = await call('POST', itemsUrl(id), agent, { title: 'Add disk alerts', ownerId: dana.user.id, dueOn: '2026-03-09' });
    expect(past.statusCode).toBe(400);
    expect(json(past).errors[0]).toMatchObject({ field: 'dueOn', message: expect.stringContaining('must not be in the past') });
    const requesterOwner = await call('POST', itemsUrl(id), agent, {
      title: 'Add disk alerts',
      ownerId: rita.user.id,
      dueOn: '2026-03-20',
    });
    expect(requesterOwner.statusCode).toBe(400);
    expect(json(requesterOwner).errors[0].field).toBe('ownerId');
    const badDate = await call('POST', itemsUrl(id), agent, { title: 'x', ownerId: dana.user.id, dueOn: 'soon' });
    expect(badDate.statusCode).toBe(400);
    expect(json(await call('GET', reviewUrl(id), agent)).actionItems).toEqual([]);
  });

  it('lists mine and, once past due, overdue for managers; done leaves both lists; 412 naming who', async () => {
    const id = await majorIncident('Certificate expired');
    await call('POST', reviewUrl(id), agent);
    const created = await call('POST', itemsUrl(id), agent, {
      title: 'Automate certificate renewal',
      ownerId: dana.user.id,
      dueOn: '2026-03-12',
      priority: 'high',
    });
    expect(created.statusCode, created.body).toBe(201);
    const item = json(created);
    expect(item).toMatchObject({ owner: { name: 'Dana Desk' }, priorityLabel: 'High', stateLabel: 'Open', overdue: false });
    expect(item.reviewId).toBe(json(await call('GET', reviewUrl(id), agent)).review.id);

    const mine = json(await call('GET', '/api/v1/action-items/mine', dana)).items.map((i: { id: string }) => i.id);
    expect(mine).toContain(item.id);
    expect(json(await call('GET', '/api/v1/action-items/mine', agent)).items.map((i: { id: string }) => i.id)).not.toContain(item.id);

    const overdueIds = async () => json(await call('GET', '/api/v1/action-items/overdue', manager)).items.map((i: { id: string }) => i.id);
    expect(await overdueIds()).not.toContain(item.id);
    t.clock.set('2026-03-13T09:00:00Z');
    expect(await overdueIds()).toContain(item.id);

    const renamed = await call(
      'PATCH',
      `/api/v1/action-items/${item.id}`,
      dana,
      { title: 'Automate renewal (ACME)' },
      { 'if-match': '"1"' },
    );
    expect(renamed.statusCode, renamed.body).toBe(200);
    const stale = await call('PATCH', `/api/v1/action-items/${item.id}`, agent, { state: 'cancelled' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).detail).toContain('Dana Desk');

    const done = await call('PATCH', `/api/v1/action-items/${item.id}`, dana, { state: 'done' }, { 'if-match': '"2"' });
    expect(json(done)).toMatchObject({ state: 'done', stateLabel: 'Done', overdue: false });
    expect(await overdueIds()).not.toContain(item.id);
    t.clock.set('2026-03-10T09:00:00Z');
  });
});
