import { z } from 'zod';

/** A week: far enough for any cadence, SLA or maintenance lead time a browser test walks through. */
export const TEST_CLOCK_MAX_MINUTES = 7 * 24 * 60;

/** POST /api/v1/test-clock/advance: how far to move the server's clock forward. */
export const AdvanceTestClock = z.strictObject({
  minutes: z
    .number({ error: 'must be a number of minutes' })
    .int({ error: 'must be whole minutes' })
    .min(1, { error: 'must be at least 1 (the clock only moves forward)' })
    .max(TEST_CLOCK_MAX_MINUTES, { error: `must be at most ${TEST_CLOCK_MAX_MINUTES.toLocaleString('en')} (a week)` }),
});

/** The server's time after the move. */
export const TestClockTime = z.object({ now: z.string() });
