/**
 * Issue 5's e-mail figure, on PostgreSQL: messages/s through Firebreak's SMTP listener (each
 * mail parsed, stored whole and turned into a ticket or a comment in one committed transaction
 * before the 250), beside a baseline measured in the same run: the same messages into a bare
 * smtp-server that only parses them with mailparser and throws them away.
 * Clients are nodemailer pooled transports (several SMTP connections, one mail at a time each).
 * Then the IMAP figure (when Debian's dovecot is installed): mails/s through the IMAP poller
 * (fetch, parse, commit, flag \Seen, one mail at a time on one connection) beside a bare imapflow
 * client doing the same without the database, on the same dovecot in the same run.
 * Environment: BENCH_PG_URL, BENCH_EMAILS (2000 new mails; half as many replies follow),
 * BENCH_CONNECTIONS (4), BENCH_SENDERS (200 distinct senders), BENCH_IMAP_EMAILS (500).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { systemClock } from '../server/src/adapters/clock.js';
import type { Database } from '../server/src/db/client.js';
import { openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { startImapPoller } from '../server/src/intake/email/imap-poller.js';
import { startSmtpListener } from '../server/src/intake/email/smtp-listener.js';
import { DOVECOT_BINARY, startDovecot } from '../server/test/dovecot.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EMAILS = Number(process.env.BENCH_EMAILS ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 200);
const MAX_BYTES = 10 * 1024 * 1024;
const IMAP_EMAILS = Number(process.env.BENCH_IMAP_EMAILS ?? 500);

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function admin(text: string) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

interface Mail {
  from: string;
  subject: string;
  text: string;
  messageId: string;
}

/** A realistic helpdesk mail: a few paragraphs, a quoted history on replies. */
function newMail(i: number): Mail {
  return {
    from: `person${i % SENDERS}@bench.example.test`,
    subject: `Laptop ${i} does not connect to the VPN after the update`,
    text: `Hello,\n\nsince this morning's update my laptop (asset ${i}) cannot connect to the VPN. The client says "authentication failed" although my password works everywhere else.\n\nI restarted twice. Could you have a look?\n\nThanks\n-- \nPerson ${i % SENDERS}\nLogistics, floor ${i % 7}`,
    messageId: `<bench-${i}-${process.pid}@bench.example.test>`,
  };
}

function reply(i: number, number: string): Mail {
  return {
    from: `person${i % SENDERS}@bench.example.test`,
    subject: `Re: [${number}] Laptop ${i} does not connect to the VPN after the update`,
    text: `It works again after the restart you suggested, thank you.\n\nOn Mon, 4 May 2026 at 10:02, Firebreak <desk@bench.test> wrote:\n> Please restart the VPN client.\n> ${number}`,
    messageId: `<bench-reply-${i}-${process.pid}@bench.example.test>`,
  };
}

/** Sends every mail over `CONNECTIONS` pooled connections; returns mails/s, latencies and the server's answers. */
async function send(port: number, mails: Mail[]) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  const latencies: number[] = [];
  const answers: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < mails.length) {
        const index = next++;
        const mail = mails[index];
        const t0 = performance.now();
        const info = await transport.sendMail({
          from: mail.from,
          to: 'support@bench.test',
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
        });
        latencies.push(performance.now() - t0);
        answers[index] = info.response;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  latencies.sort((a, b) => a - b);
  return { rate: mails.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), answers };
}

