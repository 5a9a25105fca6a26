import { AdvanceTestClock, TestClockTime } from '../../../../core/contracts/test-clock.js';
import type { Clock } from '../../adapters/clock.js';
import { type Api, problems } from '../route-types.js';

/** The one thing the route needs of the test clock (MovableClock in a server, FakeClock in tests). */
export interface AdvanceableClock extends Clock {
  advance(ms: number): void;
}

/**
 * Registered only when FIREBREAK_TEST_CLOCK=on (config refuses that in production): without it
 * the route does not exist (404). Admin only: moving time fires SLA timers and reminders early.
 * No service behind it: moving the clock is not a domain action, and nothing is written.
 */
export function testClockRoutes(app: Api, clock: AdvanceableClock): void {
  app.post(
    '/api/v1/test-clock/advance',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'Tests only (FIREBREAK_TEST_CLOCK=on): move the server’s clock forward; timers that fall due run at once',
        body: AdvanceTestClock,
        response: { 200: TestClockTime, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      clock.advance(request.body.minutes * 60_000);
      return { now: clock.now().toISOString() };
    },
  );
}
