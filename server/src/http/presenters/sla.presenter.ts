import type { z } from 'zod';
import type { BusinessCalendarBody, SlaPolicyBody, TicketSlaTargetBody } from '../../../../core/contracts/sla.js';
import type { TicketSlaTarget } from '../../../../core/sla-policy.js';
import type { CalendarRow, SlaPolicyRow } from '../../repositories/sla.repository.js';

export function presentCalendar(c: CalendarRow): z.input<typeof BusinessCalendarBody> {
  return { ...c, createdAt: c.createdAt.toISOString() };
}

export function presentSlaPolicy(p: SlaPolicyRow): z.input<typeof SlaPolicyBody> {
  return { ...p, createdAt: p.createdAt.toISOString() };
}

export function presentSlaTarget(t: TicketSlaTarget & { businessHours: boolean }): z.input<typeof TicketSlaTargetBody> {
  return { ...t, dueAt: t.dueAt?.toISOString() ?? null, warnAt: t.warnAt?.toISOString() ?? null };
}
