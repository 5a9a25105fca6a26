import type { FastifyInstance } from 'fastify';
import { systemClock } from './adapters/clock.js';
import { smtpMailer } from './adapters/mailer.js';
import { httpWebhookSender } from './adapters/webhook-sender.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { type Database, openDatabase, redact } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { buildJobRegistry, WORKER_OPTIONS } from './jobs/registry.js';
import { startWorker } from './jobs/runner.js';
import { EventHub } from './live/event-hub.js';
import { connectEventHub } from './live/live-events.js';
import { bootstrapFirstAdmin } from './services/auth.service.js';
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
  stop(): Promise<void>;
}

/** config → database → migrate → first admin → HTTP. Returns a handle that stops it cleanly. */
export async function startServer(config: Config, log: (line: string) => void = console.log): Promise<RunningServer> {
  const startedAt = performance.now();
  const webDistDir = config.webUi ? await ensureWebBuild(log) : undefined;
  const database = await openAndMigrate(config);
  const clock = systemClock;
  const admin = await bootstrapFirstAdmin({ db: database.db, clock }, config.bootstrapAdmin);
  const events = new EventHub();
  const app = await buildApp({
    database,
    clock,
    config,
    events,
    web: webDistDir ? { distDir: webDistDir } : undefined,
    logger: { level: config.logLevel },
  });
  events.setLog((msg, detail) => app.log.warn(detail ?? {}, msg));
  const liveListener = await connectEventHub(database, events, (level, msg, detail) => app.log[level](detail, msg));
  await app.listen({ port: config.port, host: config.host });
  // The worker runs timers and background jobs; with PostgreSQL every process runs one and they
  // share the work through SKIP LOCKED. Its first sweep fires whatever fell due while we were down.
  const mailer = config.mail.smtpUrl ? smtpMailer(config.mail.smtpUrl, config.mail.from) : null;
  const messageIdDomain = /@([^>\s]+)/.exec(config.mail.from)?.[1] ?? 'firebreak.local';
  const webhooks = httpWebhookSender({ timeoutMs: 10_000, now: () => clock.now() });
  const registry = buildJobRegistry({ mail: { mailer, webhooks, messageIdDomain, publicUrl: config.publicUrl } });
  const worker = startWorker({ db: database.db, clock }, registry, {
    ...WORKER_OPTIONS,
    log: (entry) => app.log[entry.level](entry, entry.msg),
    onSweepError: (err) => app.log.error({ err }, 'job sweep failed; retrying at the next poll'),
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

  if (admin) {
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

  const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : `PostgreSQL at ${redact(config.databaseUrl ?? '')}`;
  log(`Firebreak is running at ${url} (${where}), ready in ${Math.round(performance.now() - startedAt)} ms.`);
  if (webDistDir) log(`Open ${url} in a browser to sign in.`);
  log(`API docs: ${url}/api/v1/docs`);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    // Stop taking requests, let those in flight and the current job sweep finish, then close the database.
    stopping ??= (async () => {
      await app.close();
      await liveListener.close();
      await worker.stop();
      mailer?.close();
      await database.close();
    })();
    return stopping;
  };
  return { app, database, url, stop };
}
