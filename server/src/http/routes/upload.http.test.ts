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

  it('refuses the names the security review got through (issue 11, finding 9) with 415 naming the file and why, keeping nothing', async () => {
    const before = json(
      await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: agent.headers }),
    ).items;
    const page = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    const cases: [string, string][] = [
      ['evil.html.', 'evil.html is a web page; pages are not accepted'],
      ['evil.shtml', 'evil.shtml is a web page; pages are not accepted'],
      ['evil.xht', 'evil.xht is a web page; pages are not accepted'],
      ['evil.mhtml', 'evil.mhtml is a web page; pages are not accepted'],
      ['evil.svgz', 'evil.svgz is a web page; pages are not accepted'],
      ['evil.chm', 'evil.chm is a shortcut or help file that can start programs; it is not accepted'],
      ['evil.py', 'evil.py is a script; scripts are not accepted'],
      ['evil.url', 'evil.url is a shortcut or help file that can start programs; it is not accepted'],
      ['evil.docm', 'evil.docm is an Office document with macros; save it without macros (as .docx, .xlsx or .pptx) and attach that'],
      ['evil.msix', 'evil.msix is a program; programs are not accepted'],
      ['evil.ps1xml', 'evil.ps1xml is a script; scripts are not accepted'],
      ['evil\uff0ehtml', 'evil.html is a web page; pages are not accepted'],
      ['evil\u202Elmth.txt', 'evillmth.txt is a web page; pages are not accepted'],
      ['notes.txt', 'notes.txt is a web page; pages are not accepted'],
    ];
    for (const [name, reason] of cases) {
      const res = await upload(rita, page, { 'content-type': 'text/plain', 'x-filename': encodeURIComponent(name) });
      expect(res.statusCode, name).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).errors, name).toEqual([{ field: 'file', message: reason }]);
    }
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: agent.headers })).items;
    expect(after).toHaveLength(before.length);
  });

  it('looks at the bytes: a program named .pdf or binary named .txt is refused; real files are kept and served with their own type', async () => {
    const exe = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(64)]);
    const asPdf = await upload(rita, exe, { 'content-type': 'application/pdf', 'x-filename': 'invoice.pdf' });
    expect(asPdf.statusCode).toBe(415);
    expect(json(asPdf).errors[0].message).toMatch(/^invoice\.pdf is named a PDF document but its content is/);
    const binary = await upload(rita, Buffer.from([0x01, 0x00, 0x02, 0xff]), { 'content-type': 'text/plain', 'x-filename': 'log.txt' });
    expect(binary.statusCode).toBe(415);
    expect(json(binary).errors[0].message).toBe('log.txt is named a text file but its content is binary, not text');

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const kept = await upload(rita, pdf, { 'content-type': 'text/html', 'x-filename': encodeURIComponent('Rechnung März.pdf ') });
    expect(kept.statusCode).toBe(201);
    expect(json(kept)).toMatchObject({ filename: 'Rechnung März.pdf', contentType: 'application/pdf' });
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${json(kept).id}`, headers: rita.headers });
    expect(download.headers['content-type']).toBe('application/pdf');
    const log = await upload(rita, Buffer.from('2026-12-05 12:00:01 ERROR printer offline\n'), {
      'content-type': 'application/octet-stream',
      'x-filename': 'spooler.log',
    });
    expect(log.statusCode).toBe(201);
    expect(json(log).contentType).toBe('text/plain; charset=utf-8');
  });

  it('refuses a file over the size limit (10 MiB by default) with 413', async () => {
    const res = await upload(rita, Buffer.alloc(10 * 1024 * 1024 + 1), { 'content-type': 'application/pdf', 'x-filename': 'huge.pdf' });
    expect(res.statusCode).toBe(413);
  });
});
