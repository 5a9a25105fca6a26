import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../test/database.js';
import { type LiveStreamClient, openLiveStream } from '../test/live-stream-client.js';
import { exited, type ServerProcess, startServerProcess } from '../test/server-process.js';
import { freshServerStorage } from '../test/server-storage.js';
import { message, swaks } from '../test/swaks.js';

/**
 * Scale-out (issue 19, item 3): three real server processes on one PostgreSQL behind Debian's
 * HAProxy, configured by the README's own HAProxy block. Clients create tickets through HAProxy
 * while one process is SIGKILLed: nothing acknowledged is lost, live updates still cross between
 * the survivors, SLA timers each fire once, and alerts and mail keep becoming tickets.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HAPROXY = '/usr/sbin/haproxy';
const skipReason =
  testEngine() !== 'postgres'
    ? 'several processes need PostgreSQL; the embedded database serves one process (run with DATABASE_URL)'
    : !fs.existsSync(HAPROXY)
      ? `${HAPROXY} is not installed; apt-get install haproxy`
      : null;
if (skipReason) console.log(`scale-out behind HAProxy: SKIPPED: ${skipReason}`);

const ADMIN = { FIREBREAK_ADMIN_EMAIL: 'admin@scale.test', FIREBREAK_ADMIN_PASSWORD: 'correct horse battery' };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The README's HAProxy configuration, with its three machines and its ports put on loopback. */
function readmeHaproxyConfig(web: number, smtp: number, servers: { http: number; smtp: number }[]): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- haproxy\.cfg: the scale-out test reads this block -->\n```haproxy\n([\s\S]*?)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no HAProxy block after its "haproxy.cfg" marker');
  const config = block
    .replace(/^(\s*bind) :80$/m, `$1 127.0.0.1:${web}`)
    .replace(/^(\s*bind) :25$/m, `$1 127.0.0.1:${smtp}`)
    .replace(/10\.0\.0\.1([1-3]):3000/g, (_, n) => `127.0.0.1:${servers[Number(n) - 1]?.http}`)
    .replace(/10\.0\.0\.1([1-3]):2525/g, (_, n) => `127.0.0.1:${servers[Number(n) - 1]?.smtp}`);
  // Each replacement must have happened, or the test would quietly run some other configuration.
  expect(config).not.toMatch(/10\.0\.0\.|bind :/);
  return config;
}

/** The SMTP listener's port, from the line the server prints just after "running at". */
function smtpPortOf(server: ServerProcess): Promise<number> {
  const pattern = /E-mail in: SMTP on 127\.0\.0\.1:(\d+)/;
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = pattern.exec(server.output())?.[1];
      if (!port) return;
      server.child.stdout?.off('data', check);
      resolve(Number(port));
    };
    server.child.stdout?.on('data', check);
    server.child.once('exit', () => reject(new Error(`the server exited before naming its SMTP port:\n${server.output()}`)));
    check();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts HAProxy in the foreground on `config`; resolves once requests through it are answered. */
async function startHaproxy(config: string, url: string): Promise<ChildProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-haproxy-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, `${config}\n`);
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
  });
  // Ready when it answers; until it has bound its port, connecting is refused. Each refusal
  // is retried at once (a short pause keeps it from spinning), bounded by a ceiling.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}`);
    const status = await fetch(`${url}/api/v1/ready`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return child;
    if (Date.now() > deadline) throw new Error(`haproxy did not answer within 30 s (last status ${status}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.FIREBREAK_ADMIN_EMAIL, password: ADMIN.FIREBREAK_ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function post(url: string, cookie: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/**
 * Probes again at every live announcement until `probe` answers (a new ticket, a fired timer
 * are each announced), never on a timer; `ceilingMs` bounds a wait for something that never comes.
 */
async function eventually<T>(stream: LiveStreamClient, what: string, probe: () => Promise<T | undefined>, ceilingMs = 60_000): Promise<T> {
  const deadline = Date.now() + ceilingMs;
  for (;;) {
    const seen = stream.events.length;
    const value = await probe();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${what}: not seen within ${ceilingMs / 1000} s`);
    await stream.waitFor(() => stream.events.length > seen, left).catch(() => undefined);
  }
}

