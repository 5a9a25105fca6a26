import { randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { MAX_STREAMS_PER_PERSON } from './routes/events.routes.js';

/**
 * Security review (issue 11), findings 13, 14 and 16 at the HTTP edge: slow clients are cut off
 * and live streams are capped per person; secrets in query strings never reach the log; API
 * answers are not cached; the docs page has a CSP; only known Host names are answered.
 */

let t: TestApp;
let agent: TestUser;
const logs: string[] = [];

beforeAll(async () => {
  t = await createTestApp({
    logs,
    logLevel: 'info',
    config: {
      allowedHosts: ['help.example.com', 'localhost', '127.0.0.1', '[::1]'],
      // Short deadlines, checked often, so a slow client is cut off within the test.
      timeouts: { headersMs: 500, requestMs: 1000, idleMs: 60_000, checkIntervalMs: 100 },
    },
  });
  agent = await t.user('agent');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

const baseUrl = () => `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

describe('secrets in query strings (finding 14)', () => {
  it('logs the calendar feed and page acknowledge requests with their token redacted', async () => {
    const secrets = [`calendar-${randomUUID()}`, `ack-${randomUUID()}`];
    await t.app.inject({ method: 'GET', url: `/api/v1/schedules/${randomUUID()}/calendar.ics?token=${secrets[0]}` });
    await t.app.inject({ method: 'GET', url: `/api/v1/pages/acknowledge?token=${secrets[1]}&x=1` });
    const lines = logs.join('\n');
    expect(lines).toContain('/calendar.ics?token=[redacted]');
    expect(lines).toContain('/api/v1/pages/acknowledge?token=[redacted]&x=1');
    for (const secret of secrets) expect(lines).not.toContain(secret);
  });
});

describe('caching of API answers (finding 16)', () => {
  it('marks API answers no-store, but not health, the OpenAPI document or the docs', async () => {
    for (const url of ['/api/v1/me', '/api/v1/tickets', '/api/v1/no-such-thing']) {
      const res = await t.app.inject({ method: 'GET', url, headers: agent.headers });
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const unauthenticated = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['cache-control']).toBe('no-store');
    for (const url of ['/api/v1/health', '/api/v1/openapi.json', '/api/v1/docs/static/swagger-ui.css']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'] ?? '', url).not.toContain('no-store');
    }
  });
});

describe('the API docs page (finding 16)', () => {
  it('is served with a Content-Security-Policy that allows only its own scripts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe('Host allow-list against DNS rebinding (finding 16)', () => {
  it('refuses a Host it does not answer to with 400 naming Host, and answers its own names', async () => {
    for (const host of ['evil.example', 'help.example.com.evil.example', '10.0.0.5:3000']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { ...agent.headers, host } });
      expect(res.statusCode, host).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).errors).toEqual([{ field: 'Host', message: 'is not a name this server answers to (FIREBREAK_ALLOWED_HOSTS)' }]);
    }
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { host: 'attacker.example' },
      payload: { email: agent.user.email, password: 'whatever it is' },
    });
    expect(signIn.statusCode).toBe(400);
    for (const host of ['help.example.com', 'HELP.example.com:443', 'localhost:3000', '127.0.0.1']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { ...agent.headers, host } });
      expect(res.statusCode, host).toBe(200);
    }
    // Probes ask for health by address.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/health', headers: { host: '10.1.2.3:8080' } })).statusCode).toBe(200);
  });
});

/** Opens the live stream over real HTTP; resolves with the response once its headers arrived. */
async function openStream(user: TestUser, signal: AbortSignal): Promise<Response> {
  return fetch(`${baseUrl()}/api/v1/events`, { headers: { ...user.headers, accept: 'text/event-stream' }, signal });
}

describe('live streams per person (finding 13)', () => {
  it(`refuses the ${MAX_STREAMS_PER_PERSON + 1}th stream of one person with 429, and takes one again once a stream closes`, async () => {
    const person = await t.user('agent');
    const other = await t.user('requester');
    const controllers = Array.from({ length: MAX_STREAMS_PER_PERSON }, () => new AbortController());
    try {
      const open = await Promise.all(controllers.map((c) => openStream(person, c.signal)));
      expect(open.map((r) => r.status)).toEqual(Array(MAX_STREAMS_PER_PERSON).fill(200));
      const refused = new AbortController();
      const extra = await openStream(person, refused.signal);
      expect(extra.status).toBe(429);
      expect(extra.headers.get('content-type')).toContain('application/problem+json');
      expect(((await extra.json()) as { detail: string }).detail).toContain(`${MAX_STREAMS_PER_PERSON} live streams`);
      // Someone else is not affected.
      const theirs = new AbortController();
      expect((await openStream(other, theirs.signal)).status).toBe(200);
      theirs.abort();
      // Closing one makes room (the server notices the close; wait for it, not for a fixed time).
      controllers[0].abort();
      while (t.events.streamsOf(person.user.id) >= MAX_STREAMS_PER_PERSON) await new Promise((resolve) => setImmediate(resolve));
      const again = new AbortController();
      controllers.push(again);
      expect((await openStream(person, again.signal)).status).toBe(200);
    } finally {
      for (const c of controllers) c.abort();
    }
  });
});

describe('slow clients (finding 13)', () => {
  /** Opens a raw connection, sends `first`, then drips `drip` one byte at a time until the server closes it. */
  function slowClient(first: string, drip: string): Promise<{ closed: boolean; answer: string }> {
    return new Promise((resolve) => {
      const socket = net.connect((t.app.server.address() as AddressInfo).port, '127.0.0.1');
      let answer = '';
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      socket.on('data', (chunk) => {
        answer += chunk;
      });
      socket.on('connect', () => {
        socket.write(first);
        timer = setInterval(() => {
          if (sent >= drip.length) {
            // Dripped everything and was never cut off.
            clearInterval(timer);
            socket.destroy();
            resolve({ closed: false, answer });
            return;
          }
          socket.write(drip[sent++]);
        }, 100);
      });
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ closed: true, answer });
      });
      socket.on('error', () => {});
    });
  }

  it('cuts off a client that sends its headers too slowly', async () => {
    // 300 header bytes at 10 a second would take 30 s; the deadline for headers is 0.5 s here.
    const result = await slowClient('GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n', `X-Slow: ${'a'.repeat(290)}\r\n\r\n`);
    expect(result.closed).toBe(true);
    expect(result.answer).not.toContain('"status":"ok"');
  });

  it('cuts off a client that sends its body too slowly, and keeps the live stream open meanwhile', async () => {
    const stream = new AbortController();
    const live = await openStream(agent, stream.signal);
    expect(live.status).toBe(200);
    const reader = (live.body as ReadableStream<Uint8Array>).getReader();
    let streamEnded = false;
    const drain = (async () => {
      for (;;) {
        const { done } = await reader.read().catch(() => ({ done: true }));
        if (done) break;
      }
      streamEnded = true;
    })();
    const body = JSON.stringify({ title: 'x'.repeat(280) });
    const result = await slowClient(
      `POST /api/v1/tickets HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${agent.headers.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(result.closed).toBe(true);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408/);
    // The live stream outlived the request deadline: it is long-lived by design.
    expect(streamEnded).toBe(false);
    expect(t.events.streamsOf(agent.user.id)).toBe(1);
    stream.abort();
    await drain;
  });
});
