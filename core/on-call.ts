import { DateTime } from 'luxon';

/**
 * On-call schedules (issue 4): who is on call at an instant, and the rota over a range. Pure:
 * a schedule, its overrides and an instant in; a person out.
 *
 * A schedule has a time zone and layers, bottom first. A layer is a rotation: shifts of equal
 * length handed from one participant to the next, in order, starting at `startDate` at
 * `handoffTime` local time. Daily and weekly shifts (and custom lengths that are whole days)
 * are counted in local calendar days, so a 09:00 handoff stays at 09:00 across daylight-saving
 * changes (that day's shift is 23 or 25 hours long); other custom lengths are elapsed hours.
 * A higher layer wins wherever it has someone; an override (person, from, to) wins over every
 * layer inside its window.
 */

export const ROTATION_KINDS = ['daily', 'weekly', 'custom'] as const;
export type RotationKind = (typeof ROTATION_KINDS)[number];

export interface OnCallLayer {
  name: string;
  rotation: { kind: RotationKind /** custom only */; lengthHours?: number | null };
  /** Local wall-clock time of the handoff, HH:MM. */
  handoffTime: string;
  /** Local date (YYYY-MM-DD) of the first shift; the layer covers nothing before it. */
  startDate: string;
  /** User ids, in rotation order. */
  participants: string[];
}

export interface OnCallSchedule {
  timeZone: string;
  /** Bottom first: a later layer overrides an earlier one where it has someone. */
  layers: OnCallLayer[];
}

export interface OnCallOverride {
  userId: string;
  startsAt: Date;
  endsAt: Date;
}

export interface OnCallAnswer {
  userId: string;
  source: 'override' | 'layer';
  /** Index of the layer that decided (null for an override). */
  layer: number | null;
}

export interface Shift {
  userId: string;
  start: Date;
  end: Date;
}

export interface RotaSegment extends Shift {
  source: 'override' | 'layer';
  layer: number | null;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidTimeZone(zone: string): boolean {
  return zone.length > 0 && DateTime.now().setZone(zone).isValid;
}

/** Problems with a schedule, each naming the field at fault; empty when usable. */
export function validateSchedule(schedule: OnCallSchedule): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!isValidTimeZone(schedule.timeZone)) {
    problems.push({ field: 'timeZone', message: `${schedule.timeZone} is not an IANA time zone such as Europe/Berlin` });
  }
  if (schedule.layers.length === 0) problems.push({ field: 'layers', message: 'a schedule needs at least one layer' });
  schedule.layers.forEach((layer, i) => {
    const at = `layers.${i}`;
    if (layer.participants.length === 0) {
      problems.push({ field: `${at}.participants`, message: 'a rotation needs at least one participant' });
    }
    if (!HHMM.test(layer.handoffTime)) problems.push({ field: `${at}.handoffTime`, message: 'must be a time of day like 09:00' });
    if (!DateTime.fromISO(layer.startDate, { zone: 'UTC' }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(layer.startDate)) {
      problems.push({ field: `${at}.startDate`, message: 'must be a date like 2026-03-02' });
    }
    if (layer.rotation.kind === 'custom') {
      const hours = layer.rotation.lengthHours;
      if (hours == null || !Number.isInteger(hours) || hours <= 0) {
        problems.push({ field: `${at}.rotation.lengthHours`, message: 'a custom rotation needs a length of at least 1 hour' });
      }
    }
  });
  return problems;
}

/** Shift length in local days for calendar rotations, or null for elapsed-hour rotations. */
function shiftDays(layer: OnCallLayer): number | null {
  if (layer.rotation.kind === 'daily') return 1;
  if (layer.rotation.kind === 'weekly') return 7;
  const hours = layer.rotation.lengthHours ?? 0;
  return hours % 24 === 0 ? hours / 24 : null;
}

function localStart(layer: OnCallLayer, zone: string, plusDays = 0): DateTime {
  const [hour, minute] = layer.handoffTime.split(':').map(Number);
  return DateTime.fromISO(layer.startDate, { zone }).plus({ days: plusDays }).set({ hour, minute, second: 0, millisecond: 0 });
}

/** The instant of a layer's first handoff: it covers nothing before. */
export function layerStart(layer: OnCallLayer, zone: string): Date {
  return localStart(layer, zone).toJSDate();
}

/** The index of the shift that contains `at` (negative before the layer starts). */
function shiftIndex(layer: OnCallLayer, zone: string, at: Date): number {
  const days = shiftDays(layer);
  if (days === null) {
    const lengthMs = (layer.rotation.lengthHours as number) * 3_600_000;
    return Math.floor((at.getTime() - localStart(layer, zone).toMillis()) / lengthMs);
  }
  // The local date of the last handoff instant at or before `at`.
  const local = DateTime.fromJSDate(at, { zone });
  const start = localStart(layer, zone);
  let day = Math.round(local.startOf('day').diff(start.startOf('day'), 'days').days);
  if (localStart(layer, zone, day).toMillis() > at.getTime()) day -= 1;
  return Math.floor(day / days);
}

