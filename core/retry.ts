/**
 * How long to wait before retrying a failed job: exponential backoff with full jitter, capped.
 * Pure: the random number is passed in, so tests can fix it.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 15 * 60_000 };

/** The delay after the `attempt`-th failure (1-based). `random` is in [0, 1). */
export function retryDelay(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: never retries immediately, and spreads a thundering herd.
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
