import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { createOutboundGuard, type ResolvedAddress } from '../../adapters/outbound-guard.js';
import { networkProber, type Prober } from '../../adapters/prober.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

/**
 * Issue 11, finding 5: checks and webhooks must not reach this machine or private networks unless
 * the operator allows it (FIREBREAK_ALLOW_PRIVATE_TARGETS). Refused when configured (422 naming
 * the field) and again at every probe (a failed probe with the reason, never a connection).
 */
let t: TestApp; // a real server's default: nothing private allowed
let admin: TestUser;
let web: Server;
let port: number;
const seen: { host: string | undefined; headers: IncomingHttpHeaders }[] = [];
let tcpConnections = 0;
let tcp: net.Server;
let tcpPort: number;

beforeAll(async () => {
  t = await createTestApp({ allowPrivateTargets: [] });
  admin = await t.user('admin');
  web = createServer((req, res) => {
    seen.push({ host: req.headers.host, headers: req.headers });
    res.end('status: ok');
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  port = (web.address() as net.AddressInfo).port;
  tcp = net.createServer((socket) => {
    tcpConnections += 1;
    socket.end();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => web.close(r));
  await new Promise((r) => tcp.close(r));
  await t.close();
});

const post = (url: string, payload: Record<string, unknown>, app = t) =>
  app.app.inject({ method: 'POST', url, headers: admin.headers, payload });

describe('configuring a check or a webhook', () => {
  it.each([
    ['http', 'http://127.0.0.1:8080/health', 'The address 127.0.0.1 is on this machine (loopback)'],
    ['http', 'http://[::1]/', 'The address ::1 is on this machine (loopback)'],
    ['http', 'http://[::ffff:127.0.0.1]/', 'The address ::ffff:7f00:1 is on this machine (loopback)'],
    ['http', 'http://169.254.169.254/latest/meta-data/', 'The address 169.254.169.254 is on a link-local network'],
    ['http', 'http://10.1.2.3/', 'The address 10.1.2.3 is on a private network (RFC 1918)'],
    ['http', 'http://0.0.0.0:5432/', 'The address 0.0.0.0 is unspecified'],
    ['http', 'http://2130706433/', 'The address 127.0.0.1 is on this machine (loopback)'],
    ['http', 'http://localhost:3000/', 'localhost resolves to'],
    ['tcp', '127.0.0.1:22', 'The address 127.0.0.1 is on this machine (loopback)'],
    ['tcp', '[fd00::1]:5432', 'The address fd00::1 is on a private network (IPv6 unique-local)'],
    ['tcp', '100.64.0.1:6379', 'carrier-grade NAT'],
  ])('refuses a %s check of %s with 422 naming the target and the setting', async (kind, target, reason) => {
    const res = await post('/api/v1/checks', { name: 'Inside', kind, target });
    expect(res.statusCode, res.body).toBe(422);
    expect(json(res).errors).toEqual([{ field: 'target', message: expect.stringContaining(reason) }]);
    expect(json(res).errors[0].message).toMatch(/allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS$/);
  });

  it('refuses a private webhook URL, naming the host but never the URL’s path (a chat webhook’s secret)', async () => {
    const res = await post('/api/v1/webhooks', { name: 'Internal chat', url: 'http://localhost:8065/hooks/s3cr3t-token', format: 'slack' });
    expect(res.statusCode, res.body).toBe(422);
    expect(json(res).errors).toEqual([
      { field: 'url', message: expect.stringMatching(/^localhost resolves to .* FIREBREAK_ALLOW_PRIVATE_TARGETS$/) },
    ]);
    expect(res.body).not.toContain('s3cr3t');
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin.headers })).items).toEqual([]);
  });

  it('refuses moving an existing check to a private target, and leaves it as it was', async () => {
    const check = json(await post('/api/v1/checks', { name: 'Public', kind: 'http', target: 'https://status.example.test/' }));
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/checks/${check.id}`,
      headers: admin.headers,
      payload: { target: 'http://169.254.169.254/' },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(json(res).errors[0].field).toBe('target');
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/checks/${check.id}`, headers: admin.headers }));
    expect(after.target).toBe('https://status.example.test/');
  });

  it('accepts what FIREBREAK_ALLOW_PRIVATE_TARGETS allows, and only that', async () => {
    const allowing = await createTestApp({ allowPrivateTargets: ['10.0.0.0/8', '127.0.0.2'] });
    try {
      const boss = await allowing.user('admin');
      const create = (target: string) =>
        allowing.app.inject({
          method: 'POST',
          url: '/api/v1/checks',
          headers: boss.headers,
          payload: { name: 'Inside', kind: 'tcp', target },
        });
      expect((await create('10.20.30.40:5432')).statusCode).toBe(201);
      expect((await create('127.0.0.2:22')).statusCode).toBe(201);
      expect((await create('127.0.0.1:22')).statusCode).toBe(422);
      expect((await create('192.168.1.1:22')).statusCode).toBe(422);
    } finally {
      await allowing.close();
    }
  });
});

