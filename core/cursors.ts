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
