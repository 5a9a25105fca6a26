import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './durations';

describe('SLA targets in hours and days, not only minutes (issue 12, minor)', () => {
  it('reads minutes, hours and days as people write them', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('30 min')).toBe(30);
    expect(parseDuration('4 h')).toBe(240);
    expect(parseDuration('4h')).toBe(240);
    expect(parseDuration('1.5 hours')).toBe(90);
    expect(parseDuration('2 d')).toBe(2880);
    expect(parseDuration('1 d 4 h')).toBe(1680);
    expect(parseDuration('  ')).toBeNull();
  });

  it('refuses what it cannot read instead of guessing', () => {
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('4 weeks')).toBeUndefined();
    expect(parseDuration('4 h and a bit')).toBeUndefined();
    expect(parseDuration('0 h')).toBeUndefined();
  });

  it('shows a target in the largest units that fit', () => {
    expect(formatDuration(30)).toBe('30 min');
    expect(formatDuration(240)).toBe('4 h');
    expect(formatDuration(150)).toBe('2 h 30 min');
    expect(formatDuration(2880)).toBe('2 d');
    expect(formatDuration(1680)).toBe('1 d 4 h');
    // What is shown reads back to the same target.
    for (const m of [30, 240, 150, 2880, 1680, 1441]) expect(parseDuration(formatDuration(m))).toBe(m);
  });
});
