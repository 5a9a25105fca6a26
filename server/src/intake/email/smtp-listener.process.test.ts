import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/database.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { message, swaks } from '../../../test/swaks.js';
import { FakeClock } from '../../adapters/clock.js';
import { smtpMailer } from '../../adapters/mailer.js';
import type { Database } from '../../db/client.js';
import { attachments, inboundEmails, notifications, tickets, timelineEvents, users } from '../../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';
import { readAttachmentBytes } from '../../services/attachment-storage.service.js';
import { createUser } from '../../services/directory.service.js';
import type { EmailIntakeSettings } from '../../services/email-intake.service.js';
import { addComment } from '../../services/ticket-conversation.service.js';
import { transitionTicket } from '../../services/ticket-work.service.js';
import { type SmtpListener, type SmtpListenerOptions, startSmtpListener } from './smtp-listener.js';

/**
 * Real mail, end to end: swaks (Debian's SMTP test tool) talks SMTP to the listener on a free
 * loopback port; what it says is checked in the database the listener committed to.
 */

const MAX_BYTES = 64 * 1024;
const MAX_RECIPIENTS = 5;
const settings: EmailIntakeSettings = {
  messageIdDomain: 'firebreak.test',
  ownAddresses: ['support@firebreak.test', 'desk@firebreak.test'],
  attachments: { maxBytes: 16 * 1024, maxCount: 3 },
  trustedAuthservIds: ['mx.firebreak.test'],
};
const logged: { level: string; msg: string }[] = [];
const log = {
  info: (_o: object, msg: string) => logged.push({ level: 'info', msg }),
  warn: (_o: object, msg: string) => logged.push({ level: 'warn', msg }),
  error: (_o: object, msg: string) => logged.push({ level: 'error', msg }),
};
const listenerOptions: SmtpListenerOptions = {
  host: '127.0.0.1',
  port: 0,
  allowedRecipients: ['support@firebreak.test', 'help.firebreak.test', 'h.tt'],
  maxBytes: MAX_BYTES,
  maxRecipients: MAX_RECIPIENTS,
  auth: null,
  tls: null,
  hostname: 'firebreak.test',
  log,
  onIntake: (outcome) => intakeCounts[outcome]++,
};
/** What the listener reported for the metrics. */
const intakeCounts = { received: 0, refused: 0 };

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let listener: SmtpListener;
let agent: { id: string; role: 'agent' };

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-05-04T09:00:00Z');
  deps = { db: database.db, clock };
  listener = await startSmtpListener(deps, settings, listenerOptions);
  const a = await createUser(deps, { email: 'agent@firebreak.test', name: 'Desk Agent', role: 'agent', timeZone: 'UTC' });
  agent = { id: a.id, role: 'agent' };
});
afterAll(async () => {
  await listener.stop();
  await database.close();
});

const send = (options: Parameters<typeof swaks>[1]) => swaks(listener.port, options);
const ticketCount = async () => (await database.db.select({ n: count() }).from(tickets))[0].n;
const emailRows = () => database.db.select().from(inboundEmails).orderBy(asc(inboundEmails.seq));
const lastEmail = async () => {
  const rows = await emailRows();
  return rows[rows.length - 1];
};
const ticketByNumber = async (number: string) => (await database.db.select().from(tickets).where(eq(tickets.number, number)))[0];
const timelineOf = (ticketId: string) =>
  database.db.select().from(timelineEvents).where(eq(timelineEvents.ticketId, ticketId)).orderBy(asc(timelineEvents.id));
const numberIn = (transcript: string) => /250 Accepted \w+ \w+ ((?:INC|REQ)\d{7})/.exec(transcript)?.[1];

let counter = 0;
const mid = () => `<m${++counter}.${Date.now()}@client.example.test>`;

/** A hand-driven SMTP conversation: write commands, wait for the answer line that starts with a code. */
function smtpSession(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const lines: string[] = [];
  let buffered = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  socket.on('data', (chunk) => {
    buffered += chunk.toString();
    let nl = buffered.indexOf('\r\n');
    while (nl !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 2);
      const i = waiters.findIndex((w) => line.startsWith(w.prefix));
      if (i !== -1) waiters.splice(i, 1)[0].resolve(line);
      else lines.push(line);
      nl = buffered.indexOf('\r\n');
    }
  });
  const expectLine = (prefix: string) =>
    new Promise<string>((resolve) => {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) {
        lines.splice(lines.indexOf(seen), 1);
        resolve(seen);
      } else waiters.push({ prefix, resolve });
    });
  return { socket, expectLine };
}