function shiftBounds(layer: OnCallLayer, zone: string, index: number, firstHandoff?: number): { start: Date; end: Date } {
  const days = shiftDays(layer);
  if (days === null) {
    const lengthMs = (layer.rotation.lengthHours as number) * 3_600_000;
    const first = firstHandoff ?? localStart(layer, zone).toMillis();
    return { start: new Date(first + index * lengthMs), end: new Date(first + (index + 1) * lengthMs) };
  }
  return { start: localStart(layer, zone, index * days).toJSDate(), end: localStart(layer, zone, (index + 1) * days).toJSDate() };
}

const participantOf = (layer: OnCallLayer, index: number) =>
  layer.participants[((index % layer.participants.length) + layer.participants.length) % layer.participants.length];

/** Who a single layer has on call at `at`, or null before it starts (or when it has nobody). */
export function layerOnCallAt(layer: OnCallLayer, zone: string, at: Date): string | null {
  if (layer.participants.length === 0) return null;
  const index = shiftIndex(layer, zone, at);
  return index < 0 ? null : participantOf(layer, index);
}

/** Who is on call at `at`: an override covering it, else the highest layer that has someone. */
export function whoIsOnCall(schedule: OnCallSchedule, overrides: readonly OnCallOverride[], at: Date): OnCallAnswer | null {
  const t = at.getTime();
  // The latest-starting override wins if (despite validation) two cover the instant.
  const override = overrides
    .filter((o) => o.startsAt.getTime() <= t && t < o.endsAt.getTime())
    .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())[0];
  if (override) return { userId: override.userId, source: 'override', layer: null };
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const userId = layerOnCallAt(schedule.layers[i], schedule.timeZone, at);
    if (userId) return { userId, source: 'layer', layer: i };
  }
  return null;
}

/** One layer's shifts that overlap [from, to), clipped to it. */
export function layerShifts(layer: OnCallLayer, zone: string, from: Date, to: Date): Shift[] {
  if (layer.participants.length === 0 || to <= from) return [];
  const out: Shift[] = [];
  let index = Math.max(0, shiftIndex(layer, zone, from));
  const firstHandoff = localStart(layer, zone).toMillis();
  for (;;) {
    const { start, end } = shiftBounds(layer, zone, index, firstHandoff);
    if (start.getTime() >= to.getTime()) break;
    if (end.getTime() > from.getTime()) {
      out.push({
        userId: participantOf(layer, index),
        start: new Date(Math.max(start.getTime(), from.getTime())),
        end: new Date(Math.min(end.getTime(), to.getTime())),
      });
    }
    index++;
  }
  return out;
}

/**
 * The final rota over [from, to): consecutive segments of who is on call, merged where the same
 * person continues from the same source. Built from every boundary of every layer and override,
 * each segment decided by `whoIsOnCall`, so the rota and the point answer never disagree.
 */
export function renderRota(schedule: OnCallSchedule, overrides: readonly OnCallOverride[], from: Date, to: Date): RotaSegment[] {
  if (to <= from) return [];
  const points = new Set<number>([from.getTime(), to.getTime()]);
  for (const layer of schedule.layers) {
    for (const shift of layerShifts(layer, schedule.timeZone, from, to)) {
      points.add(shift.start.getTime());
      points.add(shift.end.getTime());
    }
  }
  for (const o of overrides) {
    for (const p of [o.startsAt.getTime(), o.endsAt.getTime()]) if (p > from.getTime() && p < to.getTime()) points.add(p);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const out: RotaSegment[] = [];
  for (let i = 0; i < sorted.length - 1; i++) {
    const answer = whoIsOnCall(schedule, overrides, new Date(sorted[i]));
    if (!answer) continue;
    const last = out[out.length - 1];
    if (
      last &&
      last.end.getTime() === sorted[i] &&
      last.userId === answer.userId &&
      last.source === answer.source &&
      last.layer === answer.layer
    ) {
      last.end = new Date(sorted[i + 1]);
    } else {
      out.push({ ...answer, start: new Date(sorted[i]), end: new Date(sorted[i + 1]) });
    }
  }
  return out;
}

/** Overrides of one schedule must not overlap: returns the first clash with `candidate`, if any. */
export function findOverlappingOverride<T extends { startsAt: Date; endsAt: Date }>(existing: readonly T[], candidate: T): T | null {
  return existing.find((o) => o.startsAt < candidate.endsAt && candidate.startsAt < o.endsAt) ?? null;
}
