import { nextChangeByTime } from '../../../core/status-page.js';
import type { StatusPage } from './status-page.service.js';

export interface StatusPageCacheOptions {
  /** Computes the page (in small steps: readers are answered between them). */
  read: () => Promise<StatusPage>;
  /** A cheap fingerprint of what the page is read from, written by any process. */
  version: () => Promise<string>;
  /** Readies a new page before anyone is served it (its renderings, their compressed forms). */
  prepare?: (page: StatusPage) => Promise<void>;
  /** How often the fingerprint is compared. */
  checkEveryMs: number;
  /**
   * The least time between two computations' starts: the desk posting every 200 ms during an
   * outage must not cost a computation per check. A change shows within this plus one check plus
   * one computation.
   */
  minIntervalMs: number;
  /** The figures of an outage still open grow with time: they are recomputed at least this often. */
  maxAgeMs: number;
  /** A real elapsed-time clock (this is about load, not about what time it is). */
  monotonicNow?: () => number;
  /** The domain clock: when overrides end and days begin. */
  now: () => Date;
  onRefreshError?: (err: unknown) => void;
}

export interface StatusPageCache {
  /** The page to answer with: the current one; only the very first reader waits for a computation. */
  read(): Promise<StatusPage>;
  /** Stops checking (the server is closing). */
  close(): void;
}

/**
 * The status page is read by everyone at once during an outage (that is its job), and the same
 * few queries answer every reader. So readers never compute it: they get the current page, and a
 * background loop recomputes it only when something it shows changed — the fingerprint differs
 * (another process's write included), a manual status ends, a day begins, or `maxAgeMs` passed —
 * and readies the new page's renderings before it replaces the old one. A failed recomputation is
 * reported; readers keep the page they had and the next check tries again.
 */
export function cachedStatusPage(options: StatusPageCacheOptions): StatusPageCache {
  const monotonic = options.monotonicNow ?? (() => performance.now());
  let current: { page: StatusPage; version: string; changesAt: number } | null = null;
  /** When the last computation started, whether it succeeded or not (a failing database is retried once per interval). */
  let lastStart = Number.NEGATIVE_INFINITY;
  let first: Promise<StatusPage> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** `version` read before the page: a write landing during the computation makes the next check differ. */
  const compute = async (version: string): Promise<StatusPage> => {
    lastStart = monotonic();
    const page = await options.read();
    await options.prepare?.(page);
    const changesAt = nextChangeByTime(
      page.readAt,
      page.components.flatMap((c) => (c.override ? [c.override.until] : [])),
    ).getTime();
    current = { page, version, changesAt };
    return page;
  };

  const check = async () => {
    try {
      const age = monotonic() - lastStart;
      if (age >= options.minIntervalMs) {
        const version = await options.version();
        const stale = !current || current.version !== version || age >= options.maxAgeMs || options.now().getTime() >= current.changesAt;
        if (stale) await compute(version);
      }
    } catch (err) {
      options.onRefreshError?.(err);
    }
    if (closed) return;
    timer = setTimeout(check, options.checkEveryMs);
    // The loop alone never keeps a process alive (tests, a server closing).
    timer.unref();
  };

  return {
    read() {
      if (current) return Promise.resolve(current.page);
      first ??= options
        .version()
        .then(compute)
        .then(
          (page) => {
            if (!closed) timer = setTimeout(check, options.checkEveryMs).unref();
            return page;
          },
          (err) => {
            first = null; // the next reader tries again
            throw err;
          },
        );
      return first;
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
