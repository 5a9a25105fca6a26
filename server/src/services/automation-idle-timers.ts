import { idleDueAt, idleThresholds, isIdleActivity } from '../../../core/automation/idle.js';
import type { AutomationRule } from '../../../core/automation/rules.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { scheduleJobs } from '../jobs/schedule.js';
import { automationIdleJob } from '../jobs/specs/automation-idle.job-spec.js';
import { findCalendarOfPolicy } from '../repositories/sla.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';

/**
 * Arms the ticket's idle timers (one per threshold the enabled `idle` rules name) when the change
 * created it or a person replied or wrote a work note: due after that many business hours of its
 * SLA policy's calendar. Durable jobs, so a restart keeps them; a timer armed earlier finds the
 * newer activity when it runs and does nothing (core/automation/idle.ts).
 */
export async function armIdleTimers(
  tx: Tx,
  rules: readonly AutomationRule[],
  change: { created: boolean; after: TicketRow; events: readonly { type: string; actorId: string | null }[]; at: Date },
): Promise<void> {
  const thresholds = idleThresholds(rules);
  if (thresholds.length === 0 || !OPEN_STATES.includes(change.after.state)) return;
  if (!change.created && !change.events.some(isIdleActivity)) return;
  const calendar = await findCalendarOfPolicy(tx, change.after.slaPolicyId);
  const since = change.at.toISOString();
  await scheduleJobs(
    tx,
    automationIdleJob,
    thresholds.map((hours) => ({ payload: { ticketId: change.after.id, hours, since }, runAt: idleDueAt(calendar, change.at, hours) })),
    change.at,
  );
}
