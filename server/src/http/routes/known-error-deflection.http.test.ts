import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * Known errors beside a requester's report (issue 17 item 7): only the workaround staff wrote for
 * requesters is shown, and only for an open known error that has one.
 */

let t: TestApp;
let agent: TestUser;
let rita: TestUser;
const svc: Record<string, string> = {};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, who: TestUser, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: { ...who.headers, ...headers },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });

const STAFF_WORKAROUND = 'ssh to vpn-gw-02 as root and run /opt/pki/renew-client-cert.sh for the user';
const ROOT_CAUSE = 'Certificate renewal on the internal CA is manual and was forgotten';
const PUBLIC_WORKAROUND = 'If the VPN app says your certificate has expired, choose “Renew certificate” in its menu and sign in again.';

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-10T09:00:00Z');
  agent = await t.user('agent', { name: 'Alex Agent' });
  rita = await t.user('requester', { name: 'Rita' });
  const admin = await t.user('admin');
  for (const name of ['VPN', 'Printing']) {
    const res = await call('POST', '/api/v1/services', admin, { name });
    expect(res.statusCode, res.body).toBe(201);
    svc[name] = json(res).id;
  }
});
afterAll(() => t.close());

/** A problem on `serviceId` marked known error with the staff workaround and root cause above; returns it with its version. */
async function knownError(title: string, serviceId: string | null) {
  const created = await call('POST', '/api/v1/problems', agent, { title, serviceId });
  expect(created.statusCode, created.body).toBe(201);
  const { id } = json(created) as { id: string };
  const edited = await call(
    'PATCH',
    `/api/v1/problems/${id}`,
    agent,
    { workaround: STAFF_WORKAROUND, rootCause: ROOT_CAUSE },
    {
      'if-match': created.headers.etag as string,
    },
  );
  expect(edited.statusCode, edited.body).toBe(200);
  const marked = await call('PUT', `/api/v1/problems/${id}/known-error`, agent, undefined, { 'if-match': edited.headers.etag as string });
  expect(marked.statusCode, marked.body).toBe(200);
  return { id, etag: marked.headers.etag as string };
}

async function setPublic(id: string, etag: string, publicWorkaround: string | null) {
  const res = await call('PATCH', `/api/v1/problems/${id}`, agent, { publicWorkaround }, { 'if-match': etag });
  expect(res.statusCode, res.body).toBe(200);
  return res.headers.etag as string;
}

