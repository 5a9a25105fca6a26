import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, type ServerProcess, startServerProcess } from '../test/server-process.js';
import { freshServerStorage } from '../test/server-storage.js';

/**
 * A graceful drain (issue 19, item 7): on SIGTERM the real server stops taking connections,
 * answers the request in flight, ends live streams with a reconnect hint, and exits 0.
 */
const ADMIN = { FIREBREAK_ADMIN_EMAIL: 'admin@drain.test', FIREBREAK_ADMIN_PASSWORD: 'correct horse battery' };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Resolves when `text` appears in the server's output (the server says what it does). */
function waitForOutput(server: ServerProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!server.output().includes(text)) return;
      server.child.stdout?.off('data', check);
      server.child.stderr?.off('data', check);
      resolve();
    };
    server.child.stdout?.on('data', check);
    server.child.stderr?.on('data', check);
    check();
  });
}

describe('SIGTERM', () => {
  it('answers a slow request in flight, ends live streams with a retry hint, refuses new connections, then exits 0', async () => {
    const storage = await freshServerStorage('drain', cleanups);
    // info: the server logs each request as it arrives, which is how the test knows it is in flight.
    const server = await startServerProcess({ ...storage, ...ADMIN, FIREBREAK_LOG_LEVEL: 'info' });
    try {
      const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.FIREBREAK_ADMIN_EMAIL, password: ADMIN.FIREBREAK_ADMIN_PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
      const stream = await fetch(`${server.url}/api/v1/events`, { headers: { cookie } });
      expect(stream.status).toBe(200);
      const streamText = stream.text();

      // A slow client: the headers and half the body now, the rest after the SIGTERM.
      const body = JSON.stringify({ email: ADMIN.FIREBREAK_ADMIN_EMAIL, password: ADMIN.FIREBREAK_ADMIN_PASSWORD });
      const url = new URL(`${server.url}/api/v1/auth/sign-in`);
      const answer = new Promise<{ status: number; cookie: string | undefined }>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'slow-in-flight-1' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0] }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        waitForOutput(server, 'slow-in-flight-1')
          .then(() => {
            server.child.kill('SIGTERM');
            return waitForOutput(server, 'SIGTERM received');
          })
          .then(async () => {
            // The server no longer takes connections: a new request is refused or answered 503, never served.
            const late = await fetch(`${server.url}/api/v1/health`).then(
              (res) => res.status,
              () => 'refused',
            );
            expect([503, 'refused']).toContain(late);
            req.end(body.slice(10));
          })
          .catch(reject);
      });
      const { status, cookie: granted } = await answer;
      expect(status, server.output()).toBe(200);
      expect(granted).toMatch(/^firebreak_session=/);
      expect(await streamText).toMatch(/retry: 1000\nevent: closing\n/);
      expect(await exited(server.child), server.output()).toBe(0);
      expect(server.output()).toContain('Firebreak stopped.');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 360_000);
});
