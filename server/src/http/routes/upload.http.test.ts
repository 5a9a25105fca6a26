import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let rita: TestUser;
let bob: TestUser;
let agent: TestUser;
let ticketId: string;

beforeAll(async () => {
  t = await createTestApp();
  rita = await t.user('requester');
  bob = await t.user('requester');
  agent = await t.user('agent');
  ticketId = json(
    await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: rita.headers, payload: { title: 'Printer prints blank pages' } }),
  ).id;
});
afterAll(() => t.close());

const upload = (who: TestUser, body: Buffer, headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, headers: { ...who.headers, ...headers }, payload: body });

describe('attaching files to a ticket', () => {
  it('keeps a file from the requester, announces it on the timeline, and lets the desk download it as it was', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const res = await upload(rita, png, { 'content-type': 'image/png', 'x-filename': encodeURIComponent('Bildschirmfoto 1.png') });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({
      filename: 'Bildschirmfoto 1.png',
      contentType: 'image/png',
      size: png.length,
      uploadedById: rita.user.id,
    });
    const listed = json(
      await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: agent.headers }),
    ).items;
    expect(listed.map((a: { filename: string }) => a.filename)).toEqual(['Bildschirmfoto 1.png']);
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${listed[0].id}`, headers: agent.headers });
    expect(download.rawPayload.equals(png)).toBe(true);
    expect(download.headers['content-disposition']).toContain('attachment');
    const timeline = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline`, headers: agent.headers })).items;
    expect(timeline.at(-1)).toMatchObject({ type: 'comment', body: 'Attached Bildschirmfoto 1.png (1 KB)', internal: false });
  });

  it('refuses programs and pages (415), a missing name (400), and a ticket the person may not see (404), keeping nothing', async () => {
    const script = await upload(rita, Buffer.from('<svg onload=alert(1)>'), { 'content-type': 'image/svg+xml', 'x-filename': 'logo.svg' });
    expect(script.statusCode).toBe(415);
    expect(json(script).errors[0].field).toBe('file');
    const exe = await upload(rita, Buffer.from('MZ'), { 'content-type': 'application/octet-stream', 'x-filename': 'setup.exe' });
    expect(exe.statusCode).toBe(415);
    const unnamed = await upload(rita, Buffer.from('hello'), { 'content-type': 'text/plain' });
    expect(unnamed.statusCode).toBe(400);
    const stranger = await upload(bob, Buffer.from('hello'), { 'content-type': 'text/plain', 'x-filename': 'notes.txt' });
    expect(stranger.statusCode).toBe(404);
    const listed = json(
      await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: agent.headers }),
    ).items;
    expect(listed).toHaveLength(1);
  });

  it('refuses a file over the size limit (10 MiB by default) with 413', async () => {
    const res = await upload(rita, Buffer.alloc(10 * 1024 * 1024 + 1), { 'content-type': 'application/pdf', 'x-filename': 'huge.pdf' });
    expect(res.statusCode).toBe(413);
  });
});
