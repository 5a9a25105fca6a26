import type { BrowserContext } from 'playwright-core';
import type { Firebreak } from './harness.js';

/**
 * The server setting that gives a browser test a movable clock (FIREBREAK_TEST_CLOCK=on): pass it
 * to startFirebreak / useFirebreak, then move time with advanceTestClock instead of sleeping or
 * rewriting timers in SQL. The server refuses the setting with NODE_ENV=production.
 */
export const TEST_CLOCK_SETTINGS = { FIREBREAK_TEST_CLOCK: 'on' } as const;

/**
 * Moves the server's clock `minutes` forward (as the first admin); timers that fall due run at
 * once. The `windows` given move with it (Playwright's clock, time still flowing), so what the
 * page says relative to now ("5 minutes ago") agrees with the server instead of reading "in 30
 * minutes". Resolves with the server's new time; what the timers did is then waited for on the page.
 */
export async function advanceTestClock(fb: Firebreak, minutes: number, windows: readonly BrowserContext[] = []): Promise<Date> {
  const moved: { now: string } = await fb.api('POST', '/test-clock/advance', { minutes });
  const now = new Date(moved.now);
  for (const window of windows) await window.clock.setSystemTime(now);
  return now;
}

/**
 * Gives a window Playwright's clock (running at real speed) before it opens the pages that should
 * follow the server's moves: installed under a page already open, its timers would mix two clocks.
 */
export async function followTestClock(window: BrowserContext): Promise<void> {
  await window.clock.install();
}