describe.skipIf(skipReason !== null)('three processes behind HAProxy on one PostgreSQL', () => {
  it('loses no acknowledged write when one is SIGKILLed mid-load; live updates, timers and intake carry on', async () => {
    const storage = await freshServerStorage('scale', cleanups);
    const env = {
      ...storage,
      ...ADMIN,
      FIREBREAK_SMTP_LISTEN_PORT: '0',
      FIREBREAK_SUPPORT_ADDRESS: 'support@firebreak.test',
      FIREBREAK_TRUST_PROXY: '127.0.0.1',
    };
    // The first start creates the admin; the other two then start beside it, as machines would.
    const servers: ServerProcess[] = [await startServerProcess(env)];
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    for (const s of servers) {
      cleanups.push(async () => {
        if (s.child.exitCode === null && s.child.signalCode === null) {
          s.child.kill('SIGTERM');
          await exited(s.child);
        }
      });
    }
    const ports = await Promise.all(servers.map(async (s) => ({ http: Number(new URL(s.url).port), smtp: await smtpPortOf(s) })));
    const [webPort, smtpPort] = [await freePort(), await freePort()];
    const lb = `http://127.0.0.1:${webPort}`;
    await startHaproxy(readmeHaproxyConfig(webPort, smtpPort, ports), lb);

    const db = new pg.Client({ connectionString: storage.DATABASE_URL });
    await db.connect();
    cleanups.push(() => db.end());
    const cookie = await signIn(lb);
    // Priority 1 tickets get an SLA whose warning falls due 6 s after they are reported (10% of a
    // minute); the load's priority 5 tickets get none, so the only timers are the ones counted.
    const policy = await post(`${lb}/api/v1/sla-policies`, cookie, {
      name: 'P1 fast',
      match: { priorities: [1] },
      resolutionMinutes: 1,
      warnPercent: 10,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const integration = await post(`${lb}/api/v1/integrations`, cookie, { name: 'Monitoring', source: 'generic' });
    expect(integration.status).toBe(201);
    const [a, b, victim] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const [streamA, streamB, streamVictim] = await Promise.all(servers.map((s) => openLiveStream(s.url, { cookie })));
    cleanups.push(() => {
      for (const s of [streamA, streamB, streamVictim]) s?.close();
    });

    const createP1 = async (title: string) => {
      const res = await post(`${lb}/api/v1/tickets`, cookie, { title, impact: 1, urgency: 1 });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const warned = (ids: string[]) => (e: { event: string; data: { ticketId?: string; type?: string } }) =>
      e.event === 'ticket' && e.data.type === 'sla_warning' && ids.includes(e.data.ticketId ?? '');
    const allWarned = (stream: LiveStreamClient, ids: string[]) =>
      eventually(stream, 'every SLA warning', async () =>
        ids.every((id) => stream.events.some((e) => warned([id])(e))) ? true : undefined,
      );

    // Timers due before the kill, fired by whichever processes claim them.
    const before = await Promise.all([1, 2, 3, 4].map((n) => createP1(`Before the kill ${n}`)));
    await allWarned(streamA, before);

    // Write load: six clients creating tickets through HAProxy until told to stop.
    const acknowledged: string[] = [];
    let unanswered = 0;
    let stopLoad = false;
    const progress = new Set<() => void>();
    const untilAcknowledged = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (acknowledged.length < n) return;
          progress.delete(check);
          resolve();
        };
        progress.add(check);
        check();
      });
    const client = async (c: number) => {
      for (let i = 0; !stopLoad; i++) {
        try {
          const res = await fetch(`${lb}/api/v1/tickets`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ title: `Load ${c}-${i}`, impact: 3, urgency: 3 }),
          });
          const body = (await res.json().catch(() => ({}))) as { id?: string };
          if (res.status === 201 && body.id) acknowledged.push(body.id);
          else unanswered++;
        } catch {
          unanswered++; // the connection died with the process: not acknowledged, so not counted
        }
        for (const check of [...progress]) check();
      }
    };
    const load = Promise.all([1, 2, 3, 4, 5, 6].map(client));
    await untilAcknowledged(60);
    // Timers due after the kill: reported now, due in 6 s, so no process has claimed them yet.
    const after = await Promise.all([1, 2, 3, 4].map((n) => createP1(`After the kill ${n}`)));
    victim.child.kill('SIGKILL');
    await exited(victim.child);
    const atKill = acknowledged.length;
    await untilAcknowledged(atKill + 60);
    stopLoad = true;
    await load;

    // Live updates cross between the survivors: a change through each reaches the other's browser.
    const throughA = await post(`${a.url}/api/v1/tickets`, cookie, { title: 'Made through A', impact: 3, urgency: 3 });
    const throughB = await post(`${b.url}/api/v1/tickets`, cookie, { title: 'Made through B', impact: 3, urgency: 3 });
    expect([throughA.status, throughB.status]).toEqual([201, 201]);
    const created = (id: unknown) => (e: { event: string; data: { ticketId?: string; type?: string } }) =>
      e.event === 'ticket' && e.data.ticketId === id && e.data.type === 'created';
    await streamB.waitFor(created(throughA.body.id), 30_000);
    await streamA.waitFor(created(throughB.body.id), 30_000);
    expect(streamVictim.ended).toBe(true);

    // Intake after the kill: an alert through HAProxy, and a mail through its SMTP frontend.
    const alert = await fetch(`${lb}${integration.body.alertsPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integration.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ summary: 'Disk full on db-2 after the kill', fingerprint: 'scale-out-disk' }),
    });
    expect(alert.status).toBe(202);
    const alertTicket = await eventually(streamA, 'a ticket for the alert', async () => {
      const { rows } = await db.query(`SELECT ticket_id FROM alerts WHERE fingerprint = 'scale-out-disk'`);
      return rows[0]?.ticket_id ?? undefined;
    });
    expect(alertTicket).toEqual(expect.any(String));
    const mail = await swaks(smtpPort, {
      data: message({ From: 'pat@example.test', To: 'support@firebreak.test', Subject: 'VPN down after the kill' }, 'Since 9:00.'),
    });
    expect(mail.code, mail.transcript).toBe(0);
    await eventually(streamA, 'a ticket for the mail', async () => {
      const { rows } = await db.query(`SELECT id FROM tickets WHERE title = 'VPN down after the kill'`);
      return rows[0]?.id ?? undefined;
    });

    // Every acknowledged creation is in the database, once.
    const { rows: stored } = await db.query('SELECT count(*)::int AS n FROM tickets WHERE id = ANY($1::uuid[])', [acknowledged]);
    expect(stored[0].n).toBe(new Set(acknowledged).size);
    expect(acknowledged.length).toBe(new Set(acknowledged).size);

    // Each SLA warning, before and after the kill, fired exactly once.
    await allWarned(streamA, after);
    const { rows: warnings } = await db.query(
      `SELECT ticket_id, count(*)::int AS n FROM timeline_events WHERE type = 'sla_warning' AND ticket_id = ANY($1::uuid[]) GROUP BY ticket_id`,
      [[...before, ...after]],
    );
    expect(Object.fromEntries(warnings.map((r) => [r.ticket_id, r.n]))).toEqual(
      Object.fromEntries([...before, ...after].map((id) => [id, 1])),
    );
    console.log(
      `scale-out: ${acknowledged.length} creations acknowledged (${acknowledged.length - atKill} after the SIGKILL), ${unanswered} not acknowledged, all acknowledged ones stored`,
    );

    for (const s of [a, b]) s.child.kill('SIGTERM');
    expect(await Promise.all([exited(a.child), exited(b.child)])).toEqual([0, 0]);
  }, 900_000); // three starts of up to 300 s each (SERVER_START_CEILING_MS) on a loaded machine, and the rest
});
