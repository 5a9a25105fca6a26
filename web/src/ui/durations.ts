/**
 * SLA targets as people say them: "30 min", "4 h", "2 d", "1 d 4 h"; a bare number is minutes
 * (as the API counts). Days are 24 hours of the policy's clock: on a business calendar, "1 d"
 * is 24 business hours, not one working day.
 */
const UNIT_MINUTES: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
};

/** Minutes from "4 h" or "90"; null for empty text; undefined when it cannot be read. */
export function parseDuration(text: string): number | null | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const part = /(\d+(?:[.,]\d+)?)\s*([a-z]+)/g;
  let total = 0;
  let rest = trimmed;
  for (const [whole, amount, unit] of trimmed.matchAll(part)) {
    const per = UNIT_MINUTES[unit];
    if (per === undefined) return undefined;
    total += Number(amount.replace(',', '.')) * per;
    rest = rest.replace(whole, '');
  }
  if (rest.trim() !== '' || total <= 0) return undefined;
  return Math.round(total);
}

/** "30 min", "4 h", "1 d 4 h", "2 h 30 min": the largest units that divide it. */
export function formatDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', mins ? `${mins} min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 min';
}
