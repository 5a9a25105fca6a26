import icalGenerator from 'ical-generator';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import {
  findOverlappingOverride,
  layerShifts,
  type OnCallAnswer,
  type OnCallLayer,
  type OnCallSchedule,
  type RotaSegment,
  renderRota,
  type Shift,
  validateSchedule,
  whoIsOnCall,
} from '../../../core/on-call.js';
import type { Actor } from '../../../core/permissions.js';
import { newSecret, sha256 } from '../adapters/secrets.js';
import type { Db } from '../db/client.js';
import {
  deleteOverride,
  deleteSchedule,
  findScheduleByFeedHash,
  findScheduleById,
  insertOverride,
  insertSchedule,
  listOverrides,
  listSchedules,
  lockSchedule,
  type OverrideRow,
  policiesTargeting,
  type ScheduleRow,
  updateSchedule,
} from '../repositories/on-call.repository.js';
import { findUsersByIds, type UserRow } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { rethrowDuplicateName } from './teams.service.js';

/** The longest range a rota or feed renders at once: bounds the work one request does. */
export const MAX_ROTA_DAYS = 93;

export interface ScheduleInput {
  name?: string;
  description?: string;
  timeZone?: string;
  layers?: OnCallLayer[];
}

async function checkSchedule(db: Db, schedule: OnCallSchedule): Promise<void> {
  const problems = validateSchedule(schedule);
  if (problems.length > 0) {
    throw new AppError('validation_failed', `The schedule cannot be used: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
      errors: problems,
    });
  }
  for (const [i, layer] of schedule.layers.entries()) {
    await requireActiveUsers(db, layer.participants, 'agent', `layers.${i}.participants`);
  }
}

export async function createSchedule(deps: ServiceDeps, input: Required<ScheduleInput>): Promise<ScheduleRow> {
  return deps.db.transaction(async (tx) => {
    await checkSchedule(tx, input);
    const now = deps.clock.now();
    return insertSchedule(tx, { ...input, createdAt: now, updatedAt: now }).catch(rethrowDuplicateName(input.name));
  });
}

export async function updateScheduleById(deps: ServiceDeps, id: string, input: ScheduleInput): Promise<ScheduleRow> {
  return deps.db.transaction(async (tx) => {
    const current = await lockSchedule(tx, id);
    if (!current) throw notFound('schedule');
    await checkSchedule(tx, { timeZone: input.timeZone ?? current.timeZone, layers: input.layers ?? current.layers });
    return (await updateSchedule(tx, id, { ...input, updatedAt: deps.clock.now() }).catch(
      rethrowDuplicateName(input.name ?? ''),
    )) as ScheduleRow;
  });
}

export async function deleteScheduleById(deps: ServiceDeps, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await lockSchedule(tx, id))) throw notFound('schedule');
    const users = await policiesTargeting(tx, 'schedule', id);
    if (users.length > 0) {
      throw new AppError('conflict', `escalation policies page this schedule: ${users.map((p) => p.name).join(', ')}; change them first`);
    }
    await deleteSchedule(tx, id);
  });
}

export async function getSchedule(db: Db, id: string): Promise<ScheduleRow> {
  const schedule = await findScheduleById(db, id);
  if (!schedule) throw notFound('schedule');
  return schedule;
}

export { listSchedules };

const overridesOf = (rows: OverrideRow[]) => rows.map((o) => ({ userId: o.userId, startsAt: o.startsAt, endsAt: o.endsAt }));

/** Who is on call on a schedule at an instant (an override, or the highest layer with someone). */
export async function onCallAt(
  db: Db,
  scheduleId: string,
  at: Date,
): Promise<{ schedule: ScheduleRow; answer: OnCallAnswer | null; user: UserRow | null }> {
  const schedule = await getSchedule(db, scheduleId);
  const overrides = await listOverrides(db, [scheduleId], { from: at, to: new Date(at.getTime() + 1) });
  const answer = whoIsOnCall(schedule, overridesOf(overrides), at);
  const [user] = answer ? await findUsersByIds(db, [answer.userId]) : [];
  return { schedule, answer, user: user ?? null };
}

/** Who several schedules have on call at `at`, in one round of queries (used when paging). */
export async function onCallForSchedules(db: Db, schedules: ScheduleRow[], at: Date): Promise<Map<string, string | null>> {
  const overrides = await listOverrides(
    db,
    schedules.map((s) => s.id),
    { from: at, to: new Date(at.getTime() + 1) },
  );
  return new Map(
    schedules.map((s) => [s.id, whoIsOnCall(s, overridesOf(overrides.filter((o) => o.scheduleId === s.id)), at)?.userId ?? null]),
  );
}

function checkRange(from: Date, to: Date): void {
  if (to <= from) throw fieldError('validation_failed', 'to', 'must be after from');
  if (to.getTime() - from.getTime() > MAX_ROTA_DAYS * 86_400_000) {
    throw fieldError('validation_failed', 'to', `the range may span at most ${MAX_ROTA_DAYS} days`);
  }
}

/** The rota over [from, to): the final segments, each layer's own shifts, and the overrides. */
export async function getRota(
  db: Db,
  scheduleId: string,
  from: Date,
  to: Date,
): Promise<{ schedule: ScheduleRow; final: RotaSegment[]; layers: { name: string; shifts: Shift[] }[]; overrides: OverrideRow[] }> {
  checkRange(from, to);
  const schedule = await getSchedule(db, scheduleId);
  const overrides = await listOverrides(db, [scheduleId], { from, to });
  return {
    schedule,
    final: renderRota(schedule, overridesOf(overrides), from, to),
    layers: schedule.layers.map((layer) => ({ name: layer.name, shifts: layerShifts(layer, schedule.timeZone, from, to) })),
    overrides,
  };
}

// ---- Overrides ----

export async function listScheduleOverrides(db: Db, scheduleId: string): Promise<OverrideRow[]> {
  await getSchedule(db, scheduleId);
  return listOverrides(db, [scheduleId]);
}

/** Adds an override; refused when it overlaps another of the same schedule (checked under the schedule's lock). */
export async function addOverride(
  deps: ServiceDeps,
  actor: Actor,
  scheduleId: string,
  input: { userId: string; startsAt: Date; endsAt: Date },
): Promise<OverrideRow> {
  if (input.endsAt <= input.startsAt) throw fieldError('validation_failed', 'endsAt', 'must be after startsAt');
  return deps.db.transaction(async (tx) => {
    if (!(await lockSchedule(tx, scheduleId))) throw notFound('schedule');
    await requireActiveUsers(tx, [input.userId], 'agent', 'userId');
    const clash = findOverlappingOverride(await listOverrides(tx, [scheduleId], { from: input.startsAt, to: input.endsAt }), input);
    if (clash) {
      throw fieldError(
        'validation_failed',
        'startsAt',
        `overlaps the override from ${clash.startsAt.toISOString()} to ${clash.endsAt.toISOString()}; change or delete that one first`,
      );
    }
    return insertOverride(tx, { scheduleId, ...input, createdById: actor.id, createdAt: deps.clock.now() });
  });
}

export async function removeOverride(deps: ServiceDeps, scheduleId: string, overrideId: string): Promise<void> {
  if (!(await deleteOverride(deps.db, scheduleId, overrideId))) throw notFound('override');
}

// ---- iCalendar feed ----

/**
 * A new feed secret for the schedule (the old one stops working). Calendar apps cannot send
 * cookies, so the feed URL carries the secret; only its SHA-256 is stored.
 */
export async function rotateFeedToken(deps: ServiceDeps, scheduleId: string): Promise<string> {
  const secret = newSecret('fbc');
  const updated = await updateSchedule(deps.db, scheduleId, { feedTokenHash: sha256(secret) });
  if (!updated) throw notFound('schedule');
  return secret;
}

/**
 * The schedule's rota as RFC 5545 text: one event per final segment (with a stable UID per
 * shift), from a week ago to two months ahead. A wrong or missing secret looks like no schedule.
 */
export async function scheduleFeed(deps: ServiceDeps, scheduleId: string, token: string, publicUrl: string): Promise<string> {
  const schedule = await findScheduleByFeedHash(deps.db, scheduleId, sha256(token));
  if (!schedule) throw notFound('schedule');
  const now = deps.clock.now();
  const from = new Date(now.getTime() - 7 * 86_400_000);
  const to = new Date(now.getTime() + 62 * 86_400_000);
  const overrides = await listOverrides(deps.db, [scheduleId], { from, to });
  const segments = renderRota(schedule, overridesOf(overrides), from, to);
  const people = new Map((await findUsersByIds(deps.db, [...new Set(segments.map((s) => s.userId))])).map((u) => [u.id, u]));
  const calendar = icalGenerator({
    name: `On call: ${schedule.name}`,
    prodId: { company: 'Firebreak', product: 'on-call', language: 'EN' },
    ttl: 3600,
  });
  for (const segment of segments) {
    const person = people.get(segment.userId);
    calendar.createEvent({
      id: `${schedule.id}-${segment.start.toISOString()}-${segment.userId}@firebreak`,
      start: segment.start,
      end: segment.end,
      stamp: now,
      summary: `On call: ${person?.name ?? 'someone'} (${schedule.name})`,
      description: segment.source === 'override' ? 'Override' : `Layer: ${schedule.layers[segment.layer ?? 0]?.name ?? ''}`,
      url: `${publicUrl}/schedules/${schedule.id}`,
    });
  }
  return calendar.toString();
}
