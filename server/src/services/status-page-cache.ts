import { nextChangeByTime } from '../../../core/status-page.js';
import type { StatusPage } from './status-page.service.js';

export interface StatusPageCacheOptions {
  /** Computes the page (in small steps: readers are answered between them). */
  read: () => Promise<StatusPage>;
  /** A cheap fingerprint of what the page is read from, written by any process. */
  version: () => Promise<string>;
  /** Readies a new page before anyone is served it (its renderings, their compressed forms). */
  prepare?: (page: StatusPage) => Promise<void>;
  /**
   * How often the loop looks whether the page is due (woken, too old, a manual status ended). A
   * look costs no query: only the safety check below reads the database.
   */
  checkEveryMs: number;
  /**
   * How often the fingerprint is compared anyway, for a change no announcement woke the page for
   * (one written with announcements withheld and no refresh after). Changes are announced
   * (`wake`), so this is slow: each comparison is a query, on PGlite on the serving thread.
   */
  safetyCheckEveryMs: number;
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
  /**
   * Something the page shows may have changed (a live announcement, from any process): it is
   * recomputed as soon as `minIntervalMs` allows, without comparing the fingerprint first.
   */
  wake(): void;
  /** Stops checking (the server is closing). */
  close(): void;
}

/**
 * The status page is read by everyone at once during an outage (that is its job), and the same
 * few queries answer every reader. So readers never compute it: they get the current page, and a
 * background loop recomputes it only when something it shows changed — an announcement woke it
 * (any process's write), the fingerprint differs at a safety check, a manual status ends, a day
 * begins, or `maxAgeMs` passed — and readies the new page's renderings before it replaces the old
 * one. A failed recomputation is reported; readers keep the page they had and the next check
 * tries again.
 */
export function cachedStatusPage(options: StatusPageCacheOptions): StatusPageCache {
  const monotonic = options.monotonicNow ?? (() => performance.now());
  let current: { page: StatusPage; version: string; changesAt: number } | null = null;
  /** When the last computation started, whether it succeeded or not (a failing database is retried once per interval). */
  let lastStart = Number.NEGATIVE_INFINITY;
  /** When the fingerprint was last read. */
  let lastVersionRead = Number.NEGATIVE_INFINITY;
  /** An announcement came since the last computation started. */
  let woken = false;
  let first: Promise<StatusPage> | null = null;
  let timer: NodeJS.Timeout | undefined;
  /** A check is running: a wake-up then only marks the page, the check's end schedules the next. */
  let checking = false;
  let closed = false;

  const readVersion = () => {
    lastVersionRead = monotonic();
    return options.version();
  };

  /** `version` read before the page: a write landing during the computation makes the next check differ. */
  const compute = async (version: string): Promise<StatusPage> => {
    lastStart = monotonic();
    const wasWoken = woken;
    woken = false;
    let page: StatusPage;
    try {
      page = await options.read();
      await options.prepare?.(page);
    } catch (err) {
      // What woke it is still to show: tried again once `minIntervalMs` has passed.
      woken ||= wasWoken;
      throw err;
    }
    const changesAt = nextChangeByTime(
      page.readAt,
      page.components.flatMap((c) => (c.override ? [c.override.until] : [])),
    ).getTime();
    current = { page, version, changesAt };
    return page;
  };

  const check = async () => {
    checking = true;
    try {
      const age = monotonic() - lastStart;
      if (age >= options.minIntervalMs) {
        const due = !current || woken || age >= options.maxAgeMs || options.now().getTime() >= current.changesAt;
        if (due) await compute(await readVersion());
        else if (monotonic() - lastVersionRead >= options.safetyCheckEveryMs) {
          const version = await readVersion();
          if (current?.version !== version) await compute(version);
        }
      }
    } catch (err) {
      options.onRefreshError?.(err);
    }
    checking = false;
    schedule();
  };

  /** The next check: at once when woken and allowed, else after `checkEveryMs`. */
  const schedule = () => {
    if (closed || !current) return;
    clearTimeout(timer);
    const wait = woken ? Math.max(0, lastStart + options.minIntervalMs - monotonic()) : options.checkEveryMs;
    timer = setTimeout(check, Math.min(wait, options.checkEveryMs));
    // The loop alone never keeps a process alive (tests, a server closing).
    timer.unref();
  };

  return {
    read() {
      if (current) return Promise.resolve(current.page);
      first ??= readVersion()
        .then(compute)
        .then(
          (page) => {
            schedule();
            return page;
          },
          (err) => {
            first = null; // the next reader tries again
            throw err;
          },
        );
      return first;
    },
    wake() {
      // Already woken: the next check is set for it (an alert storm announces thousands of events).
      if (woken) return;
      woken = true;
      if (!checking) schedule();
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
