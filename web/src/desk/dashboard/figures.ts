const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration people read at a glance: "45 min", "3.2 h", "2.1 days"; a dash when there is none. */
export function durationWords(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < 2 * DAY) return `${(ms / HOUR).toFixed(1)} h`;
  return `${(ms / DAY).toFixed(1)} days`;
}

/** "87%"; a dash when nothing was counted. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** Backlog buckets as instants for the drill-down: "7–30 days" old is opened between 30 and 7 days ago. */
export const BUCKET_DAYS: Record<string, [number, number | null]> = {
  under_1_day: [0, 1],
  '1_to_3_days': [1, 3],
  '3_to_7_days': [3, 7],
  '7_to_30_days': [7, 30],
  over_30_days: [30, null],
};

export function bucketOpened(bucket: string, now: number): { openedFrom?: string; openedBefore?: string } {
  const [youngest, oldest] = BUCKET_DAYS[bucket] ?? [0, null];
  return {
    openedBefore: new Date(now - youngest * DAY).toISOString(),
    openedFrom: oldest === null ? undefined : new Date(now - oldest * DAY).toISOString(),
  };
}
