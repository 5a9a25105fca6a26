/** Time comes from here, never from `new Date()` in services, so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand instead of sleeping. */
export class FakeClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

/**
 * The server's clock when FIREBREAK_TEST_CLOCK=on (never in production): real time plus an
 * offset that an admin moves forward (POST /api/v1/test-clock/advance), so a browser test can
 * make a 30-minute timer fall due without waiting. Time keeps flowing between moves, so the
 * server behaves as it does on the system clock; listeners (the job runner's wake-up) are told
 * of each move, so timers that fell due run at once rather than at the next poll.
 */
export class MovableClock implements Clock {
  private offsetMs = 0;
  private readonly listeners: (() => void)[] = [];
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  /** Moves the clock forward by `ms` (time never goes back: timers already fired would not un-fire). */
  advance(ms: number): void {
    if (!(ms > 0)) throw new RangeError('a test clock only moves forward');
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }
  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }
}
