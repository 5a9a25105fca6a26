import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTicketViaApi } from '../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { attachmentParts, attachments } from '../db/schema/index.js';
import { parseEmail } from '../intake/email/parse-email.js';
import { insertAttachmentPart } from '../repositories/attachment-parts.repository.js';
import {
  ATTACHMENT_PART_BYTES,
  ORPHAN_PART_AGE_MS,
  readAttachmentBytes,
  storeAttachmentContent,
  sweepOrphanAttachmentParts,
} from './attachment-storage.service.js';
import { receiveEmail } from './email-intake.service.js';
import { uploadAttachment } from './ticket-files.service.js';
import { transitionTicket } from './ticket-work.service.js';

/**
 * An attachment's bytes are written in parts, each a short statement of its own, so the embedded
 * engine serves other requests between them (upload.process.test.ts times that on the real
 * server); only a committed attachment row makes them a file, and nothing else is left behind.
 */
let t: TestApp;
let rita: TestUser;
let agent: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  rita = await t.user('requester', { email: 'rita@example.test' });
  agent = await t.user('agent');
});
afterAll(() => t.close());

const newTicket = async (title: string): Promise<string> => (await reportTicketViaApi(t, rita, { title })).id;

const partsOf = async (attachmentId: string) =>
  t.deps.db
    .select({ seq: attachmentParts.seq, size: sql<number>`length(${attachmentParts.content})` })
    .from(attachmentParts)
    .where(eq(attachmentParts.attachmentId, attachmentId))
    .orderBy(attachmentParts.seq);

const allParts = async () => (await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(attachmentParts))[0].n;

/** Text of `bytes` bytes whose every part differs, so parts read out of order would show. */
const logFile = (bytes: number) => {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `line ${i} of the log\n`;
  return Buffer.from(text.slice(0, bytes));
};

