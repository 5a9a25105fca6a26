import fs from 'node:fs';
import { asc, count, eq, like } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/database.js';
import { DOVECOT_BINARY, type RunningDovecot, startDovecot } from '../../../test/dovecot.js';
import { message } from '../../../test/swaks.js';
import { FakeClock } from '../../adapters/clock.js';
import type { Database } from '../../db/client.js';
import { inboundEmails, notifications, tickets, timelineEvents } from '../../db/schema/index.js';
import type { EmailIntakeSettings } from '../../services/email-intake.service.js';
import type { PassReport } from './imap-mailbox-pass.js';
import { type ImapPoller, type ImapPollerOptions, startImapPoller } from './imap-poller.js';

/**
 * Real IMAP: Debian's dovecot on loopback with its own config and maildirs; mail goes in by
 * IMAP APPEND, the poller takes it out through the same intake service as the SMTP listener.
 * A process test: dovecot is a real process, and its outage and restart cost seconds a
 * developer's `npm run test:fast` should not pay.
 * Skipped only when dovecot is not installed AND this is not CI: under CI it must run.
 */
const dovecotOff = !fs.existsSync(DOVECOT_BINARY) && !process.env.CI;
const title = dovecotOff
  ? `IMAP polling (SKIPPED: ${DOVECOT_BINARY} is not installed; apt-get install dovecot-imapd)`
  : 'IMAP polling of a real mailbox (dovecot)';

const PASSWORD = 'imap-password-2026';
const MAX_BYTES = 64 * 1024;
const ACCOUNTS = ['desk', 'moved', 'crash', 'race', 'outage', 'large', 'flaky'].map((name) => ({
  user: `${name}@firebreak.test`,
  password: PASSWORD,
}));
const settings: EmailIntakeSettings = {
  messageIdDomain: 'firebreak.test',
  ownAddresses: ['support@firebreak.test', 'desk@firebreak.test'],
  attachments: { maxBytes: 16 * 1024, maxCount: 3 },
};

interface LogLine {
  level: string;
  msg: string;
  obj: Record<string, unknown>;
}

/** Every poller's log, shown when a wait times out. */
const allLogs: LogLine[] = [];

/**
 * What a probe below can see changes only when a poller in this process ends a pass (mail taken
 * in, flagged, moved) or logs a line: each of those bumps this count and wakes the waiters.
 */
let happenings = 0;
const wakers = new Set<() => void>();
function happened() {
  happenings += 1;
  for (const wake of wakers) wake();
  wakers.clear();
}

