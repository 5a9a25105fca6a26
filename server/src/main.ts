import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { MovableClock, systemClock } from './adapters/clock.js';
import { smtpMailer } from './adapters/mailer.js';
import { createOutboundGuard } from './adapters/outbound-guard.js';
import { networkProber } from './adapters/prober.js';
import { httpWebhookSender } from './adapters/webhook-sender.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { type Database, openDatabase, redact } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { type ImapPoller, startImapPoller } from './intake/email/imap-poller.js';
import { startSmtpListener } from './intake/email/smtp-listener.js';
import { buildJobRegistry, refuseUnhandledJobKinds, WORKER_OPTIONS } from './jobs/registry.js';
import { type JobRegistry, startWorker } from './jobs/runner.js';
import { EventHub } from './live/event-hub.js';
import { connectEventHub } from './live/live-events.js';
import { scheduleOrphanPartSweep } from './services/attachment-storage.service.js';
import { bootstrapFirstAdmin } from './services/auth.service.js';
import { ConfigCache } from './services/config-cache.js';
import type { EmailIntakeSettings } from './services/email-intake.service.js';
import { scheduleDoneJobCleanup } from './services/job-retention.service.js';
import { startRollupDrainer } from './services/kpi-rollup-drain.service.js';
import { scheduleRetrainingCheck } from './services/learned-routing.service.js';
import { ensureWebBuild } from './web-build.js';

/** Opens the configured database and brings its schema up to date. */
export async function openAndMigrate(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  /** The SMTP listener's port, when e-mail in is on. */
  smtpPort: number | null;
  stop(): Promise<void>;
}

