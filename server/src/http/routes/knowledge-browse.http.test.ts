import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/** The portal's help page (issue 17): articles browsed by service and category, and searched within them. */

let t: TestApp;
let agent: TestUser;
let rita: TestUser;
const svc: Record<string, string> = {};
const cat: Record<string, string> = {};
const art: Record<string, string> = {};

const call = (method: 'GET' | 'POST', url: string, who: TestUser, payload?: unknown) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });

async function created(url: string, who: TestUser, body: Record<string, unknown>): Promise<string> {
  const res = await call('POST', url, who, body);
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}

async function article(key: string, title: string, fields: Record<string, unknown>, publish = true) {
  art[key] = await created('/api/v1/articles', agent, { title, body: `${title}. Step by step.`, ...fields });
  if (publish) expect((await call('POST', `/api/v1/articles/${art[key]}/transitions`, agent, { to: 'published' })).statusCode).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-10T09:00:00Z');
  agent = await t.user('agent');
  rita = await t.user('requester', { name: 'Rita' });
  const admin = await t.user('admin');
  svc.VPN = await created('/api/v1/services', admin, { name: 'VPN' });
  svc.client = await created('/api/v1/services', admin, { name: 'VPN client', parentId: svc.VPN });
  svc.Printing = await created('/api/v1/services', admin, { name: 'Printing' });
  cat.Network = await created('/api/v1/categories', admin, { name: 'Network' });
  cat.Remote = await created('/api/v1/categories', admin, { name: 'Remote access', parentId: cat.Network });
  cat.Hardware = await created('/api/v1/categories', admin, { name: 'Hardware' });
  await article('cert', 'Renew your VPN certificate', { serviceIds: [svc.client], categoryIds: [cat.Remote] });
  await article('home', 'Connect to the VPN from home', { serviceIds: [svc.VPN] });
  await article('printer', 'Printer shows offline', { serviceIds: [svc.Printing], categoryIds: [cat.Hardware] });
  await article('staff', 'VPN gateway certificate rotation', { serviceIds: [svc.VPN], audience: 'staff' });
  await article('draft', 'VPN split tunnelling', { serviceIds: [svc.VPN] }, false);
});
afterAll(() => t.close());

const listed = async (query: string, who: TestUser = rita) => {
  const res = await call('GET', `/api/v1/articles?${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return (json(res).items as { id: string }[]).map((a) => a.id).sort();
};
const found = async (query: string, who: TestUser = rita) => {
  const res = await call('GET', `/api/v1/articles/search?${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return (json(res).items as { id: string }[]).map((a) => a.id).sort();
};
const ids = (...keys: string[]) => keys.map((k) => art[k] as string).sort();

describe('browsing the knowledge base by service and category', () => {
  it('lists a service’s articles with its components’, and a category’s with its subcategories’ — for requesters, published ones for everyone only', async () => {
    expect(await listed(`serviceId=${svc.VPN}`)).toEqual(ids('cert', 'home'));
    expect(await listed(`serviceId=${svc.client}`)).toEqual(ids('cert'));
    expect(await listed(`categoryId=${cat.Network}`)).toEqual(ids('cert'));
    expect(await listed(`serviceId=${svc.VPN}&categoryId=${cat.Hardware}`)).toEqual([]);
    expect(await listed(`categoryId=${cat.Hardware}`)).toEqual(ids('printer'));
    // Staff browse everything on the service, drafts and staff-only articles included.
    expect(await listed(`serviceId=${svc.VPN}`, agent)).toEqual(ids('cert', 'home', 'staff', 'draft'));
  });

  it('searches within the chosen service or category', async () => {
    expect(await found(`q=vpn&serviceId=${svc.VPN}`)).toEqual(ids('cert', 'home'));
    expect(await found(`q=certificate&serviceId=${svc.VPN}`)).toEqual(ids('cert'));
    expect(await found(`q=vpn&serviceId=${svc.Printing}`)).toEqual([]);
    expect(await found(`q=offline&categoryId=${cat.Hardware}`)).toEqual(ids('printer'));
    expect(await found(`q=certificate&categoryId=${cat.Hardware}`)).toEqual([]);
    expect(await found(`q=certificate&serviceId=${svc.VPN}`, agent)).toEqual(ids('cert', 'staff'));
  });

  it('refuses a malformed service or category with 400 naming it', async () => {
    for (const [url, field] of [
      ['/api/v1/articles?serviceId=vpn', 'serviceId'],
      ['/api/v1/articles?categoryId=1', 'categoryId'],
      ['/api/v1/articles/search?q=vpn&serviceId=x', 'serviceId'],
    ] as const) {
      const res = await call('GET', url, rita);
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(json(res).errors)).toContain(field);
    }
  });
});
