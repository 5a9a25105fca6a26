import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCursorId, parseCursorInstant, parseCursorInteger, parseSequenceCursor } from './cursors.js';

describe('sequence cursors', () => {
  it('reads the numbers a list hands out', () => {
    expect(parseSequenceCursor('0')).toBe(0);
    expect(parseSequenceCursor('42')).toBe(42);
    expect(parseSequenceCursor(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => parseSequenceCursor(String(n)) === n));
  });

  it('refuses what the database cannot compare: beyond 2^53, exponents, signs, fractions', () => {
    for (const text of [
      '1e308',
      '9223372036854775808',
      '9223372036854775807',
      '9'.repeat(400),
      '-1',
      '+1',
      '1.5',
      '0x10',
      '',
      ' 1',
      '1 ',
    ]) {
      expect(parseSequenceCursor(text), text).toBeNull();
    }
  });
});

describe('instants and integers in cursors', () => {
  it('accepts the ISO times lists hand out and refuses years PostgreSQL cannot hold', () => {
    expect(parseCursorInstant('2026-03-02T08:00:00.000Z')?.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(parseCursorInstant('2026-03-02T09:00:00+01:00')?.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    for (const value of [
      '+275760-09-13T00:00:00.000Z',
      '-271821-04-20T00:00:00.000Z',
      '0000-01-01T00:00:00Z',
      '2026',
      'yesterday',
      1e308,
      null,
    ]) {
      expect(parseCursorInstant(value), String(value)).toBeNull();
    }
  });

  it('keeps integers inside the column range', () => {
    expect(parseCursorInteger(3, 1, 5)).toBe(3);
    for (const value of [0, 6, 1e308, 2 ** 63, 2.5, '3', Number.NaN]) expect(parseCursorInteger(value, 1, 5), String(value)).toBeNull();
  });

  it('knows a row id', () => {
    expect(isCursorId('0b7f8e4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isCursorId('0b7f8e4a-1c2d-4e5f-8a9b-0c1d2e3f4a5')).toBe(false);
    expect(isCursorId(42)).toBe(false);
  });
});