/** config → database → migrate → first admin → HTTP. Returns a handle that stops it cleanly. */
export async function startServer(config: Config, log: (line: string) => void = console.log): Promise<RunningServer> {
  const startedAt = performance.now();
  // The web build (Vite, mostly native threads) and the database (PGlite's WebAssembly on this
  // thread; creating a new folder is the slowest part of a first start) overlap.
  const webBuild = config.webUi ? ensureWebBuild(log) : Promise.resolve(undefined);
  const [built, opened] = await Promise.allSettled([webBuild, openAndMigrate(config)]);
  if (opened.status === 'rejected') throw opened.reason;
  const database = opened.value;
  if (built.status === 'rejected') {
    await database.close();
    throw built.reason;
  }
  const webDistDir = built.value;
  // FIREBREAK_TEST_CLOCK=on (config refuses it in production): one clock for the whole process,
  // API and worker alike, that admins move forward from a browser test.
  const testClock = config.testClock ? new MovableClock(systemClock) : undefined;
  const clock = testClock ?? systemClock;
  const admin = await bootstrapFirstAdmin({ db: database.db, clock }, config.bootstrapAdmin);
  const events = new EventHub();
  // One gate for every connection made on an admin's say-so: checks, webhooks, and their configuration.
  const outbound = createOutboundGuard({ allow: config.allowPrivateTargets });
  // One copy of the configuration per process, for requests, timers, jobs and e-mail intake alike;
  // the app keeps it fresh (it listens for every process's changes).
  const configCache = new ConfigCache();
  const app = await buildApp({
    database,
    configCache,
    clock,
    config,
    outbound,
    events,
    web: webDistDir ? { distDir: webDistDir } : undefined,
    logger: { level: config.logLevel },
    testClock,
  });
  const metrics = app.metrics;
  events.setLog((msg, detail) => app.log.warn(detail ?? {}, msg));
  const mailer = config.mail.smtpUrl ? smtpMailer(config.mail.smtpUrl, config.mail.from, config.mail.supportAddress) : null;
  const messageIdDomain = config.mail.messageIdDomain;
  const webhooks = httpWebhookSender({ timeoutMs: 10_000, now: () => clock.now(), guard: outbound });
  // The job definitions are checked before anything is served: duplicate or missing kinds, or
  // jobs waiting in the database that this version cannot run, stop the start with the reason.
  let registry: JobRegistry;
  try {
    registry = buildJobRegistry({
      mail: { mailer, webhooks, messageIdDomain, publicUrl: config.publicUrl },
      prober: networkProber(outbound),
      log: (msg, detail) => app.log.info(detail, msg),
    });
    await refuseUnhandledJobKinds(database.db, registry);
    // Parts of attachments whose upload died with its process are swept by a recurring job; this
    // asks for it in case its chain does not exist yet (first start) or was lost.
    await scheduleOrphanPartSweep({ db: database.db, clock });
    // Likewise the hourly clean-up of done jobs past their retention.
    await scheduleDoneJobCleanup({ db: database.db, clock });
    // And the hourly check whether the learned router is due for its scheduled retraining.
    await scheduleRetrainingCheck({ db: database.db, clock });
  } catch (err) {
    await app.close();
    mailer?.close();
    await database.close();
    throw err;
  }
  const liveListener = await connectEventHub(database, events, (level, msg, detail) => app.log[level](detail, msg));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // A taken port (or an address this machine lacks): close what already started, so the process
    // ends with the reason instead of living on with an open database and no server.
    await app.close();
    await liveListener.close();
    mailer?.close();
    await database.close();
    throw new Error(`Firebreak cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  }
  // The worker runs timers and background jobs; with PostgreSQL every process runs one and they
  // share the work through SKIP LOCKED. Its first sweep fires whatever fell due while we were down.
  const worker = startWorker({ db: database.db, clock, configCache }, registry, {
    ...WORKER_OPTIONS,
    log: (entry) => app.log[entry.level](entry, entry.msg),
    onSweepError: (err) => app.log.error({ err }, 'job sweep failed; retrying at the next poll'),
  });
  // New tickets are counted in the KPI rollups once their creation has committed: every process
  // drains the pending list each second (readers of rollups drain what is left before they read).
  const rollupDrainer = startRollupDrainer(database.db, {
    intervalMs: ROLLUP_DRAIN_INTERVAL_MS,
    onError: (err) =>
      app.log.error({ err }, 'counting new tickets in the KPI rollups failed; they stay listed and are retried in a second'),
  });
  // Timers the move made due run now, not at the next poll.
  testClock?.onAdvance(() => worker.wake());
  // E-mail in: the SMTP listener calls the same services as the API.
  const smtpListener = config.emailIntake.listen
    ? await startSmtpListener({ db: database.db, clock, configCache }, emailIntakeSettings(config), {
        ...config.emailIntake.listen,
        allowedRecipients: config.emailIntake.listen.recipients,
        tls: config.emailIntake.listen.tls
          ? { cert: fs.readFileSync(config.emailIntake.listen.tls.certPath), key: fs.readFileSync(config.emailIntake.listen.tls.keyPath) }
          : null,
        hostname: new URL(config.publicUrl).hostname,
        log: app.log,
        onIntake: (outcome) => metrics.countIntake('email', outcome),
      }).catch(async (err) => {
        // A taken port: stop what already started, then fail with the reason.
        await app.close();
        await worker.stop();
        await rollupDrainer.stop();
        mailer?.close();
        await database.close();
        throw new Error(
          `The SMTP listener cannot start on ${config.emailIntake.listen?.host}:${config.emailIntake.listen?.port}: ${(err as Error).message}`,
        );
      })
    : null;
  // E-mail in from a mailbox (instead of, or beside, the listener): it never fails the start;
  // an unreachable server or a refused sign-in is logged and retried with backoff. Every process
  // polls (so mail keeps coming in while any is up): intake takes a mail read twice in once.
  const imapPoller: ImapPoller | null = config.emailIntake.imap
    ? startImapPoller({ db: database.db, clock, configCache }, emailIntakeSettings(config), {
        ...config.emailIntake.imap,
        log: app.log,
        onIntake: (outcome) => metrics.countIntake('email', outcome),
      })
    : null;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

  announceFirstAdmin(admin, log);

  const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : `PostgreSQL at ${redact(config.databaseUrl ?? '')}`;
  log(`Firebreak is running at ${url} (${where}), ready in ${Math.round(performance.now() - startedAt)} ms.`);
  if (webDistDir) log(`Open ${url} in a browser to sign in.`);
  if (testClock) log("Test clock: ON (FIREBREAK_TEST_CLOCK). Admins can move this server's time forward; never use this for real work.");
  log(`API docs: ${url}/api/v1/docs`);
  log(
    mailer
      ? `E-mail out: through ${redact(config.mail.smtpUrl ?? '')} from ${config.mail.from}.`
      : 'E-mail out: off. People are notified in the app; set FIREBREAK_SMTP_URL to send e-mail too.',
  );
  if (smtpListener && config.emailIntake.listen) {
    log(
      `E-mail in: SMTP on ${config.emailIntake.listen.host}:${smtpListener.port} for ${config.emailIntake.listen.recipients.join(', ')}.`,
    );
  }
  if (config.emailIntake.imap) {
    const imap = config.emailIntake.imap;
    log(
      `E-mail in: polling ${imap.secure ? 'imaps' : 'imap'}://${imap.host}:${imap.port}/${imap.mailbox} as ${imap.user} every ${imap.pollIntervalMs / 1000} s.`,
    );
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    // Stop taking requests, let those in flight and the current job sweep finish, then close the database.
    stopping ??= (async () => {
      // Mail first: no new mail is taken, and mails being committed finish before the database closes.
      await smtpListener?.stop();
      await imapPoller?.stop();
      // Requests in flight finish; one that is still going after DRAIN_MS is cut off so the
      // process does stop (a supervisor would SIGKILL it soon after anyway).
      const cutOff = setTimeout(() => app.server.closeAllConnections(), DRAIN_MS);
      try {
        await app.close();
      } finally {
        clearTimeout(cutOff);
      }
      await liveListener.close();
      await worker.stop();
      await rollupDrainer.stop();
      mailer?.close();
      await database.close();
    })();
    return stopping;
  };
  return { app, database, url, smtpPort: smtpListener?.port ?? null, stop };
}

