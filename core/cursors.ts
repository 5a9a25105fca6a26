import { fieldError } from './errors.js';

/**
 * Page cursors come back from callers, so they are input like any other: each kind is parsed
 * here, and whatever the database could not compare (a number beyond bigint, a year it cannot
 * hold, a cursor of the wrong shape) is refused as a bad cursor rather than failing in SQL.
 */

/** A row's insertion number (bigserial) as decimal text: digits only, at most 2^53 − 1. Null when it is not one. */
export function parseSequenceCursor(text: string): number | null {
  if (!/^\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** An instant a cursor carries: an ISO 8601 time with zone, years 0001–9999 (what both JS and PostgreSQL hold). Null otherwise. */
export function parseCursorInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return null;
  const year = at.getUTCFullYear();
  return year >= 1 && year <= 9999 ? at : null;
}

/** An integer a cursor carries, within the column's range. Null otherwise. */
export function parseCursorInteger(value: unknown, min: number, max: number): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A row id a cursor carries. */
export function isCursorId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * What one position of a keyset cursor holds: an instant, a row id (UUID), an integer within a
 * column's range, or any text (a job id, an e-mail address).
 *
 * An instant is carried as exact ISO text, never as a Date: the columns hold microseconds and a
 * Date holds milliseconds, so a key rounded through a Date sits between rows written within one
 * millisecond (by SQL's now(), imports, benches) and a page boundary there repeated rows (oldest
 * first) or skipped them (newest first). The repositories read the key's exact text from SQL
 * (`exactInstant` in server/src/repositories/keyset.ts) and compare it back as timestamptz.
 */
export type CursorPart = 'instant' | 'id' | 'text' | { integer: readonly [min: number, max: number] };

/** A row's insertion number (bigserial): what the decimal cursors carry. */
export const SEQUENCE = { integer: [0, Number.MAX_SAFE_INTEGER] } as const satisfies CursorPart;

/** An instant as exact ISO 8601 text with zone, to the microsecond when the column has them. */
export type ExactInstant = string;

type PartValue<P> = P extends 'instant' ? ExactInstant : P extends { integer: readonly [number, number] } ? number : string;

/** The decoded key: one value per part, in order. */
export type CursorKey<Parts extends readonly CursorPart[]> = { -readonly [I in keyof Parts]: PartValue<Parts[I]> };

/**
 * How a list writes its cursor on the wire. Each list keeps the spelling it has always handed
 * out, because clients may hold one across an upgrade:
 * - decimal: one integer as digits (the timeline, the bell);
 * - base64url-decimal: the same digits, base64url-encoded (refused alert deliveries);
 * - base64url-json: the key as a JSON array, base64url-encoded (alerts, failed work);
 * - tagged: `{"s": tag, "k": [...]}` base64url-encoded, so a cursor made for one sort is refused
 *   by another (tickets);
 * - text: one text value as it is (people, by e-mail).
 */
export type CursorWire = 'decimal' | 'base64url-decimal' | 'base64url-json' | 'text' | { tagged: string };

export interface KeysetCursor<K> {
  encode(key: K): string;
  /** The key a cursor carries; a cursor this list did not give out is refused (400 naming `cursor`). */
  decode(text: string): K;
}

/** The message a refused cursor gets unless its list says otherwise. */
const NOT_OURS = 'is not a cursor this list gave out';

/**
 * The one codec of page cursors: a keyset position (the last row's sort values) to text and
 * back, each value checked against what the database can compare, so a forged or stale cursor
 * is a 400 naming `cursor` and never an error in SQL.
 */
export function keysetCursor<const Parts extends readonly CursorPart[]>(
  wire: CursorWire,
  parts: Parts,
  refusal: string = NOT_OURS,
): KeysetCursor<CursorKey<Parts>> {
  type Key = CursorKey<Parts>;
  const single = wire === 'decimal' || wire === 'base64url-decimal' || wire === 'text';
  if (single && parts.length !== 1) throw new Error(`a ${wire} cursor holds one value, not ${parts.length}`);
  const refuse = () => fieldError('validation_failed', 'cursor', refusal);
  const readPart = (part: CursorPart, value: unknown): unknown => {
    // Checked as an instant, kept as the exact text it came as (a Date would drop microseconds).
    if (part === 'instant') return parseCursorInstant(value) === null ? null : value;
    if (part === 'id') return isCursorId(value) ? value : null;
    if (part === 'text') return typeof value === 'string' && value.length > 0 ? value : null;
    return parseCursorInteger(value, part.integer[0], part.integer[1]);
  };
  const readAll = (values: unknown): Key => {
    if (!Array.isArray(values) || values.length !== parts.length) throw refuse();
    const key = parts.map((part, i) => readPart(part, values[i]));
    if (key.some((value) => value === null)) throw refuse();
    return key as Key;
  };
  const written = (key: Key) => key as unknown[];

  return {
    encode(key) {
      if (wire === 'text') return String(key[0]);
      if (wire === 'decimal') return String(key[0]);
      if (wire === 'base64url-decimal') return toBase64Url(String(key[0]));
      if (wire === 'base64url-json') return toBase64Url(JSON.stringify(written(key)));
      return toBase64Url(JSON.stringify({ s: wire.tagged, k: written(key) }));
    },
    decode(text) {
      if (wire === 'text') return readAll([text]);
      if (wire === 'decimal') return readAll([parseSequenceCursor(text)]);
      const decoded = fromBase64Url(text);
      if (decoded === null) throw refuse();
      if (wire === 'base64url-decimal') return readAll([parseSequenceCursor(decoded)]);
      let parsed: unknown;
      try {
        parsed = JSON.parse(decoded);
      } catch {
        throw refuse();
      }
      if (wire === 'base64url-json') return readAll(parsed);
      const tagged = parsed as { s?: unknown; k?: unknown } | null;
      if (tagged?.s !== wire.tagged) throw refuse();
      return readAll(tagged.k);
    },
  };
}

// base64url by hand: core runs in the browser too, where there is no Buffer.
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The text a base64url string holds; null when it is not base64url or not UTF-8. */
function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/**
 * A page from rows read with one extra (limit + 1): the first `limit` rows, and a cursor at the
 * last of them when there is more.
 */
export function keysetPage<T, K>(
  rows: readonly T[],
  limit: number,
  cursor: Pick<KeysetCursor<K>, 'encode'>,
  keyOf: (row: T) => K,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursor.encode(keyOf(last)) : null };
}
