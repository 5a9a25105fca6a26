import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../test/database.js';
import { type Database, openPostgres } from './client.js';
import { listen } from './listen.js';

/**
 * A listener's connection that goes silent — dropped on the way by a NAT or a failover, with no
 * reset — must be noticed: the configuration and sign-in cache trusts the announcements, and a
 * silent listener would let a revoked token keep working. Here the connection runs through a
 * proxy that stops forwarding without closing anything.
 */
describe.runIf(testEngine() === 'postgres')('a PostgreSQL listener', () => {
  let database: Database;
  let proxied: Database;
  let proxy: net.Server;
  let blackHole = false;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.raw.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const target = new URL(database.raw.pool.options.connectionString ?? '');
    proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
      }
      // Forwards while the line is up; once black-holed, bytes vanish and nothing is closed.
      client.on('data', (chunk) => blackHole || upstream.write(chunk));
      upstream.on('data', (chunk) => blackHole || client.write(chunk));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const via = new URL(target);
    via.hostname = '127.0.0.1';
    via.port = String((proxy.address() as net.AddressInfo).port);
    proxied = await openPostgres(via.toString(), 1);
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await proxied.close().catch(() => {});
    await database.close();
  });

  it('notices a connection that stopped answering, says so, and listens again once it can', async () => {
    const errors: string[] = [];
    let resynced: () => void = () => {};
    const back = new Promise<void>((resolve) => (resynced = resolve));
    let sawError: () => void = () => {};
    const lost = new Promise<void>((resolve) => (sawError = resolve));
    const listener = await listen(
      proxied,
      'heartbeat_test',
      {
        onMessage: () => {},
        onResync: () => resynced(),
        onError: (err) => {
          errors.push(err.message);
          // The line is repaired; the reconnection (through the proxy again) must work.
          blackHole = false;
          sawError();
        },
      },
      { heartbeatMs: 100 },
    );
    try {
      blackHole = true;
      await lost;
      await back;
      expect(errors.length).toBeGreaterThanOrEqual(1);
    } finally {
      await listener.close();
    }
  });
});