const suggest = async (query: string, who: TestUser = rita) => {
  const res = await call('GET', `/api/v1/known-errors/for-report?${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return res;
};
const ids = async (query: string, who: TestUser = rita) => (json(await suggest(query, who)).items as { id: string }[]).map((i) => i.id);

describe('known errors beside a report', () => {
  it('shows a known error only once staff wrote its workaround for requesters, and then that text alone', async () => {
    const p = await knownError('VPN client certificates expire unrenewed', svc.VPN as string);
    const q = `q=${encodeURIComponent('vpn certificate error')}&serviceId=${svc.VPN}`;
    // A known error with only the staff workaround is not shown to requesters.
    expect(await ids(q)).toEqual([]);

    const etag = await setPublic(p.id, p.etag, `  ${PUBLIC_WORKAROUND}  `);
    const res = await suggest(q);
    const [item] = json(res).items;
    expect(item).toEqual({ id: p.id, serviceName: 'VPN', workaround: PUBLIC_WORKAROUND, since: '2026-03-10T09:00:00.000Z' });
    // Nothing the desk wrote for itself is in the answer, under any name.
    for (const secret of [STAFF_WORKAROUND, ROOT_CAUSE, 'VPN client certificates expire unrenewed', 'PRB']) {
      expect(res.body).not.toContain(secret);
    }
    // The problem itself stays staff-only to the requester who was shown its workaround.
    expect((await call('GET', `/api/v1/tickets/${p.id}`, rita)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/problems/${p.id}`, rita, { publicWorkaround: 'mine' }, { 'if-match': etag })).statusCode).toBe(
      403,
    );

    // The same answer for staff in the portal: the endpoint never adds staff fields.
    expect(Object.keys(json(await suggest(q, agent)).items[0]).sort()).toEqual(['id', 'serviceName', 'since', 'workaround']);

    // Emptying the public text withdraws it from requesters; the known error itself stays.
    await setPublic(p.id, etag, '   ');
    expect(await ids(q)).toEqual([]);
    const ticket = json(await call('GET', `/api/v1/tickets/${p.id}`, agent));
    expect(ticket.publicWorkaround).toBeNull();
    expect(ticket.knownErrorAt).not.toBeNull();
  });

  it('matches the chosen service, or the words typed, and withdraws the workaround when the known error ends', async () => {
    const p = await knownError('Badge printers jam on the third floor', null);
    let etag = await setPublic(p.id, p.etag, 'Print to the second-floor printer until the jam is cleared.');
    const other = await knownError('Mail relay queue', svc.Printing as string);
    await setPublic(other.id, other.etag, 'Mail sent to printers arrives late; send the document again after ten minutes.');

    // By words alone (no service chosen): title and public text are searched.
    expect(await ids(`q=${encodeURIComponent('the printer jams')}`)).toContain(p.id);
    expect(await ids(`q=${encodeURIComponent('badge')}`)).toEqual([p.id]);
    // By service alone, before any word is typed.
    expect(await ids(`serviceId=${svc.Printing}`)).toEqual([other.id]);
    // Neither: nothing, rather than every known error.
    expect(await ids(`q=${encodeURIComponent('keyboard sticky')}`)).toEqual([]);
    expect(await ids('q=')).toEqual([]);
    // The chosen service's known error ranks before a better word match elsewhere.
    expect((await ids(`q=${encodeURIComponent('printer jam')}&serviceId=${svc.Printing}`))[0]).toBe(other.id);

    // The mark taken off: not shown; marked again: shown; the problem resolved: withdrawn.
    const off = await call('DELETE', `/api/v1/problems/${p.id}/known-error`, agent, undefined, { 'if-match': etag });
    expect(off.statusCode, off.body).toBe(200);
    expect(await ids(`q=badge`)).toEqual([]);
    const on = await call('PUT', `/api/v1/problems/${p.id}/known-error`, agent, undefined, { 'if-match': off.headers.etag as string });
    expect(await ids(`q=badge`)).toEqual([p.id]);
    etag = on.headers.etag as string;
    const resolved = await call(
      'POST',
      `/api/v1/tickets/${p.id}/transitions`,
      agent,
      { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Printers serviced.' },
      { 'if-match': etag },
    );
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(await ids(`q=badge`)).toEqual([]);
  });

  it('records the public workaround on the timeline and refuses it on anything but a problem', async () => {
    const p = await knownError('Wi-Fi drops in meeting rooms', null);
    await setPublic(p.id, p.etag, 'Reconnect to the “Guest” network while we fix it.');
    const timeline = json(await call('GET', `/api/v1/tickets/${p.id}/timeline`, agent)).items as {
      type: string;
      internal: boolean;
      changes: { field: string; to: unknown }[] | null;
    }[];
    const change = timeline.find((e) => e.changes?.some((c) => c.field === 'publicWorkaround'));
    expect(change).toMatchObject({ type: 'field_changed', internal: true });

    const inc = await call('POST', '/api/v1/tickets', agent, { kind: 'incident', title: 'Wi-Fi down', requesterId: rita.user.id });
    const refused = await call(
      'PATCH',
      `/api/v1/problems/${json(inc).id}`,
      agent,
      { publicWorkaround: 'x' },
      { 'if-match': inc.headers.etag as string },
    );
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors[0].field).toBe('publicWorkaround');
  });

  it('answers bad input with a clear 400 and operator-laden or very long text with results, never an error', async () => {
    const badService = await call('GET', '/api/v1/known-errors/for-report?serviceId=not-an-id', rita);
    expect(badService.statusCode).toBe(400);
    expect(JSON.stringify(json(badService).errors)).toContain('serviceId');
    const tooLong = await call('GET', `/api/v1/known-errors/for-report?q=${'a'.repeat(20_001)}`, rita);
    expect(tooLong.statusCode).toBe(400);
    expect(JSON.stringify(json(tooLong).errors)).toContain('q');

    const operators = `q=${encodeURIComponent("badge & !(printer | :* ') <-> \\")}`;
    await suggest(operators);
    const long = `q=${encodeURIComponent('printer jam '.repeat(900))}`;
    await suggest(long);
  });

  it('"This solved it" on a known error ends the report without a ticket and counts each person once on the problem', async () => {
    const sam = await t.user('requester', { name: 'Sam' });
    const p = await knownError('Shared drive mapping lost after password change', svc.VPN as string);
    const etag = await setPublic(p.id, p.etag, 'Sign out of Windows and back in; the drive comes back.');
    const solvedCount = async () => json(await call('GET', `/api/v1/tickets/${p.id}/problem-links`, agent)).solvedCount;
    const ticketsOf = async (who: TestUser) => json(await call('GET', '/api/v1/tickets?requesterId=me', who)).items.length;
    expect(await solvedCount()).toBe(0);
    const ritasTickets = await ticketsOf(rita);
    const version = json(await call('GET', `/api/v1/tickets/${p.id}`, agent)).version;

    const first = await call('POST', `/api/v1/known-errors/${p.id}/solved`, rita);
    expect(first.statusCode, first.body).toBe(204);
    expect(await solvedCount()).toBe(1);
    // Pressing again (a second tab, a double click) is the same person: still one.
    expect((await call('POST', `/api/v1/known-errors/${p.id}/solved`, rita)).statusCode).toBe(204);
    expect(await solvedCount()).toBe(1);
    expect((await call('POST', `/api/v1/known-errors/${p.id}/solved`, sam)).statusCode).toBe(204);
    expect(await solvedCount()).toBe(2);
    // No ticket was filed, and the problem itself did not change (no new version for the desk to reload).
    expect(await ticketsOf(rita)).toBe(ritasTickets);
    expect(json(await call('GET', `/api/v1/tickets/${p.id}`, agent)).version).toBe(version);
    // An incident's links carry no count: only a problem has one.
    const inc = await call('POST', '/api/v1/tickets', agent, { kind: 'incident', title: 'Drive gone', requesterId: rita.user.id });
    expect(json(await call('GET', `/api/v1/tickets/${json(inc).id}/problem-links`, agent)).solvedCount).toBeNull();

    // Only a known error the portal shows can be pressed; anything else is "not found" and counts nothing.
    await setPublic(p.id, etag, null);
    const withdrawn = await call('POST', `/api/v1/known-errors/${p.id}/solved`, agent);
    expect(withdrawn.statusCode).toBe(404);
    expect(json(withdrawn).detail).toContain('known error');
    expect(await solvedCount()).toBe(2);
    expect((await call('POST', `/api/v1/known-errors/${json(inc).id}/solved`, rita)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/known-errors/00000000-0000-4000-8000-000000000000/solved', rita)).statusCode).toBe(404);
    const badId = await call('POST', '/api/v1/known-errors/not-an-id/solved', rita);
    expect(badId.statusCode).toBe(400);
    expect(JSON.stringify(json(badId).errors)).toContain('id');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/known-errors/${p.id}/solved` })).statusCode).toBe(401);
  });
});
