import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTicketViaApi } from '../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import {
  attachments,
  checks,
  integrations,
  serviceDependencies,
  settings,
  teams,
  tickets,
  timelineEvents,
  users,
  webhookSubscriptions,
} from '../db/schema/index.js';

/**
 * Every bad input gets an RFC 9457 problem naming what is wrong, and leaves the database
 * exactly as it was.
 */

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let hardwareId: string;
let laptopId: string;
let softwareId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  const team = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Network' } });
  expect(team.statusCode).toBe(201);
  const category = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin.headers, payload }).then((r) => {
      expect(r.statusCode).toBe(201);
      return json(r).id as string;
    });
  hardwareId = await category({ name: 'Hardware' });
  laptopId = await category({ name: 'Laptop', parentId: hardwareId });
  softwareId = await category({ name: 'Software' });
});

afterAll(() => t.close());

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  [key: string]: unknown;
}

function expectProblem(res: LightMyRequestResponse, status: number): Problem {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = json<Problem>(res);
  expect(body.status).toBe(status);
  expect(typeof body.type).toBe('string');
  expect(body.type.length).toBeGreaterThan(0);
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

function fieldsOf(problem: Problem): string[] {
  return (problem.errors ?? []).map((e) => e.field);
}

async function rows(table: PgTable): Promise<number> {
  const [row] = await t.deps.db.select({ n: count() }).from(table);
  return row.n;
}

/** Runs `act` and proves the listed tables have as many rows after as before. */
async function unchanged<T>(tables: PgTable[], act: () => Promise<T>): Promise<T> {
  const before = await Promise.all(tables.map(rows));
  const result = await act();
  expect(await Promise.all(tables.map(rows))).toEqual(before);
  return result;
}

const TICKET_TABLES = [tickets, timelineEvents];

const postTicket = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...agent.headers, ...headers }, payload: payload as string });

const newTicket = (title: string): Promise<{ id: string; number: string; version: number }> => reportTicketViaApi(t, agent, { title });

