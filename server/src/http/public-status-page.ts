import type { FastifyInstance } from 'fastify';
import type { EventHub } from '../live/event-hub.js';
import { readStatusPage, readStatusPageFingerprint, type StatusPage } from '../services/status-page.service.js';
import { cachedStatusPage } from '../services/status-page-cache.js';
import type { RouteDeps } from './route-types.js';
import { type StatusPageRenderings, statusPageRenderings } from './status-page-renderings.js';

/**
 * The page the public routes answer with, and its renderings. The page is recomputed and
 * re-rendered in the background when the live announcements say something it shows changed (any
 * process's write: the database's NOTIFY reaches every process), plus a slow safety comparison of
 * a fingerprint of its tables; readers only pick up what is ready. `checkEveryMs` 0 computes the
 * page for every reader (tests that change data and read it back at once).
 */
export function publicStatusPage(
  app: FastifyInstance,
  deps: RouteDeps,
  options: { checkEveryMs: number; safetyCheckEveryMs: number; events: EventHub },
): { readStatusPage: () => Promise<StatusPage>; renderings: StatusPageRenderings } {
  const renderings = statusPageRenderings(deps.publicUrl);
  const read = () => readStatusPage(deps.db, deps.clock.now());
  const { checkEveryMs } = options;
  if (checkEveryMs <= 0) return { readStatusPage: read, renderings };
  const cache = cachedStatusPage({
    read,
    version: () => readStatusPageFingerprint(deps.db),
    prepare: renderings.prepare,
    checkEveryMs,
    // The fingerprint is one query (about 1 ms; on a PGlite server under heavy load up to 28 ms of
    // its thread): announcements make it needed only for what was written without one.
    safetyCheckEveryMs: options.safetyCheckEveryMs,
    // At most one computation per two checks (a second in production), however often the desk posts.
    minIntervalMs: 2 * checkEveryMs,
    // The figures of an outage still open (today's uptime) move with the clock alone.
    maxAgeMs: 60_000,
    now: () => deps.clock.now(),
    onRefreshError: (err) => app.log.error({ err }, 'status page: recomputing it failed; the previous page is served meanwhile'),
  });
  const stopWatching = options.events.watchStatusPage(() => cache.wake());
  app.addHook('onClose', async () => {
    stopWatching();
    cache.close();
  });
  return { readStatusPage: () => cache.read(), renderings };
}
