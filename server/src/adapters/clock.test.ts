import { describe, expect, it } from 'vitest';
import { FakeClock, MovableClock } from './clock.js';

describe('the movable test clock', () => {
  it('is its base clock plus every move so far, so time keeps flowing between moves', () => {
    const base = new FakeClock('2026-06-01T09:07:00Z');
    const clock = new MovableClock(base);
    expect(clock.now().toISOString()).toBe('2026-06-01T09:07:00.000Z');
    clock.advance(30 * 60_000);
    expect(clock.now().toISOString()).toBe('2026-06-01T09:37:00.000Z');
    base.advance(5_000);
    expect(clock.now().toISOString()).toBe('2026-06-01T09:37:05.000Z');
  });

  it('tells its listeners of each move (the job runner wakes), and never goes back', () => {
    const clock = new MovableClock(new FakeClock());
    let moves = 0;
    clock.onAdvance(() => moves++);
    clock.advance(60_000);
    clock.advance(60_000);
    expect(moves).toBe(2);
    const now = clock.now().getTime();
    expect(() => clock.advance(-60_000)).toThrow(/only moves forward/);
    expect(() => clock.advance(0)).toThrow(/only moves forward/);
    expect(clock.now().getTime()).toBe(now);
    expect(moves).toBe(2);
  });
});
