/**
 * Issue 5's e-mail figure, on PostgreSQL: messages/s through Firebreak's SMTP listener (each
 * mail parsed, stored whole and turned into a ticket or a comment in one committed transaction
 * before the 250), beside a baseline measured in the same run: the same messages into a bare
 * smtp-server that only parses them with mailparser and throws them away.
 * Clients are nodemailer pooled transports (several SMTP connections, one mail at a time each).
 * Environment: BENCH_PG_URL, BENCH_EMAILS (2000 new mails; half as many replies follow),
 * BENCH_CONNECTIONS (4), BENCH_SENDERS (200 distinct senders).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { systemClock } from '../server/src/adapters/clock.js';
import { openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { startSmtpListener } from '../server/src/intake/email/smtp-listener.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EMAILS = Number(process.env.BENCH_EMAILS ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 200);
const MAX_BYTES = 10 * 1024 * 1024;

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
  } finally {
    for (const stop of stops.reverse()) await stop();
    await database.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
