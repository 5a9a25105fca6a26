import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCursorId, keysetCursor, keysetPage, parseCursorInstant, parseCursorInteger, parseSequenceCursor, SEQUENCE } from './cursors.js';
import type { AppError } from './errors.js';

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

describe('keyset cursors', () => {
  // Instants travel as exact text, to the microsecond the columns hold (a Date would round them).
  const instant = fc
    .tuple(
      fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([at, micros]) => at.toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`));
  const refusedField = (decode: () => unknown) => {
    try {
      decode();
    } catch (err) {
      return (err as AppError).errors.map((e) => e.field);
    }
    return 'accepted';
  };

  it('reads back every key it writes, in each wire format', () => {
    const json = keysetCursor('base64url-json', ['instant', 'id']);
    const tagged = keysetCursor({ tagged: 'priority' }, [{ integer: [1, 5] }, 'instant', 'id']);
    const decimal = keysetCursor('decimal', [SEQUENCE]);
    const encodedDecimal = keysetCursor('base64url-decimal', [SEQUENCE]);
    const text = keysetCursor('text', ['text']);
    fc.assert(
      fc.property(instant, fc.uuid(), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.string({ minLength: 1 }), (at, id, p, n, s) => {
        expect(json.decode(json.encode([at, id]))).toEqual([at, id]);
        expect(tagged.decode(tagged.encode([p, at, id]))).toEqual([p, at, id]);
        expect(decimal.decode(decimal.encode([n]))).toEqual([n]);
        expect(encodedDecimal.decode(encodedDecimal.encode([n]))).toEqual([n]);
        expect(text.decode(text.encode([s]))).toEqual([s]);
      }),
    );
  });

  it('writes the cursors lists have always handed out, so a client holding one keeps its place', () => {
    const at = '2026-03-02T08:00:00.000Z';
    const id = '0b7f6a4e-8f55-4a53-9a57-6c1d8b1c2f10';
    const old = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(keysetCursor('base64url-json', ['instant', 'id']).encode([at, id])).toBe(old([at, id]));
    expect(keysetCursor({ tagged: '-openedAt' }, ['instant', 'id']).encode([at, id])).toBe(old({ s: '-openedAt', k: [at, id] }));
    expect(keysetCursor({ tagged: 'priority' }, [{ integer: [1, 5] }, 'instant', 'id']).encode([2, at, id])).toBe(
      old({ s: 'priority', k: [2, at, id] }),
    );
    expect(keysetCursor('base64url-decimal', [SEQUENCE]).encode([1234])).toBe(Buffer.from('1234').toString('base64url'));
    expect(keysetCursor('decimal', [SEQUENCE]).encode([42])).toBe('42');
  });

  it('refuses, naming cursor, what it did not write: garbage, another sort, the wrong shape, values out of range', () => {
    const id = '0b7f6a4e-8f55-4a53-9a57-6c1d8b1c2f10';
    const old = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const byOpened = keysetCursor({ tagged: '-openedAt' }, ['instant', 'id']);
    const byPriority = keysetCursor({ tagged: 'priority' }, [{ integer: [1, 5] }, 'instant', 'id']);
    for (const cursor of [
      'garbage',
      '%%%',
      old([]),
      old({ s: '-openedAt', k: ['x'] }),
      old({ s: 'openedAt', k: ['2026-03-02T08:00:00.000Z', id] }),
      old({ s: '-openedAt', k: ['+275760-09-13T00:00:00.000Z', id] }),
      old({ s: '-openedAt', k: ['2026-03-02T08:00:00.000Z', 'not-an-id'] }),
    ]) {
      expect(
        refusedField(() => byOpened.decode(cursor)),
        cursor,
      ).toEqual(['cursor']);
    }
    // An exact instant from SQL (microseconds) is carried as it is, to the digit.
    expect(byOpened.decode(old({ s: '-openedAt', k: ['2026-03-02T08:00:00.123456Z', id] }))).toEqual(['2026-03-02T08:00:00.123456Z', id]);
    expect(refusedField(() => byPriority.decode(old({ s: 'priority', k: [9, '2026-03-02T08:00:00.000Z', id] })))).toEqual(['cursor']);
    for (const cursor of ['-1', '1.5', '1e308', '9'.repeat(40), 'abc']) {
      expect(
        refusedField(() => keysetCursor('decimal', [SEQUENCE]).decode(cursor)),
        cursor,
      ).toEqual(['cursor']);
    }
    expect(
      refusedField(() => keysetCursor('base64url-decimal', [{ integer: [1, 10] }]).decode(Buffer.from('0').toString('base64url'))),
    ).toEqual(['cursor']);
  });

  it('pages rows read with one extra: a cursor at the last row shown only when there is more', () => {
    const cursor = keysetCursor('decimal', [SEQUENCE]);
    expect(keysetPage([1, 2, 3], 2, cursor, (n) => [n] as [number])).toEqual({ items: [1, 2], nextCursor: '2' });
    expect(keysetPage([1, 2], 2, cursor, (n) => [n] as [number])).toEqual({ items: [1, 2], nextCursor: null });
    expect(keysetPage([], 2, cursor, (n: number) => [n] as [number])).toEqual({ items: [], nextCursor: null });
  });
});
