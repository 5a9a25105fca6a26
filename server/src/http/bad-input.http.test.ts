import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { serviceDependencies, settings, teams, tickets, timelineEvents, users } from '../db/schema/index.js';

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

async function newTicket(title: string): Promise<{ id: string; number: string; version: number }> {
  const res = await postTicket({ title });
  expect(res.statusCode).toBe(201);
  return json(res);
}

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
