import type { Database } from '../db/client.js';
import { type Listener, listen } from '../db/listen.js';
import type { EventHub } from './event-hub.js';

/** The channel migration 0012's trigger announces timeline events on. */
export const LIVE_CHANNEL = 'firebreak_events';

/** Connects this process's hub to the database's announcements. */
export function connectEventHub(
  database: Database,
  hub: EventHub,
  log: (level: 'warn' | 'info', msg: string, detail: Record<string, unknown>) => void,
): Promise<Listener> {
  return listen(database, LIVE_CHANNEL, {
    onMessage: (payload) => hub.announce(payload),
    onResync: () => {
      log('info', 'live stream: listening again; browsers told to re-read', { subscribers: hub.size });
      hub.resync();
    },
    onError: (err, retryInMs) => log('warn', 'live stream: lost the database listener; reconnecting', { err: err.message, retryInMs }),
  });
}
