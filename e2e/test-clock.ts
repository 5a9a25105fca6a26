import type { Firebreak } from './harness.js';

/**
 * The server setting that gives a browser test a movable clock (FIREBREAK_TEST_CLOCK=on): pass it
 * to startFirebreak / useFirebreak, then move time with advanceTestClock instead of sleeping or
 * rewriting timers in SQL. The server refuses the setting with NODE_ENV=production.
 */
export const TEST_CLOCK_SETTINGS = { FIREBREAK_TEST_CLOCK: 'on' } as const;

/**
 * Moves the server's clock `minutes` forward (as the first admin); timers that fall due run at
 * once. Resolves with the server's new time. What the timers did is then waited for on the page.
 */
export async function advanceTestClock(fb: Firebreak, minutes: number): Promise<Date> {
  const moved: { now: string } = await fb.api('POST', '/test-clock/advance', { minutes });
  return new Date(moved.now);
}