/**
 * Probes again at each happening until the probe answers, up to `timeoutMs`. `recheckMs` is for
 * what another process does, which nothing here hears of: then it also looks again that often.
 */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  recheckMs = Number.POSITIVE_INFINITY,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = happenings;
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const recent = allLogs.slice(-10).map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.obj)}`);
      throw new Error(`timed out waiting for ${what}; the pollers logged last:\n${recent.join('\n')}`);
    }
    if (happenings !== seen) continue; // something happened while the probe ran
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(deadline - Date.now() + 1, recheckMs));
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }
}

describe.skipIf(dovecotOff)(title, () => {
  let dovecot: RunningDovecot;
  let database: Database;
  let deps: { db: Database['db']; clock: FakeClock };
  const pollers: ImapPoller[] = [];
  const clients: ImapFlow[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot(ACCOUNTS);
    database = await createTestDatabase();
    deps = { db: database.db, clock: new FakeClock('2026-05-04T09:00:00Z') };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    await Promise.all(clients.map((c) => c.logout().catch(() => c.close())));
    await database?.close();
    await dovecot?.stop();
  }, 60_000);

  /** The mailbox as its owner's mail client sees it: puts mail in, reads flags and folders. */
  async function mailClient(user: string): Promise<ImapFlow> {
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: PASSWORD }, logger: false });
    client.on('error', () => undefined);
    await client.connect();
    await client.mailboxOpen('INBOX');
    clients.push(client);
    return client;
  }
  async function deliver(client: ImapFlow, raw: string | Buffer): Promise<number> {
    const appended = await client.append('INBOX', raw);
    if (!appended || appended.uid === undefined) throw new Error('APPEND did not name the new uid');
    return appended.uid;
  }
  async function flagsOf(client: ImapFlow, uid: number): Promise<Set<string> | undefined> {
    await client.noop();
    const found = await client.fetchOne(String(uid), { uid: true, flags: true }, { uid: true });
    return found ? found.flags : undefined;
  }

  function poll(user: string, overrides: Partial<ImapPollerOptions> = {}) {
    const logged: LogLine[] = [];
    const passes: PassReport[] = [];
    const push = (level: string) => (obj: object, msg: string) => {
      const line = { level, msg, obj: obj as Record<string, unknown> };
      logged.push(line);
      allLogs.push(line);
      happened();
    };
    const poller = startImapPoller(deps, settings, {
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      user,
      password: PASSWORD,
      mailbox: 'INBOX',
      // Long on purpose: new mail must come in through IDLE, not by waiting for the next poll.
      pollIntervalMs: 60_000,
      markSeen: true,
      moveTo: null,
      maxBytes: MAX_BYTES,
      backoff: { baseMs: 200, maxMs: 1_000 },
      log: { info: push('info'), warn: push('warn'), error: push('error') },
      onPass: (report) => {
        passes.push(report);
        happened();
      },
      ...overrides,
    });
    pollers.push(poller);
    return { poller, logged, passes };
  }

  const emailsWith = (messageId: string) =>
    database.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, messageId)).orderBy(asc(inboundEmails.seq));
  const ticketOf = async (id: string) => (await database.db.select().from(tickets).where(eq(tickets.id, id)))[0];
  let counter = 0;
  const mid = () => `m${++counter}.${Date.now()}@client.example.test`;

  it('takes a new mail in (IDLE, not the next poll): a ticket on channel email, then the mail is flagged \\Seen', async () => {
    const client = await mailClient('desk@firebreak.test');
    const { passes } = poll('desk@firebreak.test');
    await until('the first pass over the empty mailbox', () => passes.length > 0);
    const id = mid();
    const uid = await deliver(
      client,
      message(
        { From: '"Pat Doe" <pat@example.test>', To: 'desk@firebreak.test', Subject: 'VPN drops', 'Message-ID': `<${id}>` },
        'The VPN drops every five minutes.',
      ),
    );
    const email = await until('the mail to be taken in', async () => (await emailsWith(id))[0]);
    expect(email.outcome).toBe('ticket_created');
    const ticket = await ticketOf(email.ticketId as string);
    expect(ticket).toMatchObject({
      channel: 'email',
      title: 'VPN drops',
      description: 'The VPN drops every five minutes.',
      kind: 'incident',
    });
    await until('the mail to be flagged seen', async () => (await flagsOf(client, uid))?.has('\\Seen'));
  }, 60_000);

  it('threads a reply into its ticket as a public comment', async () => {
    const client = await mailClient('desk@firebreak.test');
    const first = mid();
    await deliver(client, message({ From: 'robin@example.test', Subject: 'Printer offline', 'Message-ID': `<${first}>` }, 'Floor 3.'));
    const opened = await until('the first mail', async () => (await emailsWith(first))[0]);
    const ticket = await ticketOf(opened.ticketId as string);
    const reply = mid();
    await deliver(
      client,
      message(
        {
          From: 'robin@example.test',
          Subject: `Re: [${ticket.number}] Printer offline`,
          'Message-ID': `<${reply}>`,
          'In-Reply-To': `<${first}>`,
        },
        'It is the one by the window.\n\n> Floor 3.',
      ),
    );
    const threaded = await until('the reply', async () => (await emailsWith(reply))[0]);
    expect(threaded).toMatchObject({ outcome: 'comment_added', ticketId: ticket.id });
    const [comment] = await database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.id, threaded.timelineEventId as number));
    expect(comment).toMatchObject({ type: 'comment', internal: false, body: 'It is the one by the window.' });
  }, 60_000);

  it('ignores an auto-reply: stored with the reason, nothing made, nothing to send, and flagged so it is not read again', async () => {
    const client = await mailClient('desk@firebreak.test');
    const notificationsBefore = (await database.db.select({ n: count() }).from(notifications))[0].n;
    const ticketsBefore = (await database.db.select({ n: count() }).from(tickets))[0].n;
    const id = mid();
    const uid = await deliver(
      client,
      message(
        {
          'Return-Path': '<>',
          From: 'pat@example.test',
          Subject: 'Automatic reply: VPN drops',
          'Message-ID': `<${id}>`,
          'Auto-Submitted': 'auto-replied',
        },
        'I am out of the office until Monday.',
      ),
    );
    const email = await until('the auto-reply', async () => (await emailsWith(id))[0]);
    expect(email.outcome).toBe('ignored');
    expect(email.envelopeFrom).toBe('');
    expect(email.notes[0]).toMatch(/^null_sender:/);
    expect((await database.db.select({ n: count() }).from(tickets))[0].n).toBe(ticketsBefore);
    expect((await database.db.select({ n: count() }).from(notifications))[0].n).toBe(notificationsBefore);
    await until('the auto-reply to be flagged seen', async () => (await flagsOf(client, uid))?.has('\\Seen'));
  }, 60_000);

  it('moves processed mail to the configured folder, creating it', async () => {
    const client = await mailClient('moved@firebreak.test');
    const id = mid();
    await deliver(client, message({ From: 'sam@example.test', Subject: 'Badge reader', 'Message-ID': `<${id}>` }, 'Gate 2.'));
    poll('moved@firebreak.test', { moveTo: 'Firebreak/Processed' });
    const email = await until('the mail', async () => (await emailsWith(id))[0]);
    expect(email.outcome).toBe('ticket_created');
    await until('the mail to arrive in the folder', async () => {
      const status = await client.status(['Firebreak', 'Processed'], { messages: true });
      return status && status.messages === 1;
    });
    expect(await client.status(['Firebreak', 'Processed'], { messages: true, unseen: true })).toMatchObject({ messages: 1, unseen: 0 });
    await client.noop(); // hear the EXPUNGE of the moved mail
    expect(client.mailbox).toMatchObject({ path: 'INBOX', exists: 0 });
  }, 60_000);

  it('reads a mail again after a crash between commit and flag, and makes no second ticket nor a second record', async () => {
    const client = await mailClient('crash@firebreak.test');
    const { poller } = poll('crash@firebreak.test');
    const id = mid();
    const uid = await deliver(client, message({ From: 'kim@example.test', Subject: 'Monitor dead', 'Message-ID': `<${id}>` }, 'Black.'));
    const first = await until('the mail', async () => (await emailsWith(id))[0]);
    await until('the mail to be flagged seen', async () => (await flagsOf(client, uid))?.has('\\Seen'));
    await poller.stop();

    // What a crash after the commit and before the flag leaves behind: committed, yet unseen.
    await client.messageFlagsRemove(String(uid), ['\\Seen'], { uid: true });
    const { logged } = poll('crash@firebreak.test');
    const reread = await until('the second reading', () => logged.find((l) => l.msg === 'e-mail received (IMAP)' && l.obj.uid === uid));
    expect(reread.obj).toMatchObject({ outcome: 'duplicate', ticketId: first.ticketId, emailId: first.id });
    // The same stored mail read twice is one delivery: one record, one ticket.
    expect((await emailsWith(id)).map((r) => r.outcome)).toEqual(['ticket_created']);
    expect((await database.db.select({ n: count() }).from(tickets).where(eq(tickets.title, 'Monitor dead')))[0].n).toBe(1);
    await until('the mail to be flagged seen again', async () => (await flagsOf(client, uid))?.has('\\Seen'));
  }, 60_000);

  it('two pollers on one mailbox (every process polls) take each mail in once: one ticket, one record, whoever reads it', async () => {
    const client = await mailClient('race@firebreak.test');
    const subjects = Array.from({ length: 12 }, (_, i) => `Race ${i}`);
    const ids = subjects.map(() => mid());
    // Both pollers connected and idle first: each new mail wakes both at once (IMAP IDLE).
    const one = poll('race@firebreak.test');
    const other = poll('race@firebreak.test');
    await until('both pollers to pass over the empty mailbox', () => one.passes.length > 0 && other.passes.length > 0);
    const uids: number[] = [];
    for (const [i, subject] of subjects.entries()) {
      uids.push(await deliver(client, message({ From: `race${i}@example.test`, Subject: subject, 'Message-ID': `<${ids[i]}>` }, 'Down.')));
    }
    // No Message-ID and no Date (a device's alarm): known only by its bytes.
    uids.push(await deliver(client, message({ From: 'sensor@example.test', Subject: 'Race undated' }, 'Temperature high.')));
    // An auto-reply: recorded as ignored, once.
    const autoReplyId = mid();
    uids.push(
      await deliver(
        client,
        message(
          {
            From: 'away@example.test',
            Subject: 'Automatic reply: Race',
            'Message-ID': `<${autoReplyId}>`,
            'Auto-Submitted': 'auto-replied',
          },
          'Out of office.',
        ),
      ),
    );
    for (const uid of uids) await until(`mail ${uid} to be flagged seen`, async () => (await flagsOf(client, uid))?.has('\\Seen'));

    const ticketTitles = (
      await database.db.select({ title: tickets.title }).from(tickets).where(like(tickets.title, 'Race%')).orderBy(asc(tickets.title))
    ).map((t) => t.title);
    expect(ticketTitles).toEqual([...subjects, 'Race undated'].sort());
    const records = await database.db
      .select({ subject: inboundEmails.subject, outcome: inboundEmails.outcome })
      .from(inboundEmails)
      .where(like(inboundEmails.subject, '%Race%'));
    expect(records.filter((r) => r.outcome === 'ticket_created')).toHaveLength(subjects.length + 1);
    expect(records.filter((r) => r.outcome === 'ignored').map((r) => r.subject)).toEqual(['Automatic reply: Race']);
    expect(records).toHaveLength(subjects.length + 2);
    // Both really polled (neither sat idle while the other did all the work).
    const readers = (lines: LogLine[]) => lines.filter((l) => l.msg === 'e-mail received (IMAP)').length;
    expect(readers(one.logged)).toBeGreaterThan(0);
    expect(readers(other.logged)).toBeGreaterThan(0);
  }, 90_000);

  it('refuses a mail over the size limit without downloading it, records its headers, and does not read it again', async () => {
    const client = await mailClient('large@firebreak.test');
    const id = mid();
    const uid = await deliver(
      client,
      message({ From: 'big@example.test', Subject: 'Huge', 'Message-ID': `<${id}>` }, 'x'.repeat(MAX_BYTES + 1000)),
    );
    poll('large@firebreak.test');
    const email = await until('the refusal', async () => (await emailsWith(id))[0]);
    expect(email).toMatchObject({ outcome: 'refused', ticketId: null, fromAddress: 'big@example.test', subject: 'Huge' });
    expect(email.rawSize).toBeGreaterThan(MAX_BYTES);
    expect(email.raw.length).toBeLessThan(1000);
    await until('the mail to be flagged seen', async () => (await flagsOf(client, uid))?.has('\\Seen'));
  }, 60_000);

  it('keeps a mail the database could not take unseen, logs it, and takes it in once the database works', async () => {
    const client = await mailClient('flaky@firebreak.test');
    // The database fails (as when PostgreSQL restarts); everything else is real.
    let down = true;
    const db = new Proxy(database.db, {
      get(target, prop) {
        if (prop === 'transaction' && down) return () => Promise.reject(new Error('database is down'));
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const logged: LogLine[] = [];
    const push = (level: string) => (obj: object, msg: string) => {
      logged.push({ level, msg, obj: obj as Record<string, unknown> });
      happened();
    };
    const poller = startImapPoller({ db, clock: deps.clock }, settings, {
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      user: 'flaky@firebreak.test',
      password: PASSWORD,
      mailbox: 'INBOX',
      pollIntervalMs: 500,
      markSeen: true,
      moveTo: null,
      maxBytes: MAX_BYTES,
      log: { info: push('info'), warn: push('warn'), error: push('error') },
      onPass: happened,
    });
    pollers.push(poller);
    const id = mid();
    const uid = await deliver(
      client,
      message({ From: 'jo@example.test', Subject: 'While the database was down', 'Message-ID': `<${id}>` }, 'x'),
    );
    const failure = await until('the failure to be logged', () => logged.find((l) => l.level === 'error'));
    expect(failure.msg).toMatch(/e-mail intake failed; the mail stays unread on the server/);
    expect(failure.obj).toMatchObject({ imap: `flaky@firebreak.test@127.0.0.1:${dovecot.port}/INBOX`, uid, attempt: 1 });
    expect((await flagsOf(client, uid))?.has('\\Seen')).toBe(false);
    expect(await emailsWith(id)).toEqual([]);

    down = false;
    const email = await until('the mail once the database works', async () => (await emailsWith(id))[0]);
    expect(email.outcome).toBe('ticket_created');
    await until('the mail to be flagged seen', async () => (await flagsOf(client, uid))?.has('\\Seen'));
  }, 60_000);

  it('survives the IMAP server going down: logs where and why, backs off, and takes the mail in once it is back', async () => {
    const { logged, passes } = poll('outage@firebreak.test');
    await until('the first pass', () => passes.length > 0);
    await dovecot.kill();
    await until('the outage to be logged', () => logged.find((l) => l.level === 'warn' && l.msg.startsWith('IMAP: cannot poll')));
    const failure = logged.find((l) => l.msg.startsWith('IMAP: cannot poll')) as LogLine;
    expect(failure.obj).toMatchObject({ imap: `outage@firebreak.test@127.0.0.1:${dovecot.port}/INBOX`, attempt: expect.any(Number) });
    expect(JSON.stringify(logged)).not.toContain(PASSWORD);
    await until('a retry while it is down', () => logged.filter((l) => l.msg.startsWith('IMAP: cannot poll')).length >= 2);

    await dovecot.start();
    const client = await mailClient('outage@firebreak.test');
    const id = mid();
    await deliver(client, message({ From: 'lee@example.test', Subject: 'After the outage', 'Message-ID': `<${id}>` }, 'Hello again.'));
    const email = await until('the mail after the outage', async () => (await emailsWith(id))[0]);
    expect(email.outcome).toBe('ticket_created');
    expect(logged.some((l) => l.msg === 'IMAP: the mailbox is reachable again')).toBe(true);
  }, 90_000);

  it('a wrong password: a clear error naming the account, retried with backoff, never a crash; stop still works', async () => {
    const { poller, logged } = poll('desk@firebreak.test', { password: 'not-the-password' });
    await until('two refusals', () => logged.filter((l) => l.level === 'error').length >= 2, 30_000);
    const refusal = logged.find((l) => l.level === 'error') as LogLine;
    expect(refusal.msg).toMatch(
      /^IMAP: the server refused the sign-in of desk@firebreak\.test: check the user and password in FIREBREAK_IMAP_URL/,
    );
    expect(refusal.obj.imap).toBe(`desk@firebreak.test@127.0.0.1:${dovecot.port}/INBOX`);
    expect(JSON.stringify(logged)).not.toContain('not-the-password');
    const started = Date.now();
    await poller.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);
});
