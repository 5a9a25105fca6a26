import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { testEngine } from '../test/database.js';
import { withDatabase } from '../test/global-setup.js';
import { exited, startServerProcess } from '../test/server-process.js';

/**
 * Killing the server mid-write loses no acknowledged write and leaves no half-written ticket:
 * the real server process, SIGKILLed while 8 clients create tickets, then started again on
 * the same data.
 */
const ADMIN = { FIREBREAK_ADMIN_EMAIL: 'admin@crash.test', FIREBREAK_ADMIN_PASSWORD: 'correct horse battery' };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function storageEnv(): Promise<Record<string, string>> {
  if (testEngine() === 'postgres') {
    const adminUrl = inject('postgresAdminUrl');
    const name = `firebreak_crash_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    return { DATABASE_URL: withDatabase(adminUrl, name) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-crash-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { FIREBREAK_DATA_DIR: dir };
}

async function tokenFor(url: string): Promise<string> {
  const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.FIREBREAK_ADMIN_EMAIL, password: ADMIN.FIREBREAK_ADMIN_PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  const created = await fetch(`${url}/api/v1/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'crash test' }),
  });
  return ((await created.json()) as { token: string }).token;
}

describe('a server killed mid-write', () => {
  it('keeps every acknowledged ticket, whole, after a restart', async () => {
    const env = { ...ADMIN, ...(await storageEnv()) };
    const first = await startServerProcess(env);
    const token = await tokenFor(first.url);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    const acknowledged: string[] = [];
    let stop = false;
    const client = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${first.url}/api/v1/tickets`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ title: `crash ${n}-${i}`, description: 'x'.repeat(500), impact: 2, urgency: 2 }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the server died under us: this request was never acknowledged
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await exited(first.child);
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const second = await startServerProcess(env);
    cleanups.push(async () => {
      second.child.kill('SIGTERM');
      await exited(second.child);
    });
    for (const id of acknowledged) {
      const res = await fetch(`${second.url}/api/v1/tickets/${id}`, { headers });
      expect(res.status, `acknowledged ticket ${id} is missing after the crash`).toBe(200);
    }
    // No half-written ticket: every ticket that exists has its `created` event.
    let cursor: string | null = null;
    let seen = 0;
    do {
      const page = (await (
        await fetch(`${second.url}/api/v1/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers })
      ).json()) as { items: { id: string }[]; nextCursor: string | null };
      for (const ticket of page.items) {
        const timeline = (await (await fetch(`${second.url}/api/v1/tickets/${ticket.id}/timeline`, { headers })).json()) as {
          items: { type: string }[];
        };
        expect(timeline.items[0]?.type).toBe('created');
      }
      seen += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toBeGreaterThanOrEqual(acknowledged.length);
  }, 180_000);
});
