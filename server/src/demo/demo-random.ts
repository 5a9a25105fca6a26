/**
 * Seeded randomness and working-hours arithmetic for the demo desk. Every choice the demo
 * makes comes from one seeded generator, so two loads into empty databases tell the same stories.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast and good enough to make a desk look varied. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[['a', 3], ['b', 1]]` gives a three times as often as b. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

/**
 * Moves an instant forward into the next working window (weekdays 08:00–18:00 at a UTC offset),
 * because a desk where people report and answer at 3 a.m. on Sundays does not look lived in.
 * The offset is a site's standard offset; daylight saving is ignored, an hour off is fine here.
 */
export function intoWorkingHours(at: number, utcOffsetHours: number, random: Random): number {
  const offset = utcOffsetHours * HOUR;
  let local = at + offset;
  for (let guard = 0; guard < 4; guard++) {
    const d = new Date(local);
    const day = d.getUTCDay();
    const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
    const midnight = local - (local % DAY);
    // Work that waited overnight is picked up over the morning, not all at 08:00 sharp.
    const morning = 8 * HOUR + random.int(0, 3 * HOUR);
    if (day === 6 || day === 0) {
      local = midnight + (day === 6 ? 2 : 1) * DAY + morning;
    } else if (hour < 8) {
      local = midnight + morning;
    } else if (hour >= 18) {
      local = midnight + DAY + morning;
    } else {
      break;
    }
  }
  return local - offset;
}

/** Replaces `{name}` placeholders; an unknown name is a mistake in a template, so it throws. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`demo text uses {${key}} but no value was given`);
    return value;
  });
}
