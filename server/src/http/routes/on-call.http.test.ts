import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let manager: TestUser;
let agent: TestUser;
let ann: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  manager = await t.user('manager');
  agent = await t.user('agent');
  ann = await t.user('agent', { name: 'Ann Oncall' });
  bob = await t.user('agent', { name: 'Bob Oncall' });
});
afterAll(() => t.close());

const layer = (over: Record<string, unknown> = {}) => ({
  name: 'Primary',
  rotation: { kind: 'daily' },
  handoffTime: '09:00',
  startDate: '2026-03-27',
  participants: [ann.user.id, bob.user.id],
  ...over,
});
const create = (payload: Record<string, unknown>, who: TestUser = manager) =>
  t.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: who.headers, payload });
const get = (url: string, who: TestUser = agent) => t.app.inject({ method: 'GET', url, headers: who.headers });

describe('schedules', () => {
  it('creates a Berlin schedule and answers who is on call across the March change, and the rota', async () => {
    const res = await create({ name: 'Berlin network', timeZone: 'Europe/Berlin', layers: [layer()] });
    expect(res.statusCode).toBe(201);
    const schedule = json(res);
    expect(schedule).toMatchObject({ timeZone: 'Europe/Berlin', hasCalendarFeed: false });

    const who = async (at: string) => json(await get(`/api/v1/schedules/${schedule.id}/on-call?at=${at}`)).user?.name ?? null;
    expect(await who('2026-03-28T07:59:00Z')).toBe('Ann Oncall');
    expect(await who('2026-03-28T08:00:00Z')).toBe('Bob Oncall'); // 09:00 CET
    expect(await who('2026-03-29T06:59:00Z')).toBe('Bob Oncall');
    expect(await who('2026-03-29T07:00:00Z')).toBe('Ann Oncall'); // 09:00 CEST
    expect(await who('2026-03-01T00:00:00Z')).toBeNull(); // before the rotation starts

    const rota = json(await get(`/api/v1/schedules/${schedule.id}/shifts?from=2026-03-28T00:00:00Z&to=2026-03-30T00:00:00Z`));
    expect(rota.final.map((s: { userId: string; start: string }) => [s.userId, s.start])).toEqual([
      [ann.user.id, '2026-03-28T00:00:00.000Z'],
      [bob.user.id, '2026-03-28T08:00:00.000Z'],
      [ann.user.id, '2026-03-29T07:00:00.000Z'],
    ]);
    expect(rota.layers[0].name).toBe('Primary');
  });

  it('refuses bad input with 400 problem+json naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Bad zone', timeZone: 'Europe/Atlantis', layers: [layer()] }, 'timeZone'],
      [{ name: 'Empty rotation', timeZone: 'UTC', layers: [layer({ participants: [] })] }, 'layers.0.participants'],
      [
        { name: 'Zero length', timeZone: 'UTC', layers: [layer({ rotation: { kind: 'custom', lengthHours: 0 } })] },
        'layers.0.rotation.lengthHours',
      ],
      [{ name: 'No length', timeZone: 'UTC', layers: [layer({ rotation: { kind: 'custom' } })] }, 'layers.0.rotation.lengthHours'],
      [{ name: 'Bad handoff', timeZone: 'UTC', layers: [layer({ handoffTime: '25:00' })] }, 'layers.0.handoffTime'],
      [{ name: 'No layers', timeZone: 'UTC', layers: [] }, 'layers'],
    ];
    for (const [payload, field] of cases) {
      const res = await create(payload);
      expect(res.statusCode, String(payload.name)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(
        json(res).errors.map((e: { field: string }) => e.field),
        String(payload.name),
      ).toContain(field);
    }
    // Agents may read schedules but not change them.
    expect((await create({ name: 'By an agent', timeZone: 'UTC', layers: [layer()] }, agent)).statusCode).toBe(403);
  });

  it('puts an override over the layers, refuses an overlapping one (400 naming the field), and deletes it', async () => {
    const schedule = json(await create({ name: 'With overrides', timeZone: 'UTC', layers: [layer({ participants: [ann.user.id] })] }));
    const add = (startsAt: string, endsAt: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/schedules/${schedule.id}/overrides`,
        headers: manager.headers,
        payload: { userId: bob.user.id, startsAt, endsAt },
      });
    const first = await add('2026-04-01T10:00:00Z', '2026-04-01T18:00:00Z');
    expect(first.statusCode).toBe(201);
    const clash = await add('2026-04-01T17:00:00Z', '2026-04-02T10:00:00Z');
    expect(clash.statusCode).toBe(400);
    expect(json(clash).errors[0].field).toBe('startsAt');
    expect((await add('2026-04-01T18:00:00Z', '2026-04-01T20:00:00Z')).statusCode).toBe(201); // touching is fine
    const backwards = await add('2026-04-03T10:00:00Z', '2026-04-03T09:00:00Z');
    expect(json(backwards).errors[0].field).toBe('endsAt');

    const who = async (at: string) => json(await get(`/api/v1/schedules/${schedule.id}/on-call?at=${at}`));
    expect((await who('2026-04-01T12:00:00Z')).source).toBe('override');
    expect((await who('2026-04-01T12:00:00Z')).user.id).toBe(bob.user.id);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/schedules/${schedule.id}/overrides/${json(first).id}`,
      headers: manager.headers,
    });
    expect(del.statusCode).toBe(204);
    expect((await who('2026-04-01T12:00:00Z')).user.id).toBe(ann.user.id);
  });

  it('serves an iCalendar feed to the holder of the feed secret only', async () => {
    const schedule = json(await create({ name: 'Feed, with; commas', timeZone: 'Europe/Berlin', layers: [layer()] }));
    const feedUrl = `/api/v1/schedules/${schedule.id}/calendar.ics`;
    expect((await t.app.inject({ method: 'GET', url: `${feedUrl}?token=nothing` })).statusCode).toBe(404);
    const made = json(
      await t.app.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.id}/calendar-feed`, headers: manager.headers }),
    );
    expect(made.url).toContain(`${feedUrl}?token=`);
    const res = await t.app.inject({ method: 'GET', url: `${feedUrl}?token=${encodeURIComponent(made.token)}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const text = res.body;
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text).toContain('BEGIN:VEVENT');
    // RFC 5545: lines of at most 75 octets, CRLF, and commas/semicolons escaped in text.
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text).toContain('Feed\\, with\\; commas');
    const uids = [...text.matchAll(/^UID:(.*)$/gm)].map((m) => m[1]);
    expect(uids.length).toBeGreaterThan(10);
    expect(new Set(uids).size).toBe(uids.length);
    // A new secret retires the old one.
    await t.app.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.id}/calendar-feed`, headers: manager.headers });
    expect((await t.app.inject({ method: 'GET', url: `${feedUrl}?token=${encodeURIComponent(made.token)}` })).statusCode).toBe(404);
    expect(json(await get(`/api/v1/schedules/${schedule.id}`)).hasCalendarFeed).toBe(true);
  });

  it('will not delete a schedule an escalation policy pages', async () => {
    const schedule = json(await create({ name: 'In use', timeZone: 'UTC', layers: [layer()] }));
    const policy = await t.app.inject({
      method: 'POST',
      url: '/api/v1/escalation-policies',
      headers: manager.headers,
      payload: { name: 'Uses it', levels: [{ targets: [{ type: 'schedule', id: schedule.id }], timeoutMinutes: 5 }] },
    });
    expect(policy.statusCode).toBe(201);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: manager.headers });
    expect(del.statusCode).toBe(409);
    const unused = json(await create({ name: 'Unused', timeZone: 'UTC', layers: [layer()] }));
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${unused.id}`, headers: manager.headers })).statusCode).toBe(
      204,
    );
    expect((await get(`/api/v1/schedules/${unused.id}`)).statusCode).toBe(404);
  });
});
