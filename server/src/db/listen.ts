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
 * LISTEN on a channel. PostgreSQL: a dedicated connection outside the pool (a pooled one would be
 * handed to queries and lose its LISTEN), re-established with backoff when it drops. PGlite: the
 * engine's own listen, which hears NOTIFYs from the same process.
 */
export async function listen(database: Pick<Database, 'raw'>, channel: string, handlers: ListenHandlers): Promise<Listener> {
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

  const connect = async (isReconnect: boolean): Promise<void> => {
    const next = new pg.Client(pool.options);
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

  await connect(false);
  return {
    close: async () => {
      closed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners('end');
        await current.end();
      }
    },
  };
}
