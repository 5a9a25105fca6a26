/**
 * Wall-clock times in a person's own time zone (their Settings), not the browser's: a
 * `datetime-local` input shows and takes "2026-12-04T15:00" in that zone, and the API takes
 * instants. Intl knows every zone's rules, so no time-zone library is shipped to the browser.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockParts(at: Date, timeZone: string): Record<string, number> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  return Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const p = wallClockParts(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** "2026-12-04T15:00": the instant as the zone's wall clock, for a datetime-local input. */
export function toZonedInput(at: Date, timeZone: string): string {
  const p = wallClockParts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The instant a datetime-local value names in the zone, or null when it is not one. A wall time
 * skipped by a DST change is read with the offset before the change (02:30 on a spring-forward
 * night is 03:30); one that happens twice is the first.
 */
export function fromZonedInput(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The offsets a day before and after bracket any DST change near this wall time.
  const before = asUtc - offsetAt(asUtc - 86_400_000, timeZone);
  const after = asUtc - offsetAt(asUtc + 86_400_000, timeZone);
  const matching = [before, after].filter((t) => toZonedInput(new Date(t), timeZone) === value);
  return new Date(matching.length > 0 ? Math.min(...matching) : before);
}