describe('malformed bodies', () => {
  it('refuses malformed JSON with 400', async () => {
    await unchanged(TICKET_TABLES, async () => {
      const res = await postTicket('{"title": "unterminated', { 'content-type': 'application/json' });
      expect(expectProblem(res, 400).detail).toMatch(/not valid JSON/);
    });
  });

  it('refuses wrong types with 400 naming each field', async () => {
    await unchanged(TICKET_TABLES, async () => {
      const problem = expectProblem(await postTicket({ title: 42, impact: 'high', urgency: true }), 400);
      expect(fieldsOf(problem)).toEqual(expect.arrayContaining(['title', 'impact', 'urgency']));
    });
    await unchanged(TICKET_TABLES, async () => {
      expectProblem(await postTicket([{ title: 'an array, not an object' }]), 400);
    });
  });

  it('refuses unknown fields with 400 naming each of them', async () => {
    await unchanged(TICKET_TABLES, async () => {
      const problem = expectProblem(await postTicket({ title: 'Printer jam', colour: 'red', severity: 1 }), 400);
      expect(problem.errors).toEqual(
        expect.arrayContaining([
          { field: 'colour', message: 'is not a known field' },
          { field: 'severity', message: 'is not a known field' },
        ]),
      );
    });
  });

  it('refuses bad enum values with 400 naming the field', async () => {
    await unchanged(TICKET_TABLES, async () => {
      const problem = expectProblem(await postTicket({ title: 'x', kind: 'outage', scope: 'galactic', channel: 'pigeon' }), 400);
      expect(fieldsOf(problem)).toEqual(expect.arrayContaining(['kind', 'scope', 'channel']));
    });
  });

  it('refuses impact and urgency outside 1–3 with 400 naming the field', async () => {
    for (const [field, value] of [
      ['impact', 0],
      ['impact', 4],
      ['urgency', -1],
      ['urgency', 2.5],
      ['impact', '1'],
    ] as const) {
      await unchanged(TICKET_TABLES, async () => {
        const problem = expectProblem(await postTicket({ title: 'Range check', [field]: value }), 400);
        expect(fieldsOf(problem), `${field}=${value}`).toEqual([field]);
      });
    }
  });

  it('refuses an over-long title with 400 naming title', async () => {
    await unchanged(TICKET_TABLES, async () => {
      const problem = expectProblem(await postTicket({ title: 'x'.repeat(201) }), 400);
      expect(problem.errors).toEqual([{ field: 'title', message: 'must be at most 200 characters' }]);
    });
    await unchanged(TICKET_TABLES, async () => {
      expect(fieldsOf(expectProblem(await postTicket({ title: '   ' }), 400))).toEqual(['title']);
    });
  });

  it('refuses a text field containing a NUL character with 400 naming the field', async () => {
    // PostgreSQL text cannot hold U+0000: unless the API refuses it, the insert fails as a 500.
    await unchanged(TICKET_TABLES, async () => {
      const res = await postTicket({ title: 'Null \u0000 byte' });
      expect(fieldsOf(expectProblem(res, 400))).toEqual(['title']);
    });
  });

  it('refuses a body over the size limit with 413', async () => {
    const small = await createTestApp({ bodyLimitBytes: 1024 });
    try {
      const user = await small.user('agent');
      const ticketRows = async () => (await small.deps.db.select({ n: count() }).from(tickets))[0].n;
      const before = await ticketRows();
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: user.headers,
        payload: { title: 'Big', description: 'x'.repeat(4000) },
      });
      expect(expectProblem(res, 413).detail).toMatch(/larger/);
      expect(await ticketRows()).toBe(before);
      // Just under the limit still works.
      const ok = await small.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: user.headers,
        payload: { title: 'Small', description: 'x'.repeat(500) },
      });
      expect(ok.statusCode).toBe(201);
    } finally {
      await small.close();
    }
  });

  it('refuses a body that is not JSON with 415', async () => {
    for (const [contentType, body] of [
      ['application/xml', '<ticket><title>x</title></ticket>'],
      ['application/x-www-form-urlencoded', 'title=x'],
      ['text/plain', '{"title":"plain text that looks like JSON"}'],
    ] as const) {
      await unchanged(TICKET_TABLES, async () => {
        const res = await postTicket(body, { 'content-type': contentType });
        expect(expectProblem(res, 415).detail, contentType).toContain('application/json');
      });
    }
  });

  it('refuses a file that is not an accepted type, by name or by its bytes, with 415 naming the file, keeping nothing', async () => {
    const { id } = await newTicket('Files for the bad-input suite');
    for (const [name, body, message] of [
      ['evil.html.', '<p>hi</p>', 'evil.html is a web page; pages are not accepted'],
      ['tool.ps1xml', '<Types/>', 'tool.ps1xml is a script; scripts are not accepted'],
      ['scan.pdf', 'just some words, not a PDF', 'scan.pdf is named a PDF document but its content is not one'],
    ] as const) {
      await unchanged([attachments, timelineEvents], async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/tickets/${id}/attachments`,
          headers: { ...agent.headers, 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent(name) },
          payload: Buffer.from(body),
        });
        expect(expectProblem(res, 415).errors, name).toEqual([{ field: 'file', message }]);
      });
    }
  });
});

describe('refused ticket moves and stale writes', () => {
  it('refuses an illegal transition with 409 naming the allowed moves', async () => {
    const ticket = await newTicket('Illegal move');
    await unchanged(TICKET_TABLES, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/transitions`,
        headers: agent.headers,
        payload: { to: 'closed' },
      });
      const problem = expectProblem(res, 409);
      expect(problem.allowed).toEqual(['in_progress', 'on_hold', 'resolved', 'cancelled']);
      for (const move of ['in_progress', 'on_hold', 'resolved', 'cancelled']) expect(problem.detail).toContain(move);
    });
    const current = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers }));
    expect(current.state).toBe('new');
    expect(current.version).toBe(ticket.version);
  });

  it('refuses a stale If-Match with 412, writing nothing', async () => {
    const ticket = await newTicket('Stale write');
    const url = `/api/v1/tickets/${ticket.id}`;
    const bump = await t.app.inject({ method: 'PATCH', url, headers: { ...admin.headers, 'if-match': '"1"' }, payload: { urgency: 2 } });
    expect(bump.statusCode).toBe(200);
    await unchanged(TICKET_TABLES, async () => {
      const stale = await t.app.inject({
        method: 'PATCH',
        url,
        headers: { ...agent.headers, 'if-match': '"1"' },
        payload: { title: 'Overwrite' },
      });
      const problem = expectProblem(stale, 412);
      expect(problem.currentVersion).toBe(2);
      const staleMove = await t.app.inject({
        method: 'POST',
        url: `${url}/transitions`,
        headers: { ...agent.headers, 'if-match': '"1"' },
        payload: { to: 'in_progress' },
      });
      expectProblem(staleMove, 412);
    });
    const current = json(await t.app.inject({ method: 'GET', url, headers: agent.headers }));
    expect(current.title).toBe('Stale write');
    expect(current.state).toBe('new');
    expect(current.version).toBe(2);
  });

  it('refuses a malformed If-Match with 400 naming If-Match', async () => {
    const ticket = await newTicket('Malformed If-Match');
    for (const value of ['abc', '"one"', '*', '"1", "2"']) {
      await unchanged(TICKET_TABLES, async () => {
        const res = await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/tickets/${ticket.id}`,
          headers: { ...agent.headers, 'if-match': value },
          payload: { title: 'changed' },
        });
        expect(fieldsOf(expectProblem(res, 400)), value).toEqual(['If-Match']);
      });
    }
    const current = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers }));
    expect(current.title).toBe('Malformed If-Match');
  });
});

describe('conflicts and refusals in the directory and catalog', () => {
  it('refuses a duplicate e-mail with 409 naming email, whatever the letter case', async () => {
    const create = (email: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { email, name: 'Alice', role: 'requester' } });
    expect((await create('Alice@X.example')).statusCode).toBe(201);
    for (const email of ['alice@x.example', 'Alice@X.example', 'ALICE@x.EXAMPLE']) {
      await unchanged([users], async () => {
        const problem = expectProblem(await create(email), 409);
        expect(fieldsOf(problem), email).toEqual(['email']);
      });
    }
  });

  it('refuses a duplicate team name with 409 naming name, whatever the letter case', async () => {
    for (const name of ['Network', 'network', 'NETWORK']) {
      await unchanged([teams], async () => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name } });
        expect(fieldsOf(expectProblem(res, 409)), name).toEqual(['name']);
      });
    }
    const other = json(await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Database' } }));
    await unchanged([teams], async () => {
      const rename = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/teams/${other.id}`,
        headers: admin.headers,
        payload: { name: 'network' },
      });
      expect(fieldsOf(expectProblem(rename, 409))).toEqual(['name']);
    });
    const still = json(await t.app.inject({ method: 'GET', url: `/api/v1/teams/${other.id}`, headers: admin.headers }));
    expect(still.name).toBe('Database');
  });

  describe('service dependency cycles', () => {
    let storage: string;
    let database: string;
    let payroll: string;

    beforeAll(async () => {
      const service = async (payload: Record<string, unknown>) => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: admin.headers, payload });
        expect(res.statusCode).toBe(201);
        return json(res).id as string;
      };
      storage = await service({ name: 'Storage' });
      database = await service({ name: 'Database service', dependsOnIds: [storage] });
      payroll = await service({ name: 'Payroll', dependsOnIds: [database] });
    });

    const cycles = () =>
      [
        ['Storage', storage, [payroll]], // Storage → Payroll → Database service → Storage
        ['Storage', storage, [database]],
        ['Payroll', payroll, [payroll]], // itself
      ] as const;

    async function expectCycleRefused(id: string, payload: Record<string, unknown>) {
      await unchanged([serviceDependencies], async () => {
        const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/services/${id}`, headers: admin.headers, payload });
        const problem = expectProblem(res, 422);
        expect(fieldsOf(problem)).toEqual(['dependsOnIds']);
        expect(problem.detail).toMatch(/cycle/);
      });
    }

    it('refuses a change that would make a cycle with 422 naming dependsOnIds', async () => {
      for (const [name, id, dependsOnIds] of cycles()) await expectCycleRefused(id, { name, dependsOnIds });
      const storageNow = json(await t.app.inject({ method: 'GET', url: `/api/v1/services/${storage}`, headers: admin.headers }));
      expect(storageNow.dependsOnIds).toEqual([]);
    });

    it('refuses the cycle the same way when dependsOnIds is the only field sent', async () => {
      for (const [, id, dependsOnIds] of cycles()) await expectCycleRefused(id, { dependsOnIds });
    });
  });

  it('refuses a ticket naming a service that does not exist with 422 naming serviceId', async () => {
    await unchanged(TICKET_TABLES, async () => {
      const problem = expectProblem(await postTicket({ title: 'Ghost service', serviceId: randomUUID() }), 422);
      expect(fieldsOf(problem)).toEqual(['serviceId']);
    });
  });

  it('refuses a subcategory that is not a child of the category with 422 naming subcategoryId', async () => {
    await unchanged(TICKET_TABLES, async () => {
      const problem = expectProblem(await postTicket({ title: 'Wrong branch', categoryId: softwareId, subcategoryId: laptopId }), 422);
      expect(fieldsOf(problem)).toEqual(['subcategoryId']);
    });
    await unchanged(TICKET_TABLES, async () => {
      const problem = expectProblem(await postTicket({ title: 'No parent chosen', subcategoryId: laptopId }), 422);
      expect(fieldsOf(problem)).toEqual(['subcategoryId']);
    });
    const ticket = await newTicket('Re-categorised later');
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent.headers,
      payload: { categoryId: softwareId, subcategoryId: laptopId },
    });
    expect(fieldsOf(expectProblem(patched, 422))).toEqual(['subcategoryId']);
    // The right pair works.
    expect((await postTicket({ title: 'Right branch', categoryId: hardwareId, subcategoryId: laptopId })).statusCode).toBe(201);
  });

  it('refuses a priority matrix with an inversion with 422, keeping the old matrix', async () => {
    const before = json(await t.app.inject({ method: 'GET', url: '/api/v1/priority-matrix', headers: agent.headers }));
    await unchanged([settings], async () => {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/priority-matrix',
        headers: admin.headers,
        payload: {
          matrix: [
            [3, 2, 1],
            [2, 3, 4],
            [3, 4, 5],
          ],
        },
      });
      const problem = expectProblem(res, 422);
      expect(fieldsOf(problem)).toContain('matrix');
      expect(problem.detail).toMatch(/inversion/);
    });
    await unchanged([settings], async () => {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/priority-matrix',
        headers: admin.headers,
        payload: {
          matrix: [
            [1, 2, 6],
            [2, 3, 4],
            [3, 4, 5],
          ],
        },
      });
      expect(fieldsOf(expectProblem(res, 400))[0]).toMatch(/^matrix/);
    });
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/priority-matrix', headers: agent.headers }))).toEqual(before);
  });

  it('refuses a check or webhook aimed at a private address with 422 naming target or url (issue 11, finding 5)', async () => {
    await unchanged([checks, integrations, webhookSubscriptions], async () => {
      const check = await t.app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        headers: admin.headers,
        payload: { name: 'Metadata', kind: 'http', target: 'http://169.254.169.254/latest/meta-data/' },
      });
      expect(fieldsOf(expectProblem(check, 422))).toEqual(['target']);
      const hook = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin.headers,
        payload: { name: 'Inside', url: 'http://10.0.0.1/hook' },
      });
      expect(fieldsOf(expectProblem(hook, 422))).toEqual(['url']);
    });
  });
});

describe('bad queries and unknown routes', () => {
  it('refuses a bad cursor with 400 naming cursor', async () => {
    for (const cursor of [
      'garbage',
      Buffer.from('{"s":"-openedAt","k":["x"]}').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?cursor=${cursor}`, headers: agent.headers });
      expect(fieldsOf(expectProblem(res, 400)), cursor).toEqual(['cursor']);
    }
    // A cursor made for one sort is refused for another.
    await newTicket('Page one');
    await newTicket('Page two');
    const page = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=1&sort=priority', headers: agent.headers }));
    expect(page.nextCursor).not.toBeNull();
    const mismatch = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tickets?limit=1&cursor=${page.nextCursor}`,
      headers: agent.headers,
    });
    expect(fieldsOf(expectProblem(mismatch, 400))).toEqual(['cursor']);

    const ticket = await newTicket('Timeline cursor');
    const timeline = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/timeline?cursor=abc`, headers: agent.headers });
    expect(fieldsOf(expectProblem(timeline, 400))).toEqual(['cursor']);
  });

  it('refuses unknown and malformed query parameters with 400 naming them', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?colour=red', headers: agent.headers });
    expect(fieldsOf(expectProblem(unknown, 400))).toEqual(['colour']);
    const badLimit = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=100000', headers: agent.headers });
    expect(fieldsOf(expectProblem(badLimit, 400))).toEqual(['limit']);
    const badState = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?state=exploded', headers: agent.headers });
    expect(fieldsOf(expectProblem(badState, 400))[0]).toMatch(/^state/);
  });

  it('refuses an id that is not a UUID with 400 naming id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets/INC-not-an-id', headers: agent.headers });
    expect(fieldsOf(expectProblem(res, 400))).toEqual(['id']);
  });

  it('answers an unknown route with a 404 problem', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nothing-here'],
      ['POST', '/api/v1/tickets/bulk-delete'],
      ['DELETE', '/api/v1/tickets'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: agent.headers });
      const problem = expectProblem(res, 404);
      expect(problem.detail).toContain(url);
    }
  });
});

