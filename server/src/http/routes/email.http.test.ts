import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { parseEmail } from '../../intake/email/parse-email.js';
import { type EmailIntakeSettings, receiveEmail } from '../../services/email-intake.service.js';

const settings: EmailIntakeSettings = {
  messageIdDomain: 'firebreak.test',
  ownAddresses: ['support@firebreak.test'],
  attachments: { maxBytes: 1024 * 1024, maxCount: 5 },
};

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let agent: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.user('requester', { email: 'alice@example.test' });
  bob = await t.user('requester');
  agent = await t.user('agent');
  admin = await t.user('admin');
});
afterAll(() => t.close());

async function mailIn(from: string, headers: string, body: string) {
  const raw = Buffer.from(
    `From: ${from}\r\nTo: support@firebreak.test\r\nMessage-ID: <${randomUUID()}@client.test>\r\n${headers}\r\n${body}`,
  );
  return {
    raw,
    result: await receiveEmail(t.deps, settings, {
      raw,
      parsed: await parseEmail(raw),
      envelope: { mailFrom: from, rcptTo: ['support@firebreak.test'] },
    }),
  };
}

const get = (who: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });

describe("a ticket's files and mails", () => {
  let ticketId: string;
  let emailId: string;
  let raw: Buffer;

  beforeAll(async () => {
    const html = Buffer.from('<html><script>alert(document.cookie)</script>hello</html>');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const mail = await mailIn(
      'alice@example.test',
      'Subject: Scanner broken\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
      `--b\r\nContent-Type: text/plain\r\n\r\nSee the attached note.\r\n--b\r\nContent-Type: text/plain; name="note.txt"\r\nContent-Disposition: attachment; filename="n\u00f6te.txt"\r\n\r\nscanner error 42\r\n--b\r\nContent-Type: image/png; name="evil.png"\r\nContent-Disposition: attachment; filename="evil.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${html.toString('base64')}\r\n--b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="shot.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${png.toString('base64')}\r\n--b--\r\n`,
    );
    expect(mail.result.outcome).toBe('ticket_created');
    ticketId = mail.result.ticketId as string;
    emailId = mail.result.emailId;
    raw = mail.raw;
  });

  it('lists and downloads attachments for those who may see the ticket, as downloads only', async () => {
    const list = await get(alice, `/api/v1/tickets/${ticketId}/attachments`);
    expect(list.statusCode).toBe(200);
    const items = json(list).items as { id: string; filename: string; size: number; emailId: string }[];
    // The "image" that is really HTML was not kept (its bytes are not what its name says).
    expect(items.map((i) => i.filename).sort()).toEqual(['nöte.txt', 'shot.png']);
    expect(items.every((i) => i.emailId === emailId)).toBe(true);

    const note = items.find((i) => i.filename === 'nöte.txt') as { id: string };
    const file = await get(alice, `/api/v1/attachments/${note.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('scanner error 42');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="n_te.txt"; filename*=UTF-8''n%C3%B6te.txt`);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toContain('sandbox');

    // An image is still only ever a download that the browser must not sniff.
    const shot = await get(agent, `/api/v1/attachments/${(items.find((i) => i.filename === 'shot.png') as { id: string }).id}`);
    expect(shot.headers['content-type']).toBe('image/png');
    expect(shot.headers['content-disposition']).toMatch(/^attachment;/);
    expect(shot.headers['x-content-type-options']).toBe('nosniff');
  });

  it("answers 404 to another requester for the ticket's attachments and each file, like a missing one", async () => {
    const items = json(await get(alice, `/api/v1/tickets/${ticketId}/attachments`)).items as { id: string }[];
    expect((await get(bob, `/api/v1/tickets/${ticketId}/attachments`)).statusCode).toBe(404);
    const theirs = await get(bob, `/api/v1/attachments/${items[0].id}`);
    const missing = await get(bob, `/api/v1/attachments/${randomUUID()}`);
    expect(theirs.statusCode).toBe(404);
    expect(json(theirs).detail).toBe(json(missing).detail);
    expect(theirs.body).not.toContain('scanner');
  });

  it('gives agents the original message, byte for byte, and refuses requesters', async () => {
    const list = await get(agent, `/api/v1/tickets/${ticketId}/emails`);
    expect(list.statusCode).toBe(200);
    expect(json(list).items).toEqual([
      expect.objectContaining({
        id: emailId,
        outcome: 'ticket_created',
        fromAddress: 'alice@example.test',
        size: raw.length,
        notes: ['attachment not kept: evil.png is named a PNG image but its content is not one'],
      }),
    ]);
    const download = await get(agent, `/api/v1/tickets/${ticketId}/emails/${emailId}/raw`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('message/rfc822');
    expect(download.headers['content-disposition']).toContain(`${emailId}.eml`);
    expect(download.rawPayload.equals(raw)).toBe(true);

    expect((await get(alice, `/api/v1/tickets/${ticketId}/emails/${emailId}/raw`)).statusCode).toBe(403);
    expect((await get(alice, `/api/v1/tickets/${ticketId}/emails`)).statusCode).toBe(403);
    // The mail belongs to this ticket only.
    const other = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent.headers, payload: { title: 'Another ticket' } }),
    );
    expect((await get(agent, `/api/v1/tickets/${other.id}/emails/${emailId}/raw`)).statusCode).toBe(404);
  });

  it('shows admins every mail received, including the ignored ones with the reason', async () => {
    await mailIn('alice@example.test', 'Subject: Out of office\r\nAuto-Submitted: auto-replied\r\n', 'Away.');
    const res = await get(admin, '/api/v1/inbound-emails?limit=10');
    expect(res.statusCode).toBe(200);
    const [latest] = json(res).items;
    expect(latest).toMatchObject({ subject: 'Out of office', outcome: 'ignored', ticketId: null });
    expect(latest.notes[0]).toMatch(/^auto_submitted: Auto-Submitted: auto-replied/);
    expect((await get(agent, '/api/v1/inbound-emails')).statusCode).toBe(403);

    // The ignored mail belongs to no ticket, yet the admin can read what exactly arrived.
    const original = await get(admin, `/api/v1/inbound-emails/${latest.id}/raw`);
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('message/rfc822');
    expect(original.headers['content-disposition']).toContain(`${latest.id}.eml`);
    expect(original.rawPayload.toString()).toContain('Auto-Submitted: auto-replied');
    expect((await get(agent, `/api/v1/inbound-emails/${latest.id}/raw`)).statusCode).toBe(403);
    expect((await get(admin, '/api/v1/inbound-emails/00000000-0000-4000-8000-000000000000/raw')).statusCode).toBe(404);
  });

  it('names the ticket a mail made or joined by its number, in the admin list and on the ticket', async () => {
    await mailIn('alice@example.test', 'Subject: Scanner offline\r\n', 'The scanner on floor 2 is offline.');
    const [latest] = json(await get(admin, '/api/v1/inbound-emails?limit=1')).items;
    expect(latest).toMatchObject({
      subject: 'Scanner offline',
      outcome: 'ticket_created',
      ticketNumber: expect.stringMatching(/^INC\d{7}$/),
    });
    const onTicket = json(await get(agent, `/api/v1/tickets/${latest.ticketId}/emails`)).items;
    expect(onTicket).toEqual([expect.objectContaining({ id: latest.id, ticketNumber: latest.ticketNumber })]);
  });
});
