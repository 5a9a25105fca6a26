import type { z } from 'zod';
import type { Calendar, ChangeDetail } from '../../../../core/contracts/changes.js';
import type { ChangeView, listChangeCalendar } from '../../services/change-views.service.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentChange(c: ChangeView): z.input<typeof ChangeDetail> {
  return {
    id: c.id,
    number: c.number,
    stage: c.stage,
    type: c.type,
    risk: c.risk,
    plannedStart: c.plannedStart.toISOString(),
    plannedEnd: c.plannedEnd.toISOString(),
    implementationPlan: c.implementationPlan,
    testPlan: c.testPlan,
    backoutPlan: c.backoutPlan,
    submittedAt: iso(c.submittedAt),
    approvedAt: iso(c.approvedAt),
    outcome: c.outcome,
    approvers: c.approvers.map((a) => ({ ...a, decidedAt: iso(a.decidedAt) })),
    namedApprovers: c.namedApprovers,
    links: c.links,
    conflicts: c.conflicts,
    maintenanceId: c.maintenanceId,
  };
}

export function presentChangeCalendar(c: Awaited<ReturnType<typeof listChangeCalendar>>): z.input<typeof Calendar> {
  return {
    from: c.from.toISOString(),
    to: c.to.toISOString(),
    truncated: c.truncated,
    items: c.items.map((i) => ({ ...i, plannedStart: i.plannedStart.toISOString(), plannedEnd: i.plannedEnd.toISOString() })),
  };
}
