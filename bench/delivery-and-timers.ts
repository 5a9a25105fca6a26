/**
 * Issue 4's figures, on PostgreSQL, each beside a baseline from the same run:
 * - timer lag (BENCH_TIMER_MODE=burst, the default): 10,000 tickets written first, their 20,000
 *   SLA timers then falling due within 30 s (issue 19 item 4; see sla-timer-burst.ts); lag is
 *   when a timer's job finished minus when it fell due (p50/p99/max), beside the worker's poll
 *   interval, and each timer must fire exactly once;
 * - timer lag (BENCH_TIMER_MODE=steady): 10,000 tickets with running SLA clocks while tickets
 *   keep being reported at BENCH_TIMER_RATE;
 * - e-mail throughput through the outbox to a local SMTP sink, beside nodemailer sending the same
 *   number of mails straight to that sink (no database);
 * - webhook throughput through the outbox to a local HTTP receiver, beside plain fetch POSTs
 *   with the same concurrency.
 * Environment: BENCH_PG_URL, BENCH_TIMER_TICKETS (10000), BENCH_TIMER_RATE (100 tickets/s),
 * BENCH_MAILS (2000), BENCH_WEBHOOKS (5000).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { systemClock } from '../server/src/adapters/clock.js';
import { smtpMailer } from '../server/src/adapters/mailer.js';
import { createOutboundGuard } from '../server/src/adapters/outbound-guard.js';
import { httpWebhookSender } from '../server/src/adapters/webhook-sender.js';
import { openPostgres, rowsOf } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../server/src/jobs/registry.js';
import { startWorker } from '../server/src/jobs/runner.js';
import { scheduleJob } from '../server/src/jobs/schedule.js';
import { deliverJob } from '../server/src/jobs/specs/notification-deliver.job-spec.js';
import { insertNotifications } from '../server/src/repositories/notifications.repository.js';
import { ConfigCache, listenForConfigChanges } from '../server/src/services/config-cache.js';
import { createUser } from '../server/src/services/directory.service.js';
import { createSlaPolicy } from '../server/src/services/sla.service.js';
import { reportTicket } from '../server/src/services/ticket-intake.service.js';
import { createWebhook } from '../server/src/services/webhooks.service.js';
import { type BurstFigures, runTimerBurst } from './sla-timer-burst.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TIMER_TICKETS = Number(process.env.BENCH_TIMER_TICKETS ?? 10_000);
const MAILS = Number(process.env.BENCH_MAILS ?? 2_000);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 5_000);
const TIMER_RATE = Number(process.env.BENCH_TIMER_RATE ?? 100);
const TIMER_MODE = process.env.BENCH_TIMER_MODE === 'steady' ? 'steady' : 'burst';
const SLA_SECONDS = 60; // the smallest target a policy takes: warning at 45 s, breach at 60 s

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

async function admin(text: string) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function main() {
  const name = `firebreak_bench_jobs_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 20);
  const stops: (() => Promise<unknown> | unknown)[] = [];
  try {
    await migrateDatabase(database);
    // Wired as main.ts wires a server process: one configuration cache for creation and the
    // worker alike, kept fresh by the database's announcements. Without it every creation read
    // the settings, SLA policies, webhooks and automation rules again.
    const configCache = new ConfigCache();
    const configListener = await listenForConfigChanges(database, configCache, (_level, msg, detail) => console.error(msg, detail));
    stops.push(() => configListener.close());
    const deps = { db: database.db, clock: systemClock, configCache };
    const agent = await createUser(deps, { email: 'agent@bench.test', name: 'Agent', role: 'agent', timeZone: 'UTC' });
    const actor = { id: agent.id, role: 'agent' as const };

    // Sinks: a real SMTP server and a real HTTP receiver on loopback.
    let mailsReceived = 0;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _s, cb) {
        stream.on('data', () => {});
        stream.on('end', () => {
          mailsReceived++;
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    stops.push(() => new Promise((r) => smtp.close(() => r(undefined))));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    let hooksReceived = 0;
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hooksReceived++;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    stops.push(() => new Promise((r) => receiver.close(() => r(undefined))));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    // The receiver is on loopback, which webhooks may reach only when allowed.
    const loopbackAllowed = createOutboundGuard({ allow: ['127.0.0.1'] });
    const mailer = smtpMailer(`smtp://127.0.0.1:${smtpPort}?pool=true&maxConnections=10`, 'Bench <bench@bench.test>');
    stops.push(() => mailer.close());
    const registry = buildJobRegistry({
      mail: {
        mailer,
        webhooks: httpWebhookSender({ timeoutMs: 10_000, now: () => new Date(), guard: loopbackAllowed }),
        messageIdDomain: 'bench.test',
        publicUrl: 'http://localhost',
      },
    });
    const options = { ...WORKER_OPTIONS, onSweepError: (err: unknown) => console.error('sweep failed', err) };
    // The burst runs its own worker on its own clock before this one starts (see sla-timer-burst.ts).
    const burst: BurstFigures | null =
      TIMER_MODE === 'burst'
        ? await runTimerBurst(
            database,
            deps,
            actor,
            TIMER_TICKETS,
            // The server's worker reads configuration through its cache (main.ts): so does this one (deps carries it).
            (clock) => startWorker({ ...deps, clock }, registry, options),
            (line) => console.log(line),
          )
        : null;
    const worker = startWorker(deps, registry, options);
    stops.push(() => worker.stop());

    // ---- Timer lag under steady creation (the burst ran above) ----
    const steady = burst ? null : await steadyTimers();
    async function steadyTimers() {
      await createSlaPolicy(deps, { name: 'bench', firstResponseMinutes: null, resolutionMinutes: SLA_SECONDS / 60 });
      console.log(
        `Timer lag: reporting ${fmt(TIMER_TICKETS)} tickets at ${TIMER_RATE}/s with a ${SLA_SECONDS}-second resolution SLA (a warning and a breach timer each) while timers fire…`,
      );
      const started = Date.now();
      let created = 0;
      const creators = Array.from({ length: 8 }, async () => {
        while (created < TIMER_TICKETS) {
          created++;
          // A steady rate: ticket n is reported n / rate seconds after the start.
          const wait = started + (created / TIMER_RATE) * 1000 - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          await reportTicket(
            deps,
            actor,
            { kind: 'incident', title: `bench ${created}`, description: '', impact: 2, urgency: 2, scope: 'local' },
            { defaultChannel: 'api' },
          );
        }
      });
      await Promise.all(creators);
      const creationSeconds = (Date.now() - started) / 1000;
      // Wait until every SLA timer has fired.
      for (;;) {
        const [row] = rowsOf<{ n: number }>(
          await database.db.execute(sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'sla.check' AND state IN ('pending','running')`),
        );
        if (row.n === 0) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const lags = rowsOf<{ lag: number }>(
        await database.db.execute(
          sql`SELECT extract(epoch FROM finished_at - run_at) * 1000 AS lag FROM jobs WHERE kind = 'sla.check' AND state = 'done'`,
        ),
      )
        .map((r) => Number(r.lag))
        .sort((a, b) => a - b);
      // The most timers the worker fired in any one second: its capacity when work piles up.
      const [peak] = rowsOf<{ n: number }>(
        await database.db.execute(
          sql`SELECT max(n)::int AS n FROM (SELECT count(*) AS n FROM jobs WHERE kind = 'sla.check' AND state = 'done' GROUP BY date_trunc('second', finished_at)) s`,
        ),
      );
      return { lags, creationSeconds, peak: peak.n };
    }
    const lags = burst ? burst.lags : (steady as NonNullable<typeof steady>).lags;

    // ---- Notification throughput ----
    const drain = async (kind: 'email' | 'webhook', count: number, webhookId: string | null) => {
      const now = new Date();
      const rows = Array.from({ length: count }, (_, i) => ({
        channel: kind,
        address: kind === 'email' ? `person${i}@bench.test` : hookUrl,
        webhookId,
        reason: 'bench',
        subject: `[INC${i}] bench`,
        bodyText: 'Hello from the bench',
        payload: { i },
        createdAt: now,
      }));
      const t0 = Date.now();
      await database.db.transaction(async (tx) => {
        for (let i = 0; i < rows.length; i += 500) {
          for (const n of await insertNotifications(tx, rows.slice(i, i + 500))) {
            await scheduleJob(tx, deliverJob, { notificationId: n.id }, { runAt: now, now });
          }
        }
      });
      worker.wake();
      const target = kind === 'email' ? () => mailsReceived : () => hooksReceived;
      while (target() < count) await new Promise((r) => setTimeout(r, 20));
      return count / ((Date.now() - t0) / 1000);
    };
    mailsReceived = 0;
    hooksReceived = 0;
    const mailRate = await drain('email', MAILS, null);
    const { webhook } = await createWebhook(
      { ...deps, outbound: loopbackAllowed },
      { name: 'bench', url: hookUrl, format: 'json', eventTypes: ['comment'] },
    );
    hooksReceived = 0;
    const hookRate = await drain('webhook', WEBHOOKS, webhook.id);

    // ---- Baselines: the same sends without Firebreak ----
    const direct = nodemailer.createTransport(`smtp://127.0.0.1:${smtpPort}?pool=true&maxConnections=10`);
    let t0 = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, w) => {
        for (let i = w; i < MAILS; i += 50)
          await direct.sendMail({ from: 'bench@bench.test', to: `p${i}@bench.test`, subject: 'x', text: 'Hello' });
      }),
    );
    const directMailRate = MAILS / ((Date.now() - t0) / 1000);
    direct.close();
    t0 = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, w) => {
        for (let i = w; i < WEBHOOKS; i += 50) {
          const r = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) });
          await r.arrayBuffer();
        }
      }),
    );
    const directHookRate = WEBHOOKS / ((Date.now() - t0) / 1000);

    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const p99 = percentile(lags, 99);
    console.log('');
    console.log(`Firebreak jobs benchmark — PostgreSQL, ${new Date().toISOString()}`);
    console.log(`figure                         Firebreak            baseline (same run)                 target           result`);
    const p99Target = burst ? 5000 : 2000;
    console.log(
      `timer lag p50 / p99 / max      ${fmt(percentile(lags, 50))} / ${fmt(p99)} / ${fmt(lags[lags.length - 1])} ms `.padEnd(52) +
        `poll interval ${WORKER_OPTIONS.pollMs} ms`.padEnd(36) +
        `p99 < ${fmt(p99Target)} ms`.padEnd(17) +
        verdict(p99 < p99Target),
    );
    if (burst) {
      console.log(
        `  (burst: ${fmt(burst.timers)} timers due within ${fmt(burst.dueWithinMs / 1000)} s, written first (${fmt(burst.reported)} reported at ${fmt(burst.writeRate)}/s, the rest copied in SQL)` +
          `; busiest second: ${fmt(burst.busiestSecond)} timers fired)`,
      );
      console.log(
        `timers fired twice / never     ${burst.firedTwice} / ${burst.neverFired}`.padEnd(88) +
          'both 0'.padEnd(17) +
          verdict(burst.firedTwice === 0 && burst.neverFired === 0),
      );
    } else if (steady) {
      console.log(
        `  (${fmt(lags.length)} timers over ${fmt(TIMER_TICKETS)} tickets reported at ${fmt(TIMER_TICKETS / steady.creationSeconds)}/s; busiest second: ${fmt(steady.peak)} timers fired)`,
      );
    }
    console.log(
      `e-mails/s to an SMTP sink      ${fmt(mailRate)}`.padEnd(52) +
        `nodemailer direct ${fmt(directMailRate)}/s`.padEnd(36) +
        '≥ 200/s'.padEnd(17) +
        verdict(mailRate >= 200),
    );
    console.log(
      `webhooks/s to a receiver       ${fmt(hookRate)}`.padEnd(52) +
        `fetch direct ${fmt(directHookRate)}/s`.padEnd(36) +
        '≥ 1,000/s'.padEnd(17) +
        verdict(hookRate >= 1000),
    );
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