/** Tells whoever started the server about the admin its first start created (a generated password is shown only here). */
export function announceFirstAdmin(admin: { email: string; generatedPassword: string | null } | null, log: (line: string) => void): void {
  if (!admin) return;
  if (admin.generatedPassword) {
    log('');
    log('  First start: an admin account was created. This password is shown only once:');
    log(`    e-mail:   ${admin.email}`);
    log(`    password: ${admin.generatedPassword}`);
    log('  Sign in and change it, or set FIREBREAK_ADMIN_EMAIL and FIREBREAK_ADMIN_PASSWORD before the first start.');
    log('');
  } else {
    log(`First start: admin account ${admin.email} created with the configured password.`);
  }
}

/** How long a stop waits for requests in flight (under Kubernetes' default 30 s grace period). */
export const DRAIN_MS = 20_000;

/** What intake needs to know about our own mail: its Message-ID domain and our addresses (loops). */
export function emailIntakeSettings(config: Config): EmailIntakeSettings {
  const own = [
    config.mail.supportAddress,
    /<([^<>\s]+@[^<>\s]+)>/.exec(config.mail.from)?.[1] ?? config.mail.from,
    ...(config.emailIntake.listen?.recipients ?? []).filter((r) => r.includes('@') && !r.startsWith('@')),
    // The polled mailbox's own address, when its user name is one.
    config.emailIntake.imap?.user,
  ];
  return {
    messageIdDomain: config.mail.messageIdDomain,
    ownAddresses: [...new Set(own.filter((a): a is string => !!a && a.includes('@')).map((a) => a.toLowerCase()))],
    attachments: config.emailIntake.attachments,
    trustedAuthservIds: config.emailIntake.trustedAuthservIds,
  };
}

/** How often each process counts newly created tickets into the KPI rollups. */
const ROLLUP_DRAIN_INTERVAL_MS = 1_000;