describe('server errors', () => {
  it('answers a PATCH that changes only a list, or nothing, without a 500', async () => {
    const member = await t.user('agent');
    const team = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'List-only team' } }),
    );
    const membersOnly = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin.headers,
      payload: { memberIds: [member.user.id] },
    });
    expect(membersOnly.statusCode, membersOnly.body).toBe(200);
    expect(json(membersOnly).memberIds).toEqual([member.user.id]);

    const base = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: admin.headers, payload: { name: 'List-only base' } }),
    );
    const top = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: admin.headers, payload: { name: 'List-only top' } }),
    );
    const depsOnly = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/services/${top.id}`,
      headers: admin.headers,
      payload: { dependsOnIds: [base.id] },
    });
    expect(depsOnly.statusCode, depsOnly.body).toBe(200);
    expect(json(depsOnly).dependsOnIds).toEqual([base.id]);

    const category = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin.headers, payload: { name: 'List-only category' } }),
    );
    for (const url of [`/api/v1/teams/${team.id}`, `/api/v1/services/${top.id}`, `/api/v1/categories/${category.id}`]) {
      const empty = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: {} });
      expect(empty.statusCode, `PATCH ${url} {} → ${empty.body}`).toBeLessThan(500);
    }
  });

  it('never leaks internals: whatever the status, no SQL, stack or driver message reaches the caller', async () => {
    // The one honest way to make the database itself fail from outside: a NUL character,
    // which PostgreSQL text refuses. The answer must be a problem that hides the why.
    const res = await postTicket({ title: 'Leak \u0000 probe', description: 'desc \u0000' });
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.body;
    for (const secret of [
      /insert into/i,
      /select /i,
      /"tickets"/,
      /\bat .*\.(ts|js):\d+/,
      /0x00/,
      /invalid byte sequence/i,
      /drizzle|pglite|node-postgres/i,
    ]) {
      expect(body).not.toMatch(secret);
    }
    if (res.statusCode >= 500) {
      const problem = json<Problem>(res);
      expect(problem.detail).toContain(String(res.headers['x-request-id']));
    }
  });
});

describe('security review (issue 11, finding 15): inputs that were 500s are 400s naming the field', () => {
  const deep = (depth: number): unknown => {
    let value: unknown = 'x';
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };

  it('refuses deeply nested JSON, even unauthenticated on sign-in, naming the field', async () => {
    // Sent as text: JSON.stringify of the value would recurse as deep as the old walk did.
    const body = `{"email":${'['.repeat(100_000)}"a"${']'.repeat(100_000)},"password":"x"}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(expectProblem(res, 400).errors).toEqual([{ field: 'email', message: 'is nested more than 64 levels deep' }]);
    await unchanged(TICKET_TABLES, async () => {
      const ticket = await postTicket({ title: 'Deep', description: deep(200) });
      expect(fieldsOf(expectProblem(ticket, 400))).toEqual(['description']);
    });
  });

  it('refuses cursors beyond what the database can compare on the timeline and the bell', async () => {
    const ticket = await newTicket('Cursor range');
    for (const cursor of ['1e308', '9223372036854775808', '9223372036854775807', '9'.repeat(40), '-1', '1.5']) {
      const timeline = await t.app.inject({
        method: 'GET',
        url: `/api/v1/tickets/${ticket.id}/timeline?cursor=${encodeURIComponent(cursor)}`,
        headers: agent.headers,
      });
      expect(fieldsOf(expectProblem(timeline, 400)), `timeline ${cursor}`).toEqual(['cursor']);
    }
    for (const cursor of ['9223372036854775808', '9'.repeat(300), '99999999999999999999']) {
      const bell = await t.app.inject({ method: 'GET', url: `/api/v1/me/notifications?cursor=${cursor}`, headers: agent.headers });
      expect(fieldsOf(expectProblem(bell, 400)), `bell ${cursor}`).toEqual(['cursor']);
    }
    // Ticket list cursors carrying a number or an instant out of range, or the wrong shape.
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = randomUUID();
    for (const cursor of [
      encode({ s: 'priority', k: [1e308, '2026-03-02T08:00:00.000Z', id] }),
      encode({ s: 'priority', k: [2 ** 63, '2026-03-02T08:00:00.000Z', id] }),
      encode({ s: '-openedAt', k: ['+275760-09-13T00:00:00.000Z', id] }),
      encode({ s: '-openedAt', k: ['2026-03-02T08:00:00.000Z', '2026-03-02T08:00:00.000Z', id] }),
    ]) {
      const sort = cursor.length > 0 && JSON.parse(Buffer.from(cursor, 'base64url').toString()).s;
      const list = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?sort=${sort}&cursor=${cursor}`, headers: agent.headers });
      expect(fieldsOf(expectProblem(list, 400))).toEqual(['cursor']);
    }
  });

  it('refuses lone UTF-16 surrogates in text that is kept as jsonb (the timeline), naming the field', async () => {
    const ticket = await newTicket('Surrogates');
    await unchanged(TICKET_TABLES, async () => {
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/tickets/${ticket.id}`,
        headers: { ...agent.headers, 'content-type': 'application/json' },
        payload: '{"title":"half a smile \\ud83d"}',
      });
      expect(expectProblem(patched, 400).errors).toEqual([
        { field: 'title', message: 'must be valid Unicode text (it contains half of a UTF-16 surrogate pair)' },
      ]);
      const created = await postTicket('{"title":"ok","description":"\\udc00"}', { 'content-type': 'application/json' });
      expect(fieldsOf(expectProblem(created, 400))).toEqual(['description']);
    });
    // A whole pair is text like any other.
    const smile = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent.headers,
      payload: { title: 'a smile \ud83d\ude00' },
    });
    expect(smile.statusCode, smile.body).toBe(200);
  });

  it('generated: every route of the OpenAPI document answers these classes of input with a 4xx, never a 5xx', async () => {
    const document = json(await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    const ticket = await newTicket('Fuzz target');
    const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' ? ticket.id : randomUUID()));
    const tried: string[] = [];
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const url = fill(path);
        const query = ((operation.parameters as { in: string; name: string }[] | undefined) ?? []).filter((p) => p.in === 'query');
        // Cursors and numbers beyond any column: every query parameter gets each.
        for (const parameter of query) {
          for (const value of ['1e308', '9223372036854775808', '9'.repeat(300), '%ED%A0%80']) {
            const res = await t.app.inject({
              method: method.toUpperCase() as 'GET',
              url: `${url}?${parameter.name}=${value.startsWith('%') ? value : encodeURIComponent(value)}`,
              headers: admin.headers,
            });
            tried.push(`${method} ${path}?${parameter.name}`);
            expect(
              res.statusCode,
              `${method.toUpperCase()} ${path}?${parameter.name}=${value.slice(0, 20)} → ${res.body.slice(0, 200)}`,
            ).toBeLessThan(500);
          }
        }
        // Deep nesting and lone surrogates in every JSON body.
        if (!['post', 'put', 'patch'].includes(method) || path.includes('attachments')) continue;
        for (const payload of [
          `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
          '{"title":"\\ud800","name":"\\udfff","description":"a\\ud800b"}',
        ]) {
          const res = await t.app.inject({
            method: method.toUpperCase() as 'POST',
            url,
            headers: { ...admin.headers, 'content-type': 'application/json' },
            payload,
          });
          tried.push(`${method} ${path}`);
          expect(res.statusCode, `${method.toUpperCase()} ${path} ${payload.slice(0, 30)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          if (res.statusCode === 400) expect(fieldsOf(json(res)).length, `${method} ${path}`).toBeGreaterThan(0);
        }
      }
    }
    expect(new Set(tried).size).toBeGreaterThan(30);
    // It walks every route of the document: 20-30 s on a loaded machine, longer with each new route.
  }, 120_000);
});

