import type { StatusPage } from './status-page.service.js';

/**
 * The status page is read by everyone at once during an outage (that is its job), and the same
 * few queries answer every reader: one computation serves every request for `maxAgeMs`. Once it
 * is older, readers keep getting it while ONE recomputation runs in the background (stale while
 * revalidating): nobody waits for the queries, and a change shows within `maxAgeMs` plus one
 * computation (1 s in production; the issue asks for 2 s). `maxAgeMs` 0 computes for every
 * reader (tests that change data and read it back at once). `monotonicNow` is a real
 * elapsed-time clock, not the domain clock: this is about load, not about what time it is.
 */
export function cachedStatusPage(
  read: () => Promise<StatusPage>,
  options: { maxAgeMs: number; monotonicNow?: () => number; onRefreshError?: (err: unknown) => void },
): () => Promise<StatusPage> {
  if (options.maxAgeMs <= 0) return read;
  const now = options.monotonicNow ?? (() => performance.now());
  let current: { at: number; page: StatusPage } | null = null;
  let refreshing: Promise<StatusPage> | null = null;
  const refresh = () => {
    refreshing ??= read()
      .then((page) => {
        current = { at: now(), page };
        return page;
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };
  return async () => {
    if (current && now() - current.at < options.maxAgeMs) return current.page;
    const next = refresh();
    if (!current) return next;
    // Stale while revalidating: the reader gets the page of a moment ago; a failed refresh is
    // reported and the next reader tries again.
    next.catch((err) => options.onRefreshError?.(err));
    return current.page;
  };
}
