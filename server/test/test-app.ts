import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../core/vocabulary.js';
import { FakeClock } from '../src/adapters/clock.js';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';
import { EventHub } from '../src/live/event-hub.js';
import type { UserRow } from '../src/repositories/users.repository.js';
import { createApiToken } from '../src/services/auth.service.js';
import { createUser } from '../src/services/directory.service.js';
import { createTestDatabase } from './database.js';

export interface TestUser {
  user: UserRow;
  /** Headers that authenticate as this user (a bearer API token). */
  headers: { authorization: string };
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: FakeClock;
  deps: { db: Database['db']; clock: FakeClock };
  /** The app's live-stream hub: tests announce to it or end its streams. */
  events: EventHub;
  /** A new active user of this role with an API token; `password` enables sign-in. */
  user(role: Role, overrides?: { email?: string; name?: string; password?: string }): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestApp(options: { bodyLimitBytes?: number; logs?: string[]; smtpUrl?: string } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = new FakeClock('2026-03-02T08:00:00Z');
  const events = new EventHub();
  const app = await buildApp({
    database,
    clock,
    events,
    // Tests that read the log pass an array: each warning or error line lands in it.
    ...(options.logs ? { logger: { level: 'warn', stream: { write: (line: string) => options.logs?.push(line) } } } : {}),
    config: {
      sessionHours: 12,
      secureCookies: false,
      bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576,
      trustProxy: false,
      mail: { smtpUrl: options.smtpUrl },
    },
  });
  const deps = { db: database.db, clock };
  return {
    app,
    database,
    clock,
    deps,
    events,
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
      await database.close();
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, asserting what they need
export function json<T = any>(response: LightMyRequestResponse): T {
  return response.json() as T;
}