async function main() {
  const name = `firebreak_bench_email_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 20);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    await migrateDatabase(database);
    const quiet = { info: () => {}, warn: () => {}, error: (o: object, m: string) => console.error(m, o) };
    const listener = await startSmtpListener(
      { db: database.db, clock: systemClock },
      { messageIdDomain: 'bench.test', ownAddresses: ['support@bench.test'], attachments: { maxBytes: 10 * 1024 * 1024, maxCount: 20 } },
      {
        host: '127.0.0.1',
        port: 0,
        allowedRecipients: ['support@bench.test'],
        maxBytes: MAX_BYTES,
        maxRecipients: 50,
        auth: null,
        tls: null,
        hostname: 'bench.test',
        log: quiet,
      },
    );
    stops.push(() => listener.stop());

    // The baseline: the same SMTP library and the same parser, nothing stored.
    const baseline = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      disableReverseLookup: true,
      size: MAX_BYTES,
      onData(stream, _session, callback) {
        simpleParser(stream, { skipHtmlToText: true, skipTextToHtml: true }).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', () => resolve()));
    stops.push(() => new Promise((resolve) => baseline.close(() => resolve(undefined))));
    const baselinePort = (baseline.server.address() as AddressInfo).port;

    const fresh = Array.from({ length: EMAILS }, (_, i) => newMail(i));
    // Warm both up (connections, JIT, prepared plans), then measure.
    await send(baselinePort, fresh.slice(0, 50));
    await send(
      listener.port,
      Array.from({ length: 50 }, (_, i) => newMail(EMAILS + i)),
    );

    console.log(
      `E-mail in: ${fmt(EMAILS)} new mails from ${SENDERS} senders, then ${fmt(EMAILS / 2)} replies, over ${CONNECTIONS} SMTP connections…`,
    );
    const base = await send(baselinePort, fresh);
    const created = await send(listener.port, fresh);
    const numbers = created.answers.map((a) => /(INC\d{7})/.exec(a)?.[1]);
    if (numbers.some((n) => !n)) throw new Error(`some mails did not make a ticket: ${created.answers.find((a) => !/INC\d{7}/.test(a))}`);
    const replies = Array.from({ length: EMAILS / 2 }, (_, i) => reply(i, numbers[i] as string));
    const baseReplies = await send(baselinePort, replies);
    const threaded = await send(listener.port, replies);
    if (!threaded.answers.every((a) => a.includes('comment added'))) {
      throw new Error(`some replies did not thread: ${threaded.answers.find((a) => !a.includes('comment added'))}`);
    }

    console.log('');
    console.log(`Firebreak e-mail intake benchmark — PostgreSQL, ${new Date().toISOString()}`);
    console.log(
      `${'figure'.padEnd(32)}${'Firebreak (committed before 250)'.padEnd(46)}${'baseline: parse and discard (same run)'.padEnd(46)}Firebreak / baseline`,
    );
    const row = (label: string, fb: typeof base, bl: typeof base) =>
      console.log(
        label.padEnd(32) +
          `${fmt(fb.rate)} mails/s, p50 ${fmt(fb.p50)} ms, p99 ${fmt(fb.p99)} ms`.padEnd(46) +
          `${fmt(bl.rate)} mails/s, p50 ${fmt(bl.p50)} ms, p99 ${fmt(bl.p99)} ms`.padEnd(46) +
          `${fmt((fb.rate / bl.rate) * 100)} %`,
      );
    row('new mail → new ticket', created, base);
    row('reply → public comment (tag)', threaded, baseReplies);
    await imapFigure(database);
  } finally {
    for (const stop of stops.reverse()) await stop();
    await database.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** A mail as it sits in a mailbox, CRLF line ends. */
function rawMail(mail: Mail, to: string): string {
  const head = [
    `From: ${mail.from}`,
    `To: ${to}`,
    `Subject: ${mail.subject}`,
    `Message-ID: ${mail.messageId}`,
    'Content-Type: text/plain; charset=utf-8',
  ];
  return `${head.join('\r\n')}\r\n\r\n${mail.text.replace(/\n/g, '\r\n')}\r\n`;
}

/** Mails/s taken out of a real mailbox: Firebreak's poller, and a bare imapflow client that keeps nothing. */
async function imapFigure(database: Database) {
  if (!fs.existsSync(DOVECOT_BINARY)) {
    console.log(`IMAP polling: not measured (${DOVECOT_BINARY} is not installed; apt-get install dovecot-imapd)`);
    return;
  }
  const password = 'bench-imap-password';
  const dovecot = await startDovecot([
    { user: 'firebreak@bench.test', password },
    { user: 'baseline@bench.test', password },
  ]);
  try {
    const connect = async (user: string) => {
      const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: password }, logger: false });
      client.on('error', (err: Error) => console.error('bench IMAP client:', err.message));
      await client.connect();
      return client;
    };
    const mails = Array.from({ length: IMAP_EMAILS }, (_, i) => newMail(EMAILS * 2 + i));
    for (const user of ['firebreak@bench.test', 'baseline@bench.test']) {
      const client = await connect(user);
      for (const mail of mails)
        await client.append('INBOX', rawMail({ ...mail, messageId: mail.messageId.replace('@', `.${user[0]}@`) }, user));
      await client.logout();
    }
    console.log(`IMAP polling: ${fmt(IMAP_EMAILS)} new mails waiting in a dovecot mailbox on loopback…`);

    // Baseline: the same steps per mail (fetch the source, parse, flag \Seen), nothing stored.
    const bare = await connect('baseline@bench.test');
    const baseStarted = performance.now();
    await bare.mailboxOpen('INBOX');
    const uids = (await bare.search({ seen: false }, { uid: true })) || [];
    for (const uid of uids) {
      const fetched = await bare.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      const source = fetched ? fetched.source : undefined;
      if (source) await simpleParser(source, { skipHtmlToText: true, skipTextToHtml: true });
      await bare.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    }
    const baseRate = uids.length / ((performance.now() - baseStarted) / 1000);
    await bare.logout();

    let taken = 0;
    const quiet = {
      info: () => {},
      warn: (o: object, m: string) => console.error(m, o),
      error: (o: object, m: string) => console.error(m, o),
    };
    const started = performance.now();
    const done = new Promise<void>((resolve) => {
      const poller = startImapPoller(
        { db: database.db, clock: systemClock },
        { messageIdDomain: 'bench.test', ownAddresses: ['support@bench.test'], attachments: { maxBytes: MAX_BYTES, maxCount: 20 } },
        {
          host: dovecot.host,
          port: dovecot.port,
          secure: false,
          user: 'firebreak@bench.test',
          password,
          mailbox: 'INBOX',
          pollIntervalMs: 60_000,
          markSeen: true,
          moveTo: null,
          maxBytes: MAX_BYTES,
          log: quiet,
          onPass: (report) => {
            taken += report.taken;
            if (taken >= IMAP_EMAILS) poller.stop().then(resolve);
          },
        },
      );
    });
    await done;
    const rate = IMAP_EMAILS / ((performance.now() - started) / 1000);
    console.log(
      'new mail → new ticket (IMAP)'.padEnd(32) +
        `${fmt(rate)} mails/s (committed, then flagged)`.padEnd(46) +
        `${fmt(baseRate)} mails/s (fetch, parse, flag)`.padEnd(46) +
        `${fmt((rate / baseRate) * 100)} %`,
    );
  } finally {
    await dovecot.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
