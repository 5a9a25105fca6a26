import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../core/vocabulary.js';
import { FakeClock } from '../src/adapters/clock.js';
import type { PasswordCost } from '../src/adapters/secrets.js';
import { type AppDeps, buildApp } from '../src/app.js';
import type { TrustProxy } from '../src/config.js';
import { type Database, openPostgres } from '../src/db/client.js';
import { EventHub } from '../src/live/event-hub.js';
import { connectEventHub } from '../src/live/live-events.js';
import type { UserRow } from '../src/repositories/users.repository.js';
import { createApiToken } from '../src/services/auth.service.js';
import { ConfigCache } from '../src/services/config-cache.js';
import { createUser } from '../src/services/directory.service.js';
import { createTestDatabase } from './database.js';
import { TEST_PASSWORD_COST } from './password-cost.js';

export interface TestUser {
  user: UserRow;
  /** Headers that authenticate as this user (a bearer API token). */
  headers: { authorization: string };
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: FakeClock;
  deps: { db: Database['db']; clock: FakeClock; passwordCost: PasswordCost };
  /** The app's live-stream hub: tests announce to it or end its streams. */
  events: EventHub;
  /** The app's configuration cache (tests wait on a change another app made). */
  configCache: ConfigCache;
  /** A new active user of this role with an API token; `password` enables sign-in. */
  user(role: Role, overrides?: { email?: string; name?: string; password?: string }): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

export { TEST_PASSWORD_COST };

/**
 * `allowPrivateTargets`: what checks and webhooks may name although private. Tests point them at
 * receivers on 127.0.0.1, so that is allowed unless a test says otherwise (`[]` is the default of
 * a real server).
 */
export async function createTestApp(
  options: {
    bodyLimitBytes?: number;
    logs?: string[];
    allowPrivateTargets?: string[];
    logLevel?: 'info' | 'warn';
    config?: Partial<AppDeps['config']>;
    trustProxy?: TrustProxy;
    passwordCost?: PasswordCost;
    smtpUrl?: string;
    importMaxBytes?: number;
    /** Serves POST /api/v1/test-clock/advance on the app's fake clock (FIREBREAK_TEST_CLOCK=on). */
    testClock?: boolean;
    /**
     * Another server on this app's database, as a second process would be: on PostgreSQL its own
     * connection pool (and listener); on PGlite, which one process holds, the same engine.
     */
    sameDatabaseAs?: TestApp;
    /** The hub hears the database's live announcements, as a real server's does (main.ts): the status page is woken by them. */
    liveAnnouncements?: boolean;
  } = {},
): Promise<TestApp> {
  const passwordCost = options.passwordCost ?? TEST_PASSWORD_COST;
  const shared = options.sameDatabaseAs?.database;
  const database = shared ? await secondHandleOf(shared) : await createTestDatabase();
  const configCache = new ConfigCache();
  const clock = new FakeClock('2026-03-02T08:00:00Z');
  const events = new EventHub();
  const app = await buildApp({
    database,
    clock,
    events,
    configCache,
    importMaxBytes: options.importMaxBytes,
    ...(options.testClock ? { testClock: clock } : {}),
    // Tests that read the log pass an array: each warning or error line lands in it.
    ...(options.logs
      ? { logger: { level: options.logLevel ?? 'warn', stream: { write: (line: string) => options.logs?.push(line) } } }
      : {}),
    config: {
      sessionHours: 12,
      secureCookies: false,
      bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576,
      trustProxy: options.trustProxy ?? false,
      passwordCost,
      allowPrivateTargets: options.allowPrivateTargets ?? ['127.0.0.1'],
      // Tests change data and read the status page back at once: no caching.
      statusPageCheckEveryMs: 0,
      ...options.config,
      mail: { smtpUrl: options.smtpUrl },
    },
  });
  const listener = options.liveAnnouncements ? await connectEventHub(database, events, () => {}) : null;
  const deps = { db: database.db, clock, passwordCost };
  return {
    app,
    database,
    clock,
    deps,
    events,
    configCache,
    async user(role, overrides = {}) {
      counter += 1;
      const user = await createUser(deps, {
        email: overrides.email ?? `${role}${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`,
        name: overrides.name ?? `${role[0].toUpperCase()}${role.slice(1)} ${counter}`,
        role,
        timeZone: 'Europe/Berlin',
        password: overrides.password,
      });
      const { secret } = await createApiToken(deps, { id: user.id, role: user.role }, { name: 'test', scope: 'write' });
      return { user, headers: { authorization: `Bearer ${secret}` } };
    },
    async close() {
      await app.close();
      await listener?.close();
      await database.close();
    },
  };
}

/** A second server's handle on a test database: closing it leaves the database to its owner. */
async function secondHandleOf(database: Database): Promise<Database> {
  if (database.raw.kind === 'pglite') return { ...database, close: async () => {} };
  const url = database.raw.pool.options.connectionString;
  if (!url) throw new Error('the test database has no connection string');
  return openPostgres(url, 5);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, asserting what they need
export function json<T = any>(response: LightMyRequestResponse): T {
  return response.json() as T;
}
