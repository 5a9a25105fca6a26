import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import type { Database } from './client.js';
import { jobs } from './schema/index.js';

/**
 * Migration 0032: a desk upgraded from a version that parked "e-mail out is off" mails as dead
 * finds them held (not sent, not failed work), while real failures stay dead.
 */
describe('migration 0032: mails parked as dead while e-mail out was off become held', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('moves exactly those mails, and leaves real failures and other kinds alone', async () => {
    const at = new Date('2026-03-02T08:00:00Z');
    const old = 'not sent: e-mail out is off (set FIREBREAK_SMTP_URL to send e-mail)';
    const row = (id: string, kind: string, lastError: string) => ({
      id,
      kind,
      payload: {},
      state: 'dead' as const,
      runAt: at,
      attempts: 1,
      createdAt: at,
      finishedAt: at,
      lastError,
    });
    await database.db
      .insert(jobs)
      .values([
        row('notification.deliver:a', 'notification.deliver', old),
        row('notification.digest:b', 'notification.digest', old),
        row('notification.deliver:c', 'notification.deliver', 'connect ECONNREFUSED 127.0.0.1:25'),
        row('sla.check:d', 'sla.check', old),
      ]);
    const migration = fs.readFileSync(new URL('./migrations/0032_held_mail_jobs.sql', import.meta.url), 'utf8');
    await database.db.execute(sql.raw(migration));
    const states = await database.db.select({ id: jobs.id, state: jobs.state, lastError: jobs.lastError }).from(jobs).orderBy(jobs.id);
    expect(states).toEqual([
      { id: 'notification.deliver:a', state: 'held', lastError: 'not sent: e-mail out was off' },
      { id: 'notification.deliver:c', state: 'dead', lastError: 'connect ECONNREFUSED 127.0.0.1:25' },
      { id: 'notification.digest:b', state: 'held', lastError: 'not sent: e-mail out was off' },
      { id: 'sla.check:d', state: 'dead', lastError: old },
    ]);
  });
});
