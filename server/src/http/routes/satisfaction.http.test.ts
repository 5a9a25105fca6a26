import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { reportTicketViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import type { OutgoingMail } from '../../adapters/mailer.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

const PUBLIC_URL = 'https://firebreak.test';
let t: TestApp;
let requester: TestUser;
let other: TestUser;
let agent: TestUser;
let manager: TestUser;
const sent: OutgoingMail[] = [];

beforeAll(async () => {
  t = await createTestApp();
  requester = await t.user('requester', { name: 'Rita Requester' });
  other = await t.user('requester');
  agent = await t.user('agent');
  manager = await t.user('manager');
});
afterAll(() => t.close());

const sweep = () =>
  runDueJobs(
    t.deps,
    buildJobRegistry({
      mail: {
        ...NO_DELIVERY.mail,
        mailer: { send: async (m) => void sent.push(m) },
        messageIdDomain: 'firebreak.test',
        publicUrl: PUBLIC_URL,
      },
    }),
    WORKER_OPTIONS,
  );

async function closedTicket(title: string): Promise<string> {
  const ticket = await reportTicketViaApi(t, requester, { title });
  const move = (to: string, who: TestUser, extra: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/transitions`, headers: who.headers, payload: { to, ...extra } });
  await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/tickets/${ticket.id}`,
    headers: agent.headers,
    payload: { assigneeId: agent.user.id },
  });
  expect((await move('in_progress', agent)).statusCode).toBe(200);
  expect((await move('resolved', agent, { resolutionCode: 'solved_permanently', resolutionNotes: 'Replaced the cable' })).statusCode).toBe(
    200,
  );
  expect((await move('closed', requester)).statusCode).toBe(200);
  return ticket.id;
}

const rate = (who: TestUser, id: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/tickets/${id}/satisfaction`, headers: { ...who.headers, ...headers }, payload });
const read = (who: TestUser, id: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/satisfaction`, headers: who.headers });

describe('satisfaction', () => {
  it('asks the requester once the ticket closes — in the portal bell and by mail with a signed link — and the link rates it', async () => {
    const id = await closedTicket('Docking station dead');
    const bell = json(await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications', headers: requester.headers }));
    expect(bell.items.filter((n: { reason: string }) => n.reason === 'rate_handling')).toHaveLength(1);

    await sweep();
    const mail = sent.find((m) => m.subject.includes('How did we do?') && m.text.includes('Docking station dead'));
    expect(mail).toBeDefined();
    const link = /(https:\/\/firebreak\.test\/api\/v1\/satisfaction\/rate\?token=\S+)/.exec(mail?.text ?? '')?.[1] as string;
    expect(link).toBeDefined();
    const path = link.replace(PUBLIC_URL, '');

    const form = await t.app.inject({ method: 'GET', url: path });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('How did we do?');
    expect(form.body).toContain('name="rating" value="5"');
    // Looking at the form changes nothing.
    expect(json(await read(requester, id)).rating).toBeNull();

    const token = new URL(link).searchParams.get('token') as string;
    const posted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/satisfaction/rate',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token, rating: '4', comment: 'Quick and friendly' }).toString(),
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('You rated the handling 4 of 5');
    expect(json(await read(requester, id)).rating).toMatchObject({ rating: 4, ratingWords: 'Good', comment: 'Quick and friendly' });
    // The desk sees it on the ticket.
    expect(json(await read(agent, id)).rating).toMatchObject({ rating: 4 });

    const forged = await t.app.inject({ method: 'GET', url: `/api/v1/satisfaction/rate?token=${token.slice(0, -2)}xx` });
    expect(forged.statusCode).toBe(400);
  });

  it('keeps one answer per ticket, changeable for 7 days, then 409; out of range is 422 and nothing changes', async () => {
    const id = await closedTicket('Monitor flickers');
    const first = await rate(requester, id, { rating: 2, comment: 'Took long' });
    expect(first.statusCode).toBe(201);
    expect(json(first)).toMatchObject({ rating: 2, version: 1 });

    for (const rating of [0, 6, -1]) {
      const res = await rate(requester, id, { rating });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).errors[0].field).toBe('rating');
    }
    const notANumber = await rate(requester, id, { rating: 'five' });
    expect(notANumber.statusCode).toBe(400);
    expect(json(notANumber).errors[0].field).toBe('rating');
    expect(json(await read(requester, id)).rating).toMatchObject({ rating: 2, comment: 'Took long', version: 1 });

    const stale = await rate(requester, id, { rating: 5 }, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    t.clock.advance(6 * 86_400_000);
    const changed = await rate(requester, id, { rating: 3, comment: 'Fair, on reflection' }, { 'if-match': '"1"' });
    expect(changed.statusCode).toBe(200);
    expect(json(changed)).toMatchObject({ rating: 3, version: 2 });

    t.clock.advance(86_400_000 + 1_000);
    const late = await rate(requester, id, { rating: 5 });
    expect(late.statusCode).toBe(409);
    expect(json(late).detail).toMatch(/can no longer be changed/);
    expect(json(await read(requester, id)).rating).toMatchObject({ rating: 3 });
    expect(json(await read(requester, id)).canRate).toBe(false);
  });

  it('refuses an open ticket (409), someone else’s ticket (404) and the desk (403); managers list the ratings', async () => {
    const open = await reportTicketViaApi(t, requester, { title: 'Still broken' });
    expect((await rate(requester, open.id, { rating: 5 })).statusCode).toBe(409);
    const id = await closedTicket('Keyboard sticky');
    expect((await rate(other, id, { rating: 1 })).statusCode).toBe(404);
    expect((await read(other, id)).statusCode).toBe(404);
    expect((await rate(agent, id, { rating: 5 })).statusCode).toBe(403);
    expect(json(await read(requester, id)).rating).toBeNull();

    expect((await rate(requester, id, { rating: 5, comment: 'Great' })).statusCode).toBe(201);
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/satisfaction-ratings?limit=1', headers: manager.headers }));
    expect(list.items[0]).toMatchObject({ ticketTitle: 'Keyboard sticky', rating: 5, comment: 'Great' });
    expect(list.nextCursor).not.toBeNull();
    const next = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/satisfaction-ratings?limit=1&cursor=${list.nextCursor}`,
        headers: manager.headers,
      }),
    );
    expect(next.items[0].ticketTitle).not.toBe('Keyboard sticky');
  });
});
