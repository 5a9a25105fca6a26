import pg from 'pg';
import type { Database } from './client.js';

export interface Listener {
  /** Stops listening and closes the dedicated connection. */
  close(): Promise<void>;
}

export interface ListenHandlers {
  onMessage(payload: string): void;
  /**
   * The connection was lost and is back: notifications sent meanwhile were missed, so whoever
   * depends on them must re-read what they show.
   */
  onResync(): void;
  onError(err: Error, retryInMs: number): void;
}

/**
 * How often a PostgreSQL listener asks its connection to answer, and how long it waits. A
 * connection that died without a word (a NAT or a failover dropping it, no reset) would otherwise
 * look alive forever: no notification, no error — and whoever trusts the announcements (the
 * configuration and sign-in cache) would keep what changed long ago.
 */
export const LISTENER_HEARTBEAT_MS = 15_000;

/**
 * LISTEN on a channel. PostgreSQL: a dedicated connection outside the pool (a pooled one would be
 * handed to queries and lose its LISTEN), asked to answer every `heartbeatMs` and re-established
 * with backoff when it drops or does not answer. PGlite: the engine's own listen, which hears
 * NOTIFYs from the same process.
 */
export async function listen(
  database: Pick<Database, 'raw'>,
  channel: string,
  handlers: ListenHandlers,
  options: { heartbeatMs?: number } = {},
): Promise<Listener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  if (database.raw.kind === 'pglite') {
    const unsubscribe = await database.raw.client.listen(channel, handlers.onMessage);
    return { close: () => unsubscribe() };
  }
  const pool = database.raw.pool;
  let client: pg.Client | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;
  const heartbeatMs = options.heartbeatMs ?? LISTENER_HEARTBEAT_MS;
  const heartbeat = setInterval(() => {
    const current = client;
    if (!current) return;
    // Unanswered within a beat: the connection is as good as lost.
    current.query('SELECT 1').catch((err: Error) => lost(current, err));
  }, heartbeatMs);
  heartbeat.unref();

  const connect = async (isReconnect: boolean): Promise<void> => {
    const next = new pg.Client({ ...pool.options, keepAlive: true, query_timeout: heartbeatMs });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onMessage(message.payload);
    });
    next.on('error', (err) => lost(next, err));
    next.on('end', () => lost(next, new Error('connection ended')));
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    attempt = 0;
    if (isReconnect) handlers.onResync();
  };

  const lost = (which: pg.Client, err: Error) => {
    if (closed || client !== which) return;
    client = null;
    which.removeAllListeners('end');
    which.end().catch(() => {}); // already broken; ending it only frees the socket
    scheduleReconnect(err);
  };

  const scheduleReconnect = (err: Error) => {
    const delay = Math.min(30_000, 250 * 2 ** attempt);
    attempt += 1;
    handlers.onError(err, delay);
    retryTimer = setTimeout(() => {
      connect(true).catch((e: Error) => scheduleReconnect(e));
    }, delay);
  };

  try {
    await connect(false);
  } catch (err) {
    clearInterval(heartbeat);
    throw err;
  }
  return {
    close: async () => {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners('end');
        await current.end();
      }
    },
  };
}
