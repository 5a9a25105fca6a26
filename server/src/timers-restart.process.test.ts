import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../test/database.js';
import { openLiveStream } from '../test/live-stream-client.js';
import { exited, type ServerProcess, startServerProcess } from '../test/server-process.js';

/**
 * A timer that falls due while the server is down fires when it comes back: the real server is
 * SIGKILLed with an SLA warning pending, kept down past its due time, and started again.
 */
const ADMIN = { FIREBREAK_ADMIN_EMAIL: 'admin@timers.test', FIREBREAK_ADMIN_PASSWORD: 'correct horse battery' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-timers-'));
let running: ServerProcess | undefined;
afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGTERM');
    await exited(running.child);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function api(server: ServerProcess, cookie: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: { type: string }[] } };
}

async function signIn(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.FIREBREAK_ADMIN_EMAIL, password: ADMIN.FIREBREAK_ADMIN_PASSWORD }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

/** When the ticket's SLA warning falls due, as the server says (its resolution target's warnAt). */
async function warningDue(server: ServerProcess, cookie: string, ticketId: string): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/tickets/${ticketId}/sla`, { headers: { cookie } });
  const { items } = (await res.json()) as { items: { warnAt: string | null }[] };
  const warnAt = items.find((t) => t.warnAt !== null)?.warnAt;
  if (!warnAt) throw new Error(`the ticket has no SLA warning due: ${JSON.stringify(items)}`);
  return Date.parse(warnAt);
}

/** Waits until the wall clock (the real server keeps real time) is a little past `instant`. */
async function untilPast(instant: number): Promise<void> {
  const left = instant - Date.now() + 500;
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

describe.runIf(testEngine() === 'pglite')('a timer due while the server was down', () => {
  it('fires once within seconds of the restart', async () => {
    const env = { ...ADMIN, FIREBREAK_DATA_DIR: dir };
    const first = await startServerProcess(env);
    running = first;
    const cookie = await signIn(first);
    // A 1-minute resolution target warning at 10%: due 6 s after the ticket is reported.
    const policy = await api(first, cookie, 'POST', '/api/v1/sla-policies', { name: 'Fast', resolutionMinutes: 1, warnPercent: 10 });
    expect(policy.status).toBe(201);
    const ticket = await api(first, cookie, 'POST', '/api/v1/tickets', { title: 'Core switch down', impact: 1, urgency: 1 });
    expect(ticket.status).toBe(201);
    const warnAt = await warningDue(first, cookie, ticket.body.id as string);
    first.child.kill('SIGKILL');
    await exited(first.child);

    await untilPast(warnAt); // the warning falls due while nothing runs
    const second = await startServerProcess(env);
    running = second;
    const cookie2 = await signIn(second);
    // Listening before reading: a warning fired before the stream opened is in the timeline, one after it is announced.
    const stream = await openLiveStream(second.url, { cookie: cookie2 });
    const timeline = async () =>
      ((await api(second, cookie2, 'GET', `/api/v1/tickets/${ticket.body.id}/timeline`)).body.items ?? []).map((e) => e.type);
    let types: string[];
    try {
      types = await timeline();
      if (!types.includes('sla_warning')) {
        await stream.waitFor((e) => e.event === 'ticket' && e.data.ticketId === ticket.body.id && e.data.type === 'sla_warning', 30_000);
        types = await timeline();
      }
    } finally {
      stream.close();
    }
    expect(types).toEqual(['created', 'sla_warning']);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 720_000); // two starts of up to 300 s each (SERVER_START_CEILING_MS), and 120 s for the rest
});