describe('probing', () => {
  const sweep = (prober?: Prober) => runDueJobs(t.deps, buildJobRegistry({ ...NO_DELIVERY, prober }), WORKER_OPTIONS);
  const results = async (id: string) =>
    json(await t.app.inject({ method: 'GET', url: `/api/v1/checks/${id}/results`, headers: admin.headers })).items;
  /** A check configured while its name did not resolve (or on a server that allowed it), probed by the default. */
  const checkOf = async (kind: string, target: string) => {
    const res = await post('/api/v1/checks', { name: `Probe ${Math.random()}`, kind, target, intervalSeconds: 3600 });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };
  /** A name that DNS would answer with a private address by the time of the probe. */
  const rebinding = (addresses: ResolvedAddress[]) => {
    const calls: string[] = [];
    return {
      calls,
      prober: networkProber(
        createOutboundGuard({
          allow: [],
          resolver: async (host) => {
            calls.push(host);
            return addresses;
          },
        }),
      ),
    };
  };

  it('fails the probe with the reason, and never connects, when the name resolves to a private address', async () => {
    const check = await checkOf('http', `http://shop.example.test:${port}/health`);
    const { prober, calls } = rebinding([{ address: '127.0.0.1', family: 4 }]);
    seen.length = 0;
    await sweep(prober);
    expect(calls).toContain('shop.example.test');
    expect(await results(check.id)).toEqual([
      expect.objectContaining({
        ok: false,
        statusCode: null,
        error:
          'shop.example.test resolves to 127.0.0.1, which is on this machine (loopback); allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS',
      }),
    ]);
    expect(seen).toEqual([]);
  });

  it('refuses a name when any of its addresses is private (an internet address beside it does not vouch for it)', async () => {
    const check = await checkOf('tcp', `db.example.test:${tcpPort}`);
    const { prober } = rebinding([
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ]);
    tcpConnections = 0;
    await sweep(prober);
    expect((await results(check.id))[0]).toMatchObject({ ok: false, error: expect.stringContaining('resolves to 127.0.0.1') });
    expect(tcpConnections).toBe(0);
  });

  it('the default prober refuses a literal private target saved before (a TCP port scan finds nothing)', async () => {
    const allowing = await createTestApp({ allowPrivateTargets: ['127.0.0.1'] });
    try {
      const boss = await allowing.user('admin');
      const created = await allowing.app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        headers: boss.headers,
        payload: { name: 'Port', kind: 'tcp', target: `127.0.0.1:${tcpPort}` },
      });
      expect(created.statusCode).toBe(201);
      tcpConnections = 0;
      // The worker of a server that does not allow loopback (the registry's default prober).
      await runDueJobs(allowing.deps, buildJobRegistry({ ...NO_DELIVERY }), WORKER_OPTIONS);
      const [result] = json(
        await allowing.app.inject({ method: 'GET', url: `/api/v1/checks/${json(created).id}/results`, headers: boss.headers }),
      ).items;
      expect(result).toMatchObject({
        ok: false,
        error: 'The address 127.0.0.1 is on this machine (loopback); allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS',
      });
      expect(tcpConnections).toBe(0);
    } finally {
      await allowing.close();
    }
  });

  it('connects to the address it checked, resolving once, and keeps the name as Host (DNS rebinding cannot slip past)', async () => {
    const check = await checkOf('http', `http://rebind.example.test:${port}/health`);
    // The name is in no DNS. The guard's one resolution answers 127.0.0.1 (allowed); a second
    // lookup would answer 10.9.9.9 (refused, and nothing there). The probe passing after exactly
    // one lookup proves the socket went to the checked answer.
    let lookups = 0;
    const prober = networkProber(
      createOutboundGuard({
        allow: ['127.0.0.1'],
        resolver: async (host) => {
          if (host !== 'rebind.example.test') return [{ address: '127.0.0.1', family: 4 }];
          lookups += 1;
          return lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }];
        },
      }),
    );
    seen.length = 0;
    await sweep(prober);
    expect(lookups).toBe(1);
    expect((await results(check.id))[0]).toMatchObject({ ok: true, statusCode: 200 });
    expect(seen.map((s) => s.host)).toEqual([`rebind.example.test:${port}`]);
  });

  it('does not follow a redirect to a private address: the 3xx is the answer', async () => {
    const redirecting = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/health` }).end());
    await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
    try {
      const redirectPort = (redirecting.address() as net.AddressInfo).port;
      const check = await checkOf('http', `http://public.example.test:${redirectPort}/`);
      const prober = networkProber(
        createOutboundGuard({ allow: ['127.0.0.1'], resolver: async () => [{ address: '127.0.0.1', family: 4 }] }),
      );
      seen.length = 0;
      await sweep(prober);
      expect((await results(check.id))[0]).toMatchObject({ statusCode: 302 });
      expect(seen).toEqual([]);
    } finally {
      await new Promise((r) => redirecting.close(r));
    }
  });
});
