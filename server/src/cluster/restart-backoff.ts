/**
 * How long the primary waits before replacing a worker that died. A worker that dies at once
 * again and again (the database is down, a bad deploy) must not be restarted in a tight loop
 * that eats the machine and floods the log; one that served for a while and then died is
 * replaced quickly.
 */

/** A worker that served at least this long before dying starts its count of quick deaths over. */
export const HEALTHY_LIFETIME_MS = 60_000;
const FIRST_DELAY_MS = 1_000;
const LONGEST_DELAY_MS = 30_000;

/** The slot's count of quick deaths after a worker that lived `livedMs` died. */
export function quickDeathsAfter(previousQuickDeaths: number, livedMs: number): number {
  return livedMs >= HEALTHY_LIFETIME_MS ? 1 : previousQuickDeaths + 1;
}

/** 1 s, 2 s, 4 s … up to 30 s, by how many times in a row the slot's worker died quickly (at least 1). */
export function restartDelayMs(quickDeaths: number): number {
  return Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, quickDeaths - 1));
}