describe('passwords', () => {
  it('refuses a bad password change or reset with 400 naming the field, changing no password, session or token', async () => {
    const person = await t.user('agent', { password: 'correct horse battery staple' });
    const hashOf = async () => (await t.deps.db.select().from(users)).find((u) => u.id === person.user.id)?.passwordHash;
    const before = await hashOf();
    const change = (payload: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: person.headers, payload: payload as Record<string, unknown> });
    const cases: [unknown, string][] = [
      [{ currentPassword: 'correct horse battery staple', newPassword: 'too short' }, 'newPassword'],
      [{ currentPassword: 'correct horse battery staple', newPassword: 'x'.repeat(201) }, 'newPassword'],
      [{ currentPassword: '', newPassword: 'a long enough passphrase' }, 'currentPassword'],
      [
        { currentPassword: 'correct horse battery staple', newPassword: 'a long enough passphrase', revokeApiTokens: 'no' },
        'revokeApiTokens',
      ],
      [{ newPassword: 'a long enough passphrase' }, 'currentPassword'],
    ];
    for (const [payload, field] of cases) {
      const problem = expectProblem(await change(payload), 400);
      expect(problem.errors?.map((e) => e.field)).toContain(field);
    }
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${person.user.id}/password-reset`,
      headers: admin.headers,
      payload: { revokeApiTokens: 1, temporaryPassword: 'mine' },
    });
    expect(expectProblem(reset, 400).errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['revokeApiTokens', 'temporaryPassword']));
    expect(await hashOf()).toBe(before);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: person.headers })).statusCode).toBe(200);
  });
});
