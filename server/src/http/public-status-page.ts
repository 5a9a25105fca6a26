import type { FastifyInstance } from 'fastify';
import { readStatusPage, readStatusPageFingerprint, type StatusPage } from '../services/status-page.service.js';
import { cachedStatusPage } from '../services/status-page-cache.js';
import type { RouteDeps } from './route-types.js';
import { type StatusPageRenderings, statusPageRenderings } from './status-page-renderings.js';

/**
 * The page the public routes answer with, and its renderings. Every `checkEveryMs` a background
 * loop compares a fingerprint of the page's tables (so another process's write shows too) and
 * recomputes and re-renders only on a change; readers only pick up what is ready. 0 computes the
 * page for every reader (tests that change data and read it back at once).
 */
export function publicStatusPage(
  app: FastifyInstance,
  deps: RouteDeps,
  checkEveryMs: number,
): { readStatusPage: () => Promise<StatusPage>; renderings: StatusPageRenderings } {
  const renderings = statusPageRenderings(deps.publicUrl);
  const read = () => readStatusPage(deps.db, deps.clock.now());
  if (checkEveryMs <= 0) return { readStatusPage: read, renderings };
  const cache = cachedStatusPage({
    read,
    version: () => readStatusPageFingerprint(deps.db),
    prepare: renderings.prepare,
    checkEveryMs,
    // At most one computation per two checks (a second in production), however often the desk
    // posts. The check itself is one query (about 1 ms; on a PGlite server under heavy load up to
    // 28 ms of its thread), so it is not run more often than needed for the 2 s promise.
    minIntervalMs: 2 * checkEveryMs,
    // The figures of an outage still open (today's uptime) move with the clock alone.
    maxAgeMs: 60_000,
    now: () => deps.clock.now(),
    onRefreshError: (err) => app.log.error({ err }, 'status page: recomputing it failed; the previous page is served meanwhile'),
  });
  app.addHook('onClose', async () => cache.close());
  return { readStatusPage: () => cache.read(), renderings };
}