describe('attachment storage', () => {
  it('stores an upload in 256 KiB parts and gives back the same bytes, through the download too', async () => {
    const ticketId = await newTicket('Logs of the crash');
    const file = logFile(4 * ATTACHMENT_PART_BYTES + 1234);
    const saved = await uploadAttachment(
      t.deps,
      { id: rita.user.id, role: 'requester' },
      ticketId,
      { filename: 'crash.log', contentType: 'text/plain', content: file },
      { maxBytes: 10 * 1024 * 1024 },
    );
    expect((await partsOf(saved.id)).map((p) => [p.seq, Number(p.size)])).toEqual([
      [0, ATTACHMENT_PART_BYTES],
      [1, ATTACHMENT_PART_BYTES],
      [2, ATTACHMENT_PART_BYTES],
      [3, ATTACHMENT_PART_BYTES],
      [4, 1234],
    ]);
    expect((await readAttachmentBytes(t.deps.db, saved)).equals(file)).toBe(true);
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${saved.id}`, headers: agent.headers });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-length']).toBe(String(file.length));
    expect(download.rawPayload.equals(file)).toBe(true);
  });

  it('removes the parts of an upload that is refused when it is committed (a closed ticket), leaving no file', async () => {
    const ticketId = await newTicket('Printer jam');
    const desk = { id: agent.user.id, role: 'agent' as const };
    await transitionTicket(t.deps, desk, ticketId, { to: 'in_progress' });
    await transitionTicket(t.deps, desk, ticketId, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'Cleared' });
    await transitionTicket(t.deps, desk, ticketId, { to: 'closed' });
    const before = await allParts();
    await expect(
      uploadAttachment(
        t.deps,
        { id: rita.user.id, role: 'requester' },
        ticketId,
        { filename: 'jam.log', contentType: 'text/plain', content: logFile(2 * ATTACHMENT_PART_BYTES) },
        { maxBytes: 10 * 1024 * 1024 },
      ),
    ).rejects.toMatchObject({ code: expect.any(String) });
    expect(await allParts()).toBe(before);
    expect(await t.deps.db.select().from(attachments).where(eq(attachments.ticketId, ticketId))).toEqual([]);
  });

  it('keeps no parts of a mail that made nothing (an auto-reply), and attaches those of one that did', async () => {
    const mail = (headers: string) =>
      Buffer.from(
        `From: rita@example.test\r\nTo: support@firebreak.test\r\nMessage-ID: <${randomUUID()}@client.test>\r\nSubject: Out of office\r\n${headers}` +
          'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
          '--b\r\nContent-Type: text/plain\r\n\r\nAway.\r\n' +
          `--b\r\nContent-Type: text/plain; name="away.log"\r\nContent-Disposition: attachment; filename="away.log"\r\n\r\n${'x'.repeat(1000)}\r\n--b--\r\n`,
      );
    const settings = {
      messageIdDomain: 'firebreak.test',
      ownAddresses: ['support@firebreak.test'],
      attachments: { maxBytes: 1 << 20, maxCount: 5 },
    };
    const receive = async (raw: Buffer) =>
      receiveEmail(t.deps, settings, {
        raw,
        parsed: await parseEmail(raw),
        envelope: { mailFrom: 'rita@example.test', rcptTo: ['support@firebreak.test'] },
      });

    const before = await allParts();
    const ignored = await receive(mail('Auto-Submitted: auto-replied\r\n'));
    expect(ignored.outcome).toBe('ignored');
    expect(await allParts()).toBe(before);

    const taken = await receive(mail(''));
    expect(taken.outcome).toBe('ticket_created');
    const [file] = await t.deps.db
      .select()
      .from(attachments)
      .where(eq(attachments.ticketId, taken.ticketId as string));
    expect((await readAttachmentBytes(t.deps.db, file)).toString()).toBe('x'.repeat(1000));
    expect(await allParts()).toBe(before + 1);
  });

  it('sweeps parts no attachment row names once they are older than any live upload, and nothing else', async () => {
    const ticketId = await newTicket('Scanner logs');
    const kept = await uploadAttachment(
      t.deps,
      { id: rita.user.id, role: 'requester' },
      ticketId,
      { filename: 'scan.log', contentType: 'text/plain', content: logFile(1000) },
      { maxBytes: 1 << 20 },
    );
    // A crash between the parts and the row: parts with no attachment.
    const crashed = await storeAttachmentContent(t.deps, logFile(ATTACHMENT_PART_BYTES + 10));
    t.clock.advance(ORPHAN_PART_AGE_MS + 1000);
    // An upload still writing its parts now: too young to sweep.
    const inFlight = randomUUID();
    await insertAttachmentPart(t.deps.db, { attachmentId: inFlight, seq: 0, content: Buffer.from('in flight'), createdAt: t.clock.now() });

    expect(await sweepOrphanAttachmentParts(t.deps)).toBe(2);
    expect(await partsOf(crashed)).toEqual([]);
    expect(await partsOf(inFlight)).toHaveLength(1);
    expect((await readAttachmentBytes(t.deps.db, kept)).equals(logFile(1000))).toBe(true);
  });
});

describe('attachments stored before parts existed', () => {
  it('are cut into parts by migration 0035 and read back whole', async () => {
    const fresh = await createTestApp();
    try {
      const owner = await fresh.user('requester');
      const ticketId = json(
        await fresh.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: owner.headers, payload: { title: 'Old files' } }),
      ).id as string;
      // The table as it was: the bytes in the row.
      await fresh.deps.db.execute(sql`ALTER TABLE attachments ADD COLUMN content bytea`);
      const old = logFile(2 * ATTACHMENT_PART_BYTES + 77);
      const empty = Buffer.alloc(0);
      const ids = [randomUUID(), randomUUID()];
      for (const [id, content] of [
        [ids[0], old],
        [ids[1], empty],
      ] as const) {
        await fresh.deps.db.execute(
          sql`INSERT INTO attachments (id, ticket_id, filename, content_type, size, content, created_at)
              VALUES (${id}, ${ticketId}, 'old.log', 'text/plain', ${content.length}, ${content}, now())`,
        );
      }
      // The migration's own statements after the new table: move the bytes, drop the column.
      const migration = fs.readFileSync(new URL('../db/migrations/0035_attachment_parts.sql', import.meta.url), 'utf8');
      const statements = migration.split('--> statement-breakpoint').filter((s) => /INSERT INTO|DROP COLUMN/.test(s));
      expect(statements).toHaveLength(2);
      for (const statement of statements) await fresh.deps.db.execute(sql.raw(statement));

      const [moved] = await fresh.deps.db.select().from(attachments).where(eq(attachments.id, ids[0]));
      expect((await readAttachmentBytes(fresh.deps.db, moved)).equals(old)).toBe(true);
      const [none] = await fresh.deps.db.select().from(attachments).where(eq(attachments.id, ids[1]));
      expect((await readAttachmentBytes(fresh.deps.db, none)).length).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
