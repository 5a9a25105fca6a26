import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * The organisation's logo on /status (issue 15): an admin uploads a PNG, JPEG or WebP (told by
 * its bytes), it shows in the header with the organisation's name as its alt text and is served
 * as an image nothing can run in; SVG, other files and oversized images are refused naming the
 * field, changing nothing; only admins may set or remove it.
 */

// A 1×1 PNG, built by hand (signature, IHDR, IDAT, IEND).
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');

let t: TestApp;
let admin: TestUser;
let agent: TestUser;
let rita: TestUser;

type Method = 'GET' | 'PUT' | 'DELETE';
const call = (method: Method, url: string, who?: TestUser, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, ...(who ? { headers: who.headers } : {}), ...(payload ? { payload } : {}) });
const header = async () => (await call('GET', '/status')).body.match(/<header class="top">.*?<\/header>/s)?.[0] ?? '';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  agent = await t.user('agent');
  rita = await t.user('requester');
  const named = await call('PUT', '/api/v1/status-page/settings', admin, { name: 'Acme <Ops> & Co' });
  expect(named.statusCode, named.body).toBe(200);
});
afterAll(() => t.close());

describe('the logo on the status page', () => {
  it('shows an uploaded PNG in the header with the organisation’s name as alt text, served as an image nothing runs in', async () => {
    expect(await header()).not.toContain('<img');
    const set = await call('PUT', '/api/v1/status-page/logo', admin, { image: PNG });
    expect(set.statusCode, set.body).toBe(200);
    const meta = json(set);
    expect(meta).toMatchObject({ mediaType: 'image/png', size: Buffer.from(PNG, 'base64').length });

    // The desk reads what is set (Admin › Status page shows it).
    const state = await call('GET', '/api/v1/status-page/logo', agent);
    expect(json(state).logo).toEqual(meta);

    const top = await header();
    expect(top).toContain(`<img class="logo" src="${meta.url}" alt="Acme &lt;Ops&gt; &amp; Co"`);

    const image = await call('GET', meta.url);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.headers['content-security-policy']).toContain('sandbox');
    expect(image.rawPayload.equals(Buffer.from(PNG, 'base64'))).toBe(true);

    const removed = await call('DELETE', '/api/v1/status-page/logo', admin);
    expect(removed.statusCode).toBe(204);
    expect(await header()).not.toContain('<img');
    expect(await header()).toContain('Acme &lt;Ops&gt; &amp; Co');
    expect((await call('GET', meta.url)).statusCode).toBe(404);
    expect(json(await call('GET', '/api/v1/status-page/logo', agent)).logo).toBeNull();
  });

  it('refuses SVG, a file that is not an image and an image over 256 KB, naming the field and keeping the logo it had', async () => {
    expect((await call('PUT', '/api/v1/status-page/logo', admin, { image: PNG })).statusCode).toBe(200);
    const before = await header();

    const svg = await call('PUT', '/api/v1/status-page/logo', admin, { image: SVG });
    expect(svg.statusCode).toBe(400);
    expect(svg.headers['content-type']).toContain('application/problem+json');
    expect(json(svg).errors[0]).toMatchObject({ field: 'image', message: expect.stringContaining('SVG is not accepted') });

    // A PNG name or type means nothing: these bytes are a PDF.
    const pdf = await call('PUT', '/api/v1/status-page/logo', admin, {
      image: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF').toString('base64'),
    });
    expect(pdf.statusCode).toBe(400);
    expect(json(pdf).errors[0]).toMatchObject({ field: 'image', message: expect.stringContaining('is not a PNG, JPEG or WebP image') });

    const big = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(260 * 1024)]).toString('base64');
    const tooBig = await call('PUT', '/api/v1/status-page/logo', admin, { image: big });
    expect(tooBig.statusCode).toBe(400);
    expect(json(tooBig).errors[0].field).toBe('image');

    const notBase64 = await call('PUT', '/api/v1/status-page/logo', admin, { image: 'not base64 at all!' });
    expect(notBase64.statusCode).toBe(400);
    expect(json(notBase64).errors[0].field).toBe('image');

    expect(await header()).toBe(before);
  });

  it('lets only admins set or remove the logo, and only staff read what is set', async () => {
    expect((await call('GET', '/api/v1/status-page/logo', rita)).statusCode).toBe(403);
    for (const who of [agent, rita]) {
      expect((await call('PUT', '/api/v1/status-page/logo', who, { image: PNG })).statusCode).toBe(403);
      expect((await call('DELETE', '/api/v1/status-page/logo', who)).statusCode).toBe(403);
    }
    expect((await call('PUT', '/api/v1/status-page/logo', undefined, { image: PNG })).statusCode).toBe(401);
  });
});
