import type { BusinessCalendar } from './business-calendar.js';
import {
  computeTicketSla,
  nextSlaDue,
  type SlaPolicyTargets,
  type SlaTarget,
  type SlaTicketFacts,
  type StateEntry,
  slaNoteBody,
} from './sla-policy.js';

/**
 * The SLA result of an imported ticket (issue 16): its policy's clocks run over its recorded
 * history (the states it went through, holds pausing as the policy says) exactly as they would
 * have run live, so the dashboard's SLA compliance covers imported history. An import is silent:
 * no timer is set and nobody hears of it; a target that was breached gets the breach note the
 * timer would have written, at the instant it was breached, and the ticket's breach flag with it.
 */
export interface ImportedSla {
  /** The earliest due time of a clock still running or breached (as live tickets keep it). */
  dueAt: Date | null;
  /** The breach notes to record, each at the instant its target was breached. */
  breaches: { at: Date; body: string; data: { target: SlaTarget; policyId: string; dueAt: string; imported: true } }[];
}

export function importedSla(
  ticket: SlaTicketFacts,
  policy: SlaPolicyTargets,
  calendar: BusinessCalendar,
  /** Every state the ticket went through, oldest first (the import's and any already stored). */
  entries: readonly StateEntry[],
  now: Date,
  /** Targets whose breach is already on the timeline (an earlier import): not noted twice. */
  alreadyNoted: (target: SlaTarget) => boolean = () => false,
): ImportedSla {
  const targets = computeTicketSla(ticket, policy, calendar, entries, now);
  return {
    dueAt: nextSlaDue(targets),
    breaches: targets
      .filter((t) => t.status === 'breached' && t.dueAt && !alreadyNoted(t.target))
      .map((t) => ({
        at: t.dueAt as Date,
        body: slaNoteBody('breach', t),
        data: { target: t.target, policyId: t.policyId, dueAt: (t.dueAt as Date).toISOString(), imported: true as const },
      })),
  };
}

/** Events merged in time order, each new one after the events of its instant (the timeline reads in order). */
export function mergeByTime<T extends { at: Date }>(events: readonly T[], added: readonly T[]): T[] {
  const out = [...events];
  for (const a of added) {
    const i = out.findIndex((e) => e.at.getTime() > a.at.getTime());
    out.splice(i === -1 ? out.length : i, 0, a);
  }
  return out;
}
