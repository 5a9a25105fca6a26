import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/database.js';
import { exited, type ServerProcess, startServerProcess } from '../../../test/server-process.js';
import { freshServerStorage } from '../../../test/server-storage.js';

/**
 * Security review, finding 1: the NUL check walked a raw upload's Buffer byte by byte, so one
 * 10 MiB attachment froze the server for over a minute and took ~1 GB. Here the real server
 * takes a 10 MiB attachment over real HTTP while /health is asked every few milliseconds: every
 * answer must come within 200 ms of the slowest answer of the same server left idle in the same
 * run (the machine's own noise), and the server's memory may grow by a small multiple of the file.
 * The same holds while the file is downloaded again.
 */
const ADMIN = { FIREBREAK_ADMIN_EMAIL: 'admin@upload.test', FIREBREAK_ADMIN_PASSWORD: 'correct horse battery' };
const FILE_BYTES = 10 * 1024 * 1024;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Resident memory of a process, in bytes (Linux). */
function residentBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

async function tokenFor(server: ServerProcess): Promise<string> {
  const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.FIREBREAK_ADMIN_EMAIL, password: ADMIN.FIREBREAK_ADMIN_PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  const created = await fetch(`${server.url}/api/v1/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'upload test' }),
  });
  return ((await created.json()) as { token: string }).token;
}

describe.runIf(process.platform === 'linux')('a 10 MiB attachment on the real server', () => {
  it('neither blocks other requests nor grows memory by more than a few times the file', async () => {
    const server = await startServerProcess({
      ...ADMIN,
      ...(await freshServerStorage('upload', cleanups)),
      FIREBREAK_ATTACHMENT_MAX_BYTES: String(2 * FILE_BYTES),
    });
    cleanups.push(async () => {
      server.child.kill('SIGTERM');
      await exited(server.child);
    });
    const pid = server.child.pid as number;
    const auth = { authorization: `Bearer ${await tokenFor(server)}` };
    const created = await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Logs of the crash' }),
    });
    expect(created.status).toBe(201);
    const ticketId = ((await created.json()) as { id: string }).id;
    // Text, so that whatever file types the server accepts, a log file is one of them.
    const line = 'INFO 2026-03-02T08:00:00Z worker 7 finished a job that took 12 ms and wrote 3 rows\n';
    const file = Buffer.from(line.repeat(Math.ceil(FILE_BYTES / line.length)).slice(0, FILE_BYTES));

    const baseline = residentBytes(pid);
    let peak = baseline;
    /** Asks /health every few milliseconds while `work` runs (and a little after): the answers' times. */
    const healthDuring = async <T>(work: () => Promise<T>): Promise<{ result: T; times: number[]; ms: number }> => {
      const times: number[] = [];
      let busy = true;
      const poller = (async () => {
        while (busy) {
          const started = performance.now();
          const res = await fetch(`${server.url}/api/v1/health`);
          await res.arrayBuffer();
          times.push(performance.now() - started);
          expect(res.status).toBe(200);
          peak = Math.max(peak, residentBytes(pid));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const started = performance.now();
      const result = await work();
      const ms = performance.now() - started;
      // Keep asking a little after the answer: work left behind (a walk, a copy) would show here.
      await new Promise((resolve) => setTimeout(resolve, 300));
      busy = false;
      await poller;
      peak = Math.max(peak, residentBytes(pid));
      return { result, times, ms };
    };

    // The baseline, measured in the same run: how slow /health is with nothing else to do, on this
    // machine now (other test files, CI's second worker and garbage collection all show up here).
    // It is measured before the file and again after it, each time for at least as long as the
    // file took, so that a burst of load from elsewhere during the upload is seen in a baseline too
    // (a 2-second window before it alone once missed one, and CI failed on 277 ms against 239).
    const idleFor = (ms: number) => healthDuring(() => new Promise((resolve) => setTimeout(resolve, ms)));
    const idleBefore = await idleFor(2_000);
    const upload = await healthDuring(async () => {
      const res = await fetch(`${server.url}/api/v1/tickets/${ticketId}/attachments`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain', 'x-filename': 'crash.log' },
        body: file,
      });
      return { status: res.status, answer: await res.text() };
    });
    expect(upload.result.status, upload.result.answer).toBe(201);
    const saved = JSON.parse(upload.result.answer) as { id: string; size: number };
    expect(saved.size).toBe(FILE_BYTES);

    const download = await healthDuring(async () => {
      const res = await fetch(`${server.url}/api/v1/attachments/${saved.id}`, { headers: auth });
      return { status: res.status, length: res.headers.get('content-length'), body: Buffer.from(await res.arrayBuffer()) };
    });
    expect(download.result.status).toBe(200);
    expect(download.result.length).toBe(String(FILE_BYTES));
    expect(download.result.body.equals(file)).toBe(true);
    const idleAfter = await idleFor(Math.max(2_000, upload.ms, download.ms));
    const idle = { times: [...idleBefore.times, ...idleAfter.times] };

    const slowest = (times: number[]) => Math.round(Math.max(...times));
    console.info(
      `10 MiB on ${testEngine()}: idle /health slowest ${slowest(idle.times)} ms; upload ${Math.round(upload.ms)} ms, /health asked ${upload.times.length} times, slowest ${slowest(upload.times)} ms; ` +
        `download ${Math.round(download.ms)} ms, /health asked ${download.times.length} times, slowest ${slowest(download.times)} ms; ` +
        `server memory ${Math.round(baseline / 2 ** 20)} MiB → peak ${Math.round(peak / 2 ** 20)} MiB (+${Math.round((peak - baseline) / 2 ** 20)} MiB)`,
    );
    expect(upload.times.length).toBeGreaterThan(5);
    expect(download.times.length).toBeGreaterThan(1);
    // On both engines nothing may wait long: PostgreSQL stores the file in its own process, and the
    // embedded engine (PGlite, on the server's own thread) takes it in 256 KiB parts, serving other
    // requests between them (one 10 MiB statement held it for ~0.5 s).
    // The bound is 200 ms beyond the machine's own slowest idle answer: on a quiet machine that is
    // the review's 200 ms; on a loaded one, load that also slows an idle server is not the file's doing.
    const bound = 200 + slowest(idle.times);
    expect(slowest(upload.times)).toBeLessThan(bound);
    expect(slowest(download.times)).toBeLessThan(bound);
    expect(peak - baseline).toBeLessThan(8 * FILE_BYTES);
  }, 420_000); // a start of up to 300 s (SERVER_START_CEILING_MS), and 120 s for the rest
});
