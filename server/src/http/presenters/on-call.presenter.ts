import type { z } from 'zod';
import type { OnCallBody, OverrideBody, ScheduleBody, ShiftsBody } from '../../../../core/contracts/on-call.js';
import type { OnCallAnswer, RotaSegment, Shift } from '../../../../core/on-call.js';
import type { OverrideRow, ScheduleRow } from '../../repositories/on-call.repository.js';
import type { UserRow } from '../../repositories/users.repository.js';

/** Never includes the calendar feed secret's hash: only whether there is a feed. */
export function presentSchedule({ feedTokenHash, ...s }: ScheduleRow): z.input<typeof ScheduleBody> {
  return { ...s, hasCalendarFeed: feedTokenHash !== null, createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString() };
}

export function presentOverride(o: OverrideRow): z.input<typeof OverrideBody> {
  return { ...o, startsAt: o.startsAt.toISOString(), endsAt: o.endsAt.toISOString(), createdAt: o.createdAt.toISOString() };
}

const presentShift = <T extends Shift>(s: T) => ({ ...s, start: s.start.toISOString(), end: s.end.toISOString() });

/** Who is on call at `at`, and from which layer (or an override). */
export function presentOnCall(
  at: Date,
  { schedule, answer, user }: { schedule: ScheduleRow; answer: OnCallAnswer | null; user: UserRow | null },
): z.input<typeof OnCallBody> {
  return {
    at: at.toISOString(),
    user: user ? { id: user.id, name: user.name, email: user.email } : null,
    source: answer?.source ?? null,
    layer: answer?.layer != null ? (schedule.layers[answer.layer]?.name ?? null) : null,
  };
}

/** The rota from `from` to `to`: the final shifts, each layer's, and the overrides. */
export function presentRota(
  from: Date,
  to: Date,
  rota: { schedule: ScheduleRow; final: RotaSegment[]; layers: { name: string; shifts: Shift[] }[]; overrides: OverrideRow[] },
): z.input<typeof ShiftsBody> {
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    timeZone: rota.schedule.timeZone,
    final: rota.final.map(presentShift),
    layers: rota.layers.map((l) => ({ name: l.name, shifts: l.shifts.map(presentShift) })),
    overrides: rota.overrides.map(presentOverride),
  };
}
