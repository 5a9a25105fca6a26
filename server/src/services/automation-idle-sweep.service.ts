import { idleDueAt, idleThresholds } from '../../../core/automation/idle.js';
import type { BusinessCalendar } from '../../../core/business-calendar.js';
import type { Tx } from '../db/client.js';
import { scheduleJob, scheduleJobs } from '../jobs/schedule.js';
import { automationIdleJob } from '../jobs/specs/automation-idle.job-spec.js';
import { automationIdleSweepJob } from '../jobs/specs/automation-idle-sweep.job-spec.js';
import { listEnabledAutomationRules, listOpenTicketsWithLastActivity } from '../repositories/automation.repository.js';
import { findCalendarOfPolicy } from '../repositories/sla.repository.js';
import { ruleOf } from './automation-run.service.js';
import type { ServiceDeps } from './deps.js';

/** Tickets per page: one short transaction each, so ticket changes never wait long behind a sweep. */
export const IDLE_SWEEP_PAGE = 200;

/**
 * A rule "idle for N business hours" was created, switched on or given a new N: tickets already
 * quiet had no timer for N (timers are armed by activity, and nothing armed one for an N no rule
 * had), so they would never fire. Starts the sweep, in the rule's transaction.
 */
export async function startIdleSweep(tx: Tx, hours: number, at: Date): Promise<void> {
  await scheduleJob(tx, automationIdleSweepJob, { hours, sweep: at.toISOString(), after: null }, { runAt: at, now: at });
}

/**
 * One page of the sweep: each open ticket gets the timer of `hours` for its current idle stretch,
 * from its last activity — the same timer (same job id) that activity armed, so a ticket that has
 * one already, pending or run, is left as it is, and running a page twice changes nothing. A timer
 * already due runs at once and fires if the ticket is still quiet. Then the next page is scheduled.
 * Stops when no enabled rule waits `hours` any more.
 */
export async function sweepIdleTimers(
  deps: ServiceDeps,
  payload: { hours: number; sweep: string; after: string | null },
  pageSize = IDLE_SWEEP_PAGE,
): Promise<{ armed: number; done: boolean }> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const rules = (await listEnabledAutomationRules(tx)).map(ruleOf);
    if (!idleThresholds(rules).includes(payload.hours)) return { armed: 0, done: true };
    const page = await listOpenTicketsWithLastActivity(tx, { after: payload.after, limit: pageSize });
    const calendars = new Map<string | null, BusinessCalendar | null>();
    const timers = [];
    for (const ticket of page) {
      if (!calendars.has(ticket.slaPolicyId)) calendars.set(ticket.slaPolicyId, await findCalendarOfPolicy(tx, ticket.slaPolicyId));
      const calendar = calendars.get(ticket.slaPolicyId) ?? null;
      timers.push({
        payload: { ticketId: ticket.id, hours: payload.hours, since: ticket.since.toISOString() },
        runAt: idleDueAt(calendar, ticket.since, payload.hours),
      });
    }
    await scheduleJobs(tx, automationIdleJob, timers, now);
    const done = page.length < pageSize;
    if (!done) {
      const next = { ...payload, after: page[page.length - 1].id };
      await scheduleJob(tx, automationIdleSweepJob, next, { runAt: now, now });
    }
    return { armed: timers.length, done };
  });
}