describe('a new mail', () => {
  it('opens a ticket on channel email for a requester created from the address, with the quoted history trimmed', async () => {
    const result = await send({
      from: 'pat.doe@example.test',
      data: message(
        {
          From: '"Pat Doe" <Pat.Doe@Example.test>',
          To: 'support@firebreak.test',
          Subject: 'VPN drops every five minutes',
          'Message-ID': mid(),
          Date: 'Mon, 4 May 2026 10:00:00 +0200',
        },
        'Hello,\n\nsince this morning the VPN drops every five minutes.\n\n-- \nPat Doe\nLogistics',
      ),
    });
    expect(result.code, result.transcript).toBe(0);
    const number = numberIn(result.transcript);
    expect(number).toMatch(/^INC\d{7}$/);
    const ticket = await ticketByNumber(number as string);
    expect(ticket).toMatchObject({ channel: 'email', title: 'VPN drops every five minutes', state: 'new', kind: 'incident' });
    expect(ticket.description).toBe('Hello,\n\nsince this morning the VPN drops every five minutes.');
    const [requester] = await database.db.select().from(users).where(eq(users.id, ticket.requesterId));
    expect(requester).toMatchObject({
      email: 'pat.doe@example.test',
      name: 'Pat Doe',
      role: 'requester',
      active: true,
      passwordHash: null,
    });
    const email = await lastEmail();
    expect(email).toMatchObject({
      outcome: 'ticket_created',
      ticketId: ticket.id,
      senderId: requester.id,
      fromAddress: 'pat.doe@example.test',
    });
    expect(email.raw.toString('utf8')).toContain('since this morning the VPN drops every five minutes');
    expect(email.rawSize).toBe(email.raw.length);
    expect(intakeCounts.received).toBeGreaterThanOrEqual(1);
  });

  it('has committed the mail and its ticket before it answers 250 to DATA', async () => {
    // A hand-driven SMTP conversation: the moment the 250 arrives, and before QUIT, another
    // connection already sees the ticket and the stored mail.
    const subject = `Committed before 250 ${Date.now()}`;
    const { socket, expectLine } = smtpSession(listener.port);
    await expectLine('220 ');
    socket.write('EHLO client.example.test\r\n');
    await expectLine('250 ');
    socket.write('MAIL FROM:<robin@example.test>\r\n');
    await expectLine('250 ');
    socket.write('RCPT TO:<support@firebreak.test>\r\n');
    await expectLine('250 ');
    socket.write('DATA\r\n');
    await expectLine('354 ');
    socket.write(message({ From: 'robin@example.test', Subject: subject, 'Message-ID': mid() }, 'Printer on floor 3 is offline'));
    socket.write('.\r\n');
    const answer = await expectLine('250 ');
    const found = await database.db.select().from(tickets).where(eq(tickets.title, subject));
    expect(answer).toContain(found[0]?.number);
    expect(found).toHaveLength(1);
    expect((await database.db.select().from(inboundEmails).where(eq(inboundEmails.ticketId, found[0].id))).length).toBe(1);
    socket.write('QUIT\r\n');
    await expectLine('221 ');
    socket.destroy();
  });

  it('turns an HTML-only mail into plain text, and never keeps the HTML', async () => {
    const html =
      '<html><head><style>p{color:red}</style><script>alert("x")</script></head><body><p>The <b>badge reader</b> at gate 2 rejects everyone.</p><img src="https://tracker.example/p.gif" onerror="alert(1)"><a href="https://status.example.test">status page</a></body></html>';
    const result = await send({
      data: message(
        {
          From: 'sam@example.test',
          Subject: 'Badge reader',
          'Message-ID': mid(),
          'MIME-Version': '1.0',
          'Content-Type': 'text/html; charset=utf-8',
        },
        html,
      ),
    });
    expect(result.code, result.transcript).toBe(0);
    const ticket = await ticketByNumber(numberIn(result.transcript) as string);
    expect(ticket.description).toContain('The badge reader at gate 2 rejects everyone.');
    expect(ticket.description).toContain('status page [https://status.example.test]');
    expect(ticket.description).not.toMatch(/<|alert|color:red|tracker/);
  });

  it('keeps attachments within the limits, refuses executables, pages, disguised and oversize files, and says so on the ticket', async () => {
    const boundary = 'b-1234';
    const part = (name: string, type: string, content: Buffer) =>
      `--${boundary}\r\nContent-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64').replace(/(.{76})/g, '$1\r\n')}\r\n`;
    const body =
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nScreenshot and log attached.\r\n` +
      part('screen.png', 'image/png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')) +
      part('../../etc/vpn.log', 'text/plain', Buffer.from('line 1\nline 2\n')) +
      part('fix.exe', 'application/octet-stream', Buffer.from('MZ not really')) +
      part('huge.zip', 'application/zip', Buffer.alloc(20 * 1024, 7)) +
      part('evil.html.', 'text/plain', Buffer.from('<html><script>alert(1)</script></html>')) +
      part('invoice.pdf', 'application/pdf', Buffer.concat([Buffer.from('4d5a9000', 'hex'), Buffer.alloc(60)])) +
      `--${boundary}--\r\n`;
    const result = await send({
      data: message(
        {
          From: 'kim@example.test',
          Subject: 'VPN log',
          'Message-ID': mid(),
          'MIME-Version': '1.0',
          'Content-Type': `multipart/mixed; boundary="${boundary}"`,
        },
        body,
      ),
    });
    expect(result.code, result.transcript).toBe(0);
    const ticket = await ticketByNumber(numberIn(result.transcript) as string);
    const files = await database.db
      .select()
      .from(attachments)
      .where(eq(attachments.ticketId, ticket.id))
      .orderBy(asc(attachments.filename));
    expect(files.map((f) => [f.filename, f.contentType, f.size])).toEqual([
      ['screen.png', 'image/png', 16],
      ['vpn.log', 'text/plain; charset=utf-8', 14],
    ]);
    expect((await readAttachmentBytes(database.db, files[1])).toString()).toBe('line 1\nline 2\n');
    expect(ticket.description).toContain('Attachments: screen.png, vpn.log');
    expect(ticket.description).toContain('attachment not kept: fix.exe is a program; programs are not accepted');
    expect(ticket.description).toContain('attachment not kept: huge.zip is larger than 16384 bytes');
    expect(ticket.description).toContain('attachment not kept: evil.html is a web page; pages are not accepted');
    expect(ticket.description).toMatch(/attachment not kept: invoice\.pdf is named a PDF document but its content is/);
  });
});

describe('a reply', () => {
  let sink: SmtpSink;
  let mailer: ReturnType<typeof smtpMailer>;
  let ticketId: string;
  let ticketNumber: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = smtpMailer(`smtp://127.0.0.1:${sink.port}`, 'Firebreak <desk@firebreak.test>', 'support@firebreak.test');
    const result = await send({
      from: 'alex@example.test',
      data: message({ From: 'Alex <alex@example.test>', Subject: 'Cannot print', 'Message-ID': mid() }, 'Nothing prints.'),
    });
    ticketNumber = numberIn(result.transcript) as string;
    ticketId = (await ticketByNumber(ticketNumber)).id;
  });
  afterAll(async () => {
    mailer.close();
    await sink.stop();
  });

  async function deliverDeskAnswer(body: string) {
    sink.messages.length = 0;
    await addComment(deps, agent, ticketId, { body, visibility: 'public' });
    clock.advance(2 * 60_000);
    const registry = buildJobRegistry({
      mail: { ...NO_DELIVERY.mail, mailer, messageIdDomain: 'firebreak.test', publicUrl: 'https://help.test' },
    });
    await runDueJobs(deps, registry, WORKER_OPTIONS);
    expect(sink.messages).toHaveLength(1);
    return sink.messages[0];
  }

  it("to the desk's answer (by In-Reply-To alone) becomes the requester's public comment, quoted history trimmed", async () => {
    const answer = await deliverDeskAnswer('Which printer is it?');
    // What the requester's mail client sees: the tag, Reply-To our support address, a Message-ID to answer.
    expect(answer.subject).toContain(`[${ticketNumber}]`);
    expect(answer.replyTo?.text).toBe('support@firebreak.test');
    expect(answer.messageId).toMatch(/@firebreak\.test>$/);
    expect(answer.references).toContain(`<ticket-${ticketId}@firebreak.test>`);

    const before = await ticketCount();
    const result = await send({
      from: 'alex@example.test',
      data: message(
        { From: 'Alex <alex@example.test>', Subject: 'Re: your question', 'Message-ID': mid(), 'In-Reply-To': answer.messageId as string },
        `The one on floor 2, next to the kitchen.\n\nOn Mon, 4 May 2026 at 11:02, Firebreak <desk@firebreak.test> wrote:\n> Which printer is it?\n> ${ticketNumber}`,
      ),
    });
    expect(result.code, result.transcript).toBe(0);
    expect(result.transcript).toContain(`comment added ${ticketNumber}`);
    expect(await ticketCount()).toBe(before);
    const events = await timelineOf(ticketId);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ type: 'comment', internal: false, body: 'The one on floor 2, next to the kitchen.' });
    const [alex] = await database.db.select().from(users).where(eq(users.email, 'alex@example.test'));
    expect(last.actorId).toBe(alex.id);
    expect((await lastEmail()).timelineEventId).toBe(last.id);
  });

  it('threads by the references of our mail when the client drops In-Reply-To, and by the subject tag alone', async () => {
    const answer = await deliverDeskAnswer('Did a restart help?');
    const byReferences = await send({
      from: 'alex@example.test',
      data: message(
        { From: 'alex@example.test', Subject: 'Re: printer', 'Message-ID': mid(), References: [answer.references ?? []].flat().join(' ') },
        'No, it did not.',
      ),
    });
    expect(byReferences.transcript).toContain(`comment added ${ticketNumber}`);

    const byTag = await send({
      from: 'alex@example.test',
      data: message({ From: 'alex@example.test', Subject: `RE: AW: [${ticketNumber}] Cannot print`, 'Message-ID': mid() }, 'Still broken.'),
    });
    expect(byTag.code, byTag.transcript).toBe(0);
    expect(byTag.transcript).toContain(`comment added ${ticketNumber}`);
    const bodies = (await timelineOf(ticketId)).filter((e) => e.type === 'comment').map((e) => e.body);
    expect(bodies.slice(-2)).toEqual(['No, it did not.', 'Still broken.']);
  });

  it('from someone who may not see the ticket opens a new ticket and leaves the other one untouched', async () => {
    const before = (await timelineOf(ticketId)).length;
    const result = await send({
      from: 'mallory@example.test',
      data: message({ From: 'mallory@example.test', Subject: `Re: [${ticketNumber}] Cannot print`, 'Message-ID': mid() }, 'Let me in.'),
    });
    expect(result.code, result.transcript).toBe(0);
    const number = numberIn(result.transcript);
    expect(number).toBeDefined();
    expect(number).not.toBe(ticketNumber);
    const created = await ticketByNumber(number as string);
    expect(created.title).toBe('Cannot print');
    expect(created.description).not.toContain(ticketNumber);
    expect((await timelineOf(ticketId)).length).toBe(before);
  });

  it('to a cancelled ticket opens a new ticket that names the old one', async () => {
    const first = await send({
      from: 'alex@example.test',
      data: message({ From: 'alex@example.test', Subject: 'Monitor dead', 'Message-ID': mid() }, 'Black screen.'),
    });
    const old = await ticketByNumber(numberIn(first.transcript) as string);
    await transitionTicket(deps, agent, old.id, { to: 'cancelled', reason: 'Reported twice' });
    const result = await send({
      from: 'alex@example.test',
      data: message({ From: 'alex@example.test', Subject: `Re: [${old.number}] Monitor dead`, 'Message-ID': mid() }, 'It is still dead.'),
    });
    expect(result.code, result.transcript).toBe(0);
    const number = numberIn(result.transcript) as string;
    expect(number).not.toBe(old.number);
    expect((await ticketByNumber(number)).description).toBe(`Follow-up to ${old.number}, which is closed to replies.\n\nIt is still dead.`);
  });

  it("from the requester to a resolved ticket reopens it, the reply and the reopen on the timeline; an agent's reply does not", async () => {
    const first = await send({
      from: 'alex@example.test',
      data: message({ From: 'alex@example.test', Subject: 'Docking station', 'Message-ID': mid() }, 'No picture on the dock.'),
    });
    const ticket = await ticketByNumber(numberIn(first.transcript) as string);
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    const resolve = () =>
      transitionTicket(deps, agent, ticket.id, {
        to: 'resolved',
        resolutionCode: 'solved_permanently',
        resolutionNotes: 'Firmware updated.',
      });
    await resolve();

    // An agent answering from their mail client (checked by our mail server) is only a comment: the ticket stays resolved.
    const fromAgent = await send({
      from: 'agent@firebreak.test',
      data: message(
        {
          'Authentication-Results': 'mx.firebreak.test; dmarc=pass header.from=firebreak.test',
          From: 'agent@firebreak.test',
          Subject: `Re: [${ticket.number}] Docking station`,
          'Message-ID': mid(),
        },
        'Noted.',
      ),
    });
    expect(fromAgent.transcript).toMatch(new RegExp(`250 Accepted comment added ${ticket.number} \\(`));
    expect((await ticketByNumber(ticket.number)).state).toBe('resolved');

    const before = await ticketCount();
    const result = await send({
      from: 'alex@example.test',
      data: message(
        { From: 'alex@example.test', Subject: `Re: [${ticket.number}] Docking station`, 'Message-ID': mid() },
        'It is black again this morning.\n\nOn Tue, Firebreak wrote:\n> Resolved: Firmware updated.',
      ),
    });
    expect(result.code, result.transcript).toBe(0);
    expect(result.transcript).toContain(`250 Accepted comment added ${ticket.number} reopened`);
    expect(await ticketCount()).toBe(before);
    const reopened = await ticketByNumber(ticket.number);
    expect(reopened).toMatchObject({ state: 'in_progress', resolutionCode: null, resolvedAt: null, assigneeId: agent.id });
    const [alex] = await database.db.select().from(users).where(eq(users.email, 'alex@example.test'));
    const [comment, reopen] = (await timelineOf(ticket.id)).slice(-2);
    expect(comment).toMatchObject({ type: 'comment', internal: false, actorId: alex.id, body: 'It is black again this morning.' });
    expect(reopen).toMatchObject({ type: 'state_changed', actorId: alex.id, data: { action: 'reopen' } });
    expect(reopen.changes).toContainEqual({ field: 'state', from: 'resolved', to: 'in_progress' });
    expect(reopen.body).toMatch(/reply by e-mail/);
    const email = await lastEmail();
    expect(email).toMatchObject({ outcome: 'comment_added', ticketId: ticket.id, timelineEventId: comment.id });
    expect(email.notes[0]).toBe(`the reply reopened ${ticket.number}, which was resolved`);
  });

  it('to a closed ticket does not reopen it: a new ticket names the old one, which stays closed and untouched', async () => {
    const first = await send({
      from: 'alex@example.test',
      data: message({ From: 'alex@example.test', Subject: 'Keyboard', 'Message-ID': mid() }, 'Keys stick.'),
    });
    const old = await ticketByNumber(numberIn(first.transcript) as string);
    await transitionTicket(deps, agent, old.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Replaced.' });
    const alex = (await database.db.select().from(users).where(eq(users.email, 'alex@example.test')))[0];
    await transitionTicket(deps, { id: alex.id, role: 'requester' }, old.id, { to: 'closed' });
    const events = (await timelineOf(old.id)).length;

    const result = await send({
      from: 'alex@example.test',
      data: message({ From: 'alex@example.test', Subject: `Re: [${old.number}] Keyboard`, 'Message-ID': mid() }, 'The new one sticks too.'),
    });
    expect(result.code, result.transcript).toBe(0);
    const number = numberIn(result.transcript) as string;
    expect(number).not.toBe(old.number);
    expect(result.transcript).not.toContain('reopened');
    const created = await ticketByNumber(number);
    expect(created).toMatchObject({ channel: 'email', requesterId: alex.id, state: 'new', title: 'Keyboard' });
    expect(created.description).toBe(`Follow-up to ${old.number}, which is closed to replies.\n\nThe new one sticks too.`);
    expect((await ticketByNumber(old.number)).state).toBe('closed');
    expect((await timelineOf(old.id)).length).toBe(events);
  });

  it('a second delivery of the same message (a lost 250) is recorded once more but adds nothing', async () => {
    const id = mid();
    const data = message({ From: 'alex@example.test', Subject: `Re: [${ticketNumber}] Cannot print`, 'Message-ID': id }, 'Sent twice.');
    await send({ from: 'alex@example.test', data });
    const events = (await timelineOf(ticketId)).length;
    const again = await send({ from: 'alex@example.test', data });
    expect(again.code, again.transcript).toBe(0);
    expect(again.transcript).toContain('Accepted duplicate');
    expect((await timelineOf(ticketId)).length).toBe(events);
    expect((await lastEmail()).outcome).toBe('duplicate');
  });

  it('a dated mail without a Message-ID sent twice makes one ticket; another one, or an undated one, makes its own', async () => {
    const data = message({ From: 'sam@example.test', Subject: 'Scanner jams', Date: 'Mon, 23 Nov 2026 09:00:00 +0000' }, 'Every page.');
    expect(data).not.toMatch(/message-id/i);
    const first = await send({ from: 'sam@example.test', data });
    expect(first.transcript).toMatch(/Accepted ticket created INC\d{7}/);
    const again = await send({ from: 'sam@example.test', data });
    expect(again.code, again.transcript).toBe(0);
    expect(again.transcript).toContain('Accepted duplicate');
    expect((await lastEmail()).outcome).toBe('duplicate');
    const other = await send({
      from: 'sam@example.test',
      data: message({ From: 'sam@example.test', Subject: 'Scanner jams', Date: 'Mon, 23 Nov 2026 09:05:00 +0000' }, 'Every page, still.'),
    });
    expect(other.transcript).toMatch(/Accepted ticket created INC\d{7}/);
    expect((await lastEmail()).outcome).toBe('ticket_created');
    // Undated and without a Message-ID (a device sending the same text for every new fault): each one is new.
    const undated = message({ From: 'kiosk@example.test', Subject: 'Call IT: printer 3' }, 'Paper jam.');
    for (let i = 0; i < 2; i++) {
      const sent = await send({ from: 'kiosk@example.test', data: undated });
      expect(sent.transcript).toMatch(/Accepted ticket created INC\d{7}/);
    }
  });
});

