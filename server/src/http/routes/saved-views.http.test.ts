import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let ann: TestUser;
let ben: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  ann = await t.user('agent');
  ben = await t.user('agent');
});
afterAll(() => t.close());

const save = (who: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/me/saved-views', headers: who.headers, payload });
const list = async (who: TestUser) =>
  json(await t.app.inject({ method: 'GET', url: '/api/v1/me/saved-views', headers: who.headers })).items;

describe('saved queue views', () => {
  it('keeps each person’s views on the server, replaces one saved under the same name, and removes them', async () => {
    expect((await save(ann, { name: 'Open P1s', queue: 'open', filters: { priority: '1' } })).statusCode).toBe(200);
    expect((await save(ann, { name: 'Open P1s', queue: 'open', filters: { priority: '1,2', q: 'vpn' } })).statusCode).toBe(200);
    const views = await list(ann);
    expect(views).toEqual([expect.objectContaining({ name: 'Open P1s', queue: 'open', filters: { priority: '1,2', q: 'vpn' } })]);
    // Nobody else sees them, or can remove them.
    expect(await list(ben)).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/me/saved-views/${views[0].id}`, headers: ben.headers })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/me/saved-views/${views[0].id}`, headers: ann.headers })).statusCode).toBe(
      204,
    );
    expect(await list(ann)).toEqual([]);
  });

  it('refuses filters the queue does not know, naming the field', async () => {
    const res = await save(ann, { name: 'Bad', queue: 'open', filters: { colour: 'red' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0].field).toContain('filters');
    expect(await list(ann)).toEqual([]);
  });
});
