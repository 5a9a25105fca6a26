/**
 * Issue 15's subscriber fan-out figure, on PostgreSQL: 10,000 confirmed e-mail subscribers of a
 * public service; an incident is declared on it and the desk posts a public update. Measured:
 * how long the fan-out job takes to write 10,000 deliveries and their jobs, and the mails/s
 * from the update's commit until the local SMTP sink has received every one of them — beside
 * nodemailer sending the same number of mails straight to the same sink (no database, same
 * pooled transport settings) in the same run.
 * Environment: BENCH_PG_URL, BENCH_SUBSCRIBERS (10000).
 */
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { systemClock } from '../server/src/adapters/clock.js';
import { smtpMailer } from '../server/src/adapters/mailer.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { statusAnnouncements, statusSubscribers } from '../server/src/db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../server/src/jobs/registry.js';
import { startWorker } from '../server/src/jobs/runner.js';
import { countDeliveries } from '../server/src/repositories/status-subscriptions.repository.js';
import { createService } from '../server/src/services/catalog.service.js';
import { createUser } from '../server/src/services/directory.service.js';
import { addComment } from '../server/src/services/ticket-conversation.service.js';
import { reportTicket } from '../server/src/services/ticket-intake.service.js';
import { openScratchDatabase } from './scratch-database.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const SMTP_OPTIONS = 'pool=true&maxConnections=10';
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** Resolves once `count()` reaches `target`, checking every 20 ms; gives up after `ceilingMs`. */
async function until(count: () => number, target: number, ceilingMs: number): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  while (count() < target) {
    if (Date.now() > deadline) throw new Error(`only ${count()} of ${target} arrived within ${ceilingMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main() {
  const { database, cleanup } = await openScratchDatabase('postgres', 'status', 20);
  const stops: (() => Promise<unknown> | unknown)[] = [];
  try {
    await migrateDatabase(database);
    const deps = { db: database.db, clock: systemClock };
    const agent = await createUser(deps, { email: 'agent@bench.test', name: 'Agent', role: 'agent', timeZone: 'UTC' });
    const actor = { id: agent.id, role: 'agent' as const };
    const vpn = await createService(deps, { name: 'VPN', onStatusPage: true });

    let received = 0;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _s, cb) {
        stream.on('data', () => {});
        stream.on('end', () => {
          received++;
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const port = (smtp.server.address() as { port: number }).port;

    // Confirmed subscribers, half of every service, half of VPN alone.
    const now = new Date();
    for (let i = 0; i < SUBSCRIBERS; i += 2_000) {
      await database.db.insert(statusSubscribers).values(
        Array.from({ length: Math.min(2_000, SUBSCRIBERS - i) }, (_, k) => ({
          channel: 'email' as const,
          address: `subscriber${i + k}@bench.test`,
          componentIds: (i + k) % 2 === 0 ? [] : [vpn.id],
          confirmedAt: now,
          createdAt: now,
          updatedAt: now,
        })),
      );
    }

    const mailer = smtpMailer(`smtp://127.0.0.1:${port}?${SMTP_OPTIONS}`, 'Status <status@bench.test>');
    stops.push(() => mailer.close());
    const registry = buildJobRegistry({
      mail: {
        mailer,
        webhooks: {
          post: async () => {
            throw new Error('no webhooks in this benchmark');
          },
        },
        messageIdDomain: 'bench.test',
        publicUrl: 'http://localhost',
      },
    });

    // The incident starts (one announcement to everyone), then the desk's public update (another):
    // the update is the one measured, from its commit to the last mail received.
    const incident = await reportTicket(
      deps,
      actor,
      { kind: 'incident', title: 'VPN down', description: '', impact: 1, urgency: 2, scope: 'global', serviceId: vpn.id },
      { defaultChannel: 'api' },
    );
    const worker = startWorker(deps, registry, { ...WORKER_OPTIONS, onSweepError: (err) => console.error('sweep failed', err) });
    stops.push(() => worker.stop());
    await until(() => received, SUBSCRIBERS, 600_000);
    received = 0;

    console.log(`Fan-out: a public update to ${fmt(SUBSCRIBERS)} confirmed subscribers through the outbox…`);
    const t0 = Date.now();
    await addComment(deps, actor, incident.ticket.id, { body: 'We are restarting the gateway.', visibility: 'public' });
    let fannedOutMs = 0;
    const fannedOut = (async () => {
      for (;;) {
        const [update] = await database.db.select().from(statusAnnouncements).where(eq(statusAnnouncements.kind, 'update'));
        if (update && (await countDeliveries(database.db, update.id)).total === SUBSCRIBERS) {
          fannedOutMs = Date.now() - t0;
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await until(() => received, SUBSCRIBERS, 600_000);
    await fannedOut;
    const firebreakRate = SUBSCRIBERS / ((Date.now() - t0) / 1000);
    await worker.stop();

    // Baseline: the same number of mails straight through nodemailer, 50 senders in parallel.
    received = 0;
    const direct = nodemailer.createTransport(`smtp://127.0.0.1:${port}?${SMTP_OPTIONS}`);
    const t1 = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, w) => {
        for (let i = w; i < SUBSCRIBERS; i += 50) {
          await direct.sendMail({
            from: 'status@bench.test',
            to: `subscriber${i}@bench.test`,
            subject: '[Service status] Update: VPN down',
            text: 'We are restarting the gateway.',
          });
        }
      }),
    );
    const directRate = SUBSCRIBERS / ((Date.now() - t1) / 1000);
    direct.close();

    console.log('');
    console.log(`Firebreak status subscriber fan-out — PostgreSQL, ${new Date().toISOString()}`);
    console.log(`figure                                   Firebreak                 baseline (same run)`);
    console.log(`fan-out job: ${fmt(SUBSCRIBERS)} deliveries written   ${`${fmt(fannedOutMs)} ms after the update`.padEnd(26)}—`);
    console.log(
      `e-mails/s to a local SMTP sink           ${`${fmt(firebreakRate)}/s`.padEnd(26)}nodemailer direct ${fmt(directRate)}/s (${fmt((firebreakRate / directRate) * 100)}%)`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop();
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