describe('mail from a staff address (issue 11, finding 17)', () => {
  let ticket: { id: string; number: string };

  beforeAll(async () => {
    const first = await send({
      from: 'robin@example.test',
      data: message({ From: 'robin@example.test', Subject: 'Laptop fan loud', 'Message-ID': mid() }, 'It sounds like a jet.'),
    });
    ticket = await ticketByNumber(numberIn(first.transcript) as string);
  });

  const staffReply = (headers: Record<string, string> = {}) =>
    message(
      { ...headers, From: 'Desk Agent <agent@firebreak.test>', Subject: `Re: [${ticket.number}] Laptop fan loud`, 'Message-ID': mid() },
      'Your password expired, sign in at https://evil.example to renew it.',
    );

  it.each([
    ['with no Authentication-Results', {}],
    [
      'with Authentication-Results from a server we do not trust',
      { 'Authentication-Results': 'evil.example; dmarc=pass header.from=firebreak.test' },
    ],
    ['that our server found failing DMARC', { 'Authentication-Results': 'mx.firebreak.test; dmarc=fail header.from=firebreak.test' }],
    ['with a DKIM pass for another domain', { 'Authentication-Results': 'mx.firebreak.test; dkim=pass header.d=evil.example' }],
  ])(
    'forged (%s) never acts as staff: no comment on the requester’s ticket, no first response; a ticket of its own, and the record says why',
    async (_what, headers) => {
      const before = await timelineOf(ticket.id);
      const result = await send({ from: 'agent@firebreak.test', data: staffReply(headers) });
      expect(result.code, result.transcript).toBe(0);
      expect(result.transcript).toContain('250 Accepted ticket created');
      expect(await timelineOf(ticket.id)).toHaveLength(before.length);
      expect((await ticketByNumber(ticket.number)).firstResponseAt).toBeNull();
      const email = await lastEmail();
      expect(email.outcome).toBe('ticket_created');
      expect(email.ticketId).not.toBe(ticket.id);
      expect(email.notes.join('\n')).toMatch(/taken with a requester's rights, not as staff/);
    },
  );

  it('checked by our trusted server (the top-most Authentication-Results) acts as staff, as before', async () => {
    const result = await send({
      from: 'agent@firebreak.test',
      data: staffReply({ 'Authentication-Results': 'mx.firebreak.test; dkim=pass header.d=firebreak.test; dmarc=pass' }),
    });
    expect(result.transcript).toMatch(new RegExp(`250 Accepted comment added ${ticket.number} \\(`));
    const last = (await timelineOf(ticket.id)).at(-1);
    expect(last).toMatchObject({ type: 'comment', actorId: agent.id, internal: false });
    expect((await ticketByNumber(ticket.number)).firstResponseAt).not.toBeNull();
    expect((await lastEmail()).notes).toEqual([]);
  });

  it('through a listener that requires AUTH acts as staff without Authentication-Results', async () => {
    const guarded = await startSmtpListener(
      deps,
      { ...settings, trustedAuthservIds: [] },
      {
        ...listenerOptions,
        auth: { username: 'relay', password: 'correct horse battery' },
      },
    );
    try {
      const before = (await timelineOf(ticket.id)).length;
      const result = await swaks(guarded.port, {
        from: 'agent@firebreak.test',
        data: staffReply(),
        args: ['--auth', 'PLAIN', '--auth-user', 'relay', '--auth-password', 'correct horse battery'],
      });
      expect(result.transcript).toMatch(new RegExp(`250 Accepted comment added ${ticket.number} \\(`));
      const events = await timelineOf(ticket.id);
      expect(events).toHaveLength(before + 1);
      expect(events.at(-1)).toMatchObject({ type: 'comment', actorId: agent.id });
    } finally {
      await guarded.stop();
    }
  });
});

describe('machine mail never makes tickets or answers', () => {
  const loops: [string, { from?: string; headers: Record<string, string> }][] = [
    ['an out-of-office reply', { headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' } }],
    ['a bounce from the null sender', { from: '<>', headers: {} }],
    [
      'a bounce from MAILER-DAEMON',
      { from: 'MAILER-DAEMON@mx.example.test', headers: { From: 'Mail Delivery System <MAILER-DAEMON@mx.example.test>' } },
    ],
    ['bulk mail', { headers: { Precedence: 'bulk' } }],
    ['a mailing list', { headers: { 'List-Id': '<it-news.example.test>', 'List-Unsubscribe': '<mailto:leave@example.test>' } }],
    ['a delivery status report', { headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' } }],
    [
      'our own mail coming back',
      { from: 'desk@firebreak.test', headers: { From: 'Firebreak <desk@firebreak.test>', 'Auto-Submitted': 'no' } },
    ],
  ];
  for (const [what, loop] of loops) {
    it(`ignores ${what}: stored with the reason, no ticket, no comment, nothing to send`, async () => {
      const existing = await send({
        data: message({ From: 'pat@example.test', Subject: 'Screen flickers', 'Message-ID': mid() }, 'Flicker.'),
      });
      const number = numberIn(existing.transcript) as string;
      const ticket = await ticketByNumber(number);
      const [tickets0, events0, notes0] = [
        await ticketCount(),
        (await timelineOf(ticket.id)).length,
        (await database.db.select({ n: count() }).from(notifications))[0].n,
      ];
      const result = await send({
        from: loop.from ?? 'pat@example.test',
        data: message(
          { From: 'pat@example.test', Subject: `Automatic reply: [${number}] Screen flickers`, 'Message-ID': mid(), ...loop.headers },
          '--x\r\nContent-Type: text/plain\r\n\r\nI am out of the office until Monday.\r\n--x--',
        ),
      });
      expect(result.code, result.transcript).toBe(0);
      expect(result.transcript).toContain('250 Accepted ignored');
      expect(await ticketCount()).toBe(tickets0);
      expect((await timelineOf(ticket.id)).length).toBe(events0);
      expect((await database.db.select({ n: count() }).from(notifications))[0].n).toBe(notes0);
      const email = await lastEmail();
      expect(email.outcome).toBe('ignored');
      expect(email.ticketId).toBeNull();
      expect(email.notes[0]).toMatch(
        /^(null_sender|mailer_daemon|auto_submitted|precedence|autoreply_header|mailing_list|delivery_report|own_address):/,
      );
      expect(email.raw.toString()).toContain('I am out of the office');
    });
  }
});

describe('bad input', () => {
  it('refuses a message over the size limit with 552 during DATA, and keeps nothing', async () => {
    const before = (await emailRows()).length;
    const refusedBefore = intakeCounts.refused;
    const result = await send({
      data: message(
        { From: 'big@example.test', Subject: 'Huge', 'Message-ID': mid() },
        'x'
          .repeat(76)
          .concat('\n')
          .repeat(Math.ceil((MAX_BYTES * 2) / 77)),
      ),
    });
    expect(result.code).not.toBe(0);
    expect(result.transcript).toMatch(/<\*\* +552 5\.3\.4 Message too big/);
    // Recorded for the admin with its headers only.
    const rows = await emailRows();
    expect(rows.length).toBe(before + 1);
    const refused = rows[rows.length - 1];
    expect(refused).toMatchObject({ outcome: 'refused', subject: 'Huge', fromAddress: 'big@example.test', ticketId: null });
    expect(refused.rawSize).toBeGreaterThan(MAX_BYTES);
    expect(refused.raw.length).toBeLessThan(1024);
    expect(refused.notes[0]).toMatch(/^refused as too large: \d+ bytes, at most 65536$/);
    expect(logged.some((l) => l.msg.includes('too large'))).toBe(true);
    expect(intakeCounts.refused).toBe(refusedBefore + 1);
  });

  it('refuses a message whose declared SIZE is over the limit with 552 at MAIL FROM', async () => {
    const { socket, expectLine } = smtpSession(listener.port);
    await expectLine('220 ');
    socket.write('EHLO client.example.test\r\n');
    expect(await expectLine('250 SIZE')).toBe(`250 SIZE ${MAX_BYTES}`);
    socket.write(`MAIL FROM:<big@example.test> SIZE=${MAX_BYTES + 1}\r\n`);
    expect(await expectLine('552 ')).toBe(`552 Error: message exceeds fixed maximum message size ${MAX_BYTES}`);
    socket.destroy();
  });

  it('refuses recipients past the limit with 452, and unknown recipients with 550; the mail makes one ticket', async () => {
    const to = Array.from({ length: 60 }, (_, i) => `user${i}@help.firebreak.test`);
    const before = await ticketCount();
    const result = await send({
      to: ['nobody@elsewhere.test', ...to],
      data: message({ From: 'pat@example.test', Subject: 'Many recipients', 'Message-ID': mid() }, 'Hi all'),
    });
    expect(result.transcript).toMatch(/<\*\* +550 5\.1\.1 <nobody@elsewhere\.test>: no such mailbox here/);
    expect((result.transcript.match(/<\*\* +452 4\.5\.3 Too many recipients/g) ?? []).length).toBe(60 - MAX_RECIPIENTS);
    expect(await ticketCount()).toBe(before + 1);
    const recorded = await lastEmail();
    expect(recorded.envelopeTo).toHaveLength(MAX_RECIPIENTS);
    expect(recorded.notes).toContain(`${60 - MAX_RECIPIENTS} more recipients were refused (at most ${MAX_RECIPIENTS} per message)`);

    const nobody = await send({ to: 'nobody@elsewhere.test', data: message({ From: 'pat@example.test', Subject: 'x' }, 'x') });
    expect(nobody.code).toBe(24); // swaks: every recipient refused
  });

  it('survives a mail to 10,000 recipients: all but the first few refused, one ticket', async () => {
    const before = await ticketCount();
    // Short addresses: swaks takes them as one argument, and an argument is at most 128 KiB.
    const to = Array.from({ length: 10_000 }, (_, i) => `${i}@h.tt`);
    const result = await send({ to, data: message({ From: 'spam@example.test', Subject: 'To everyone', 'Message-ID': mid() }, 'Hi') });
    expect(result.code, result.transcript.slice(-2000)).toBe(0);
    expect((result.transcript.match(/452 4\.5\.3/g) ?? []).length).toBe(10_000 - MAX_RECIPIENTS);
    expect(await ticketCount()).toBe(before + 1);
  }, 120_000);

  it('reads broken MIME and unknown charsets as well as it can: stored, a ticket with what could be read, no crash', async () => {
    const before = await ticketCount();
    const unknownCharset = await send({
      data: Buffer.concat([
        Buffer.from(
          message(
            {
              From: 'lee@example.test',
              Subject: '=?x-klingon-42?Q?Qapla=E9?= printer',
              'Message-ID': mid(),
              'MIME-Version': '1.0',
              'Content-Type': 'text/plain; charset=x-klingon-42',
              'Content-Transfer-Encoding': '8bit',
            },
            '',
          ).trimEnd(),
        ),
        Buffer.from('\r\n\r\nThe printer prints ', 'latin1'),
        Buffer.from([0xe9, 0xff, 0x00, 0xfe]),
        Buffer.from(' garbage.\r\n', 'latin1'),
      ]),
    });
    expect(unknownCharset.code, unknownCharset.transcript).toBe(0);
    const a = await ticketByNumber(numberIn(unknownCharset.transcript) as string);
    expect(a.description).toContain('The printer prints');
    expect(a.description).toContain('garbage.');

    const boundary = 'never-closed';
    const broken = await send({
      data: message(
        {
          From: 'lee@example.test',
          Subject: 'Broken MIME',
          'Message-ID': mid(),
          'MIME-Version': '1.0',
          'Content-Type': `multipart/mixed; boundary="${boundary}"`,
        },
        `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nVGhlIHNjYW5uZXIgaXMgYnJva2Vu!!!%%%\r\n--${boundary}\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64`,
      ),
    });
    expect(broken.code, broken.transcript).toBe(0);
    const b = await ticketByNumber(numberIn(broken.transcript) as string);
    expect(b.title).toBe('Broken MIME');
    expect(b.description).toContain('The scanner is broken');

    const noHeaders = await send({ data: 'just some text without any headers\r\n' });
    expect(noHeaders.code, noHeaders.transcript).toBe(0); // the envelope sender is the requester
    expect(await ticketCount()).toBe(before + 3);
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('answers 451 (try again later) when the database fails, and the listener keeps serving', async () => {
    const broken = { db: { transaction: () => Promise.reject(new Error('database is down')) } as unknown as Database['db'], clock };
    const down = await startSmtpListener(broken, settings, { ...listenerOptions, log: { ...log, error: () => {} } });
    try {
      const first = await swaks(down.port, { data: message({ From: 'pat@example.test', Subject: 'x', 'Message-ID': mid() }, 'x') });
      expect(first.code).toBe(26); // swaks: the mail was not accepted after DATA
      expect(first.transcript).toMatch(/<\*\* +451 4\.3\.0 Temporary failure/);
      const second = await swaks(down.port, { data: message({ From: 'pat@example.test', Subject: 'y', 'Message-ID': mid() }, 'y') });
      expect(second.transcript).toMatch(/451 4\.3\.0/);
    } finally {
      await down.stop();
    }
  });

  it('requires AUTH when configured and refuses wrong credentials', async () => {
    const guarded = await startSmtpListener(deps, settings, {
      ...listenerOptions,
      auth: { username: 'relay', password: 'correct horse battery' },
    });
    try {
      const data = message({ From: 'pat@example.test', Subject: 'Through the relay', 'Message-ID': mid() }, 'Relayed.');
      const anonymous = await swaks(guarded.port, { data });
      expect(anonymous.code).toBe(23); // MAIL FROM refused
      expect(anonymous.transcript).toMatch(/530 .*[Aa]uthentication [Rr]equired/);
      const wrong = await swaks(guarded.port, { data, args: ['--auth', 'PLAIN', '--auth-user', 'relay', '--auth-password', 'wrong'] });
      expect(wrong.transcript).toMatch(/535 5\.7\.8/);
      const right = await swaks(guarded.port, {
        data,
        args: ['--auth', 'PLAIN', '--auth-user', 'relay', '--auth-password', 'correct horse battery'],
      });
      expect(right.code, right.transcript).toBe(0);
      expect(right.transcript).toContain('ticket created');
    } finally {
      await guarded.stop();
    }
  });

  it('offers STARTTLS only with a certificate, and takes mail over TLS when it does', async () => {
    const data = message({ From: 'pat@example.test', Subject: 'Over TLS', 'Message-ID': mid() }, 'Encrypted.');
    const plain = await send({ data, args: ['--tls'] });
    expect(plain.code).toBe(29); // swaks: TLS required but not offered
    expect(plain.transcript).not.toMatch(/<- +250[- ]STARTTLS/);

    // A throwaway self-signed certificate made with Debian's openssl.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-tls-'));
    try {
      const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=firebreak.test', '-days', '1'],
        {
          stdio: 'ignore',
        },
      );
      const secured = await startSmtpListener(deps, settings, {
        ...listenerOptions,
        tls: { key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
      });
      try {
        const sent = await swaks(secured.port, { data, args: ['--tls'] });
        expect(sent.code, sent.transcript).toBe(0);
        expect(sent.transcript).toMatch(/<- +250[- ]STARTTLS/);
        expect(sent.transcript).toMatch(/TLS started/);
        expect(sent.transcript).toContain('ticket created');
      } finally {
        await secured.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
