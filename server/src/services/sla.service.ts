import { alwaysOpenCalendar, type BusinessCalendar, validateCalendar } from '../../../core/business-calendar.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { businessDurationsOf } from '../../../core/kpis/ticket-kpi-facts.js';
import type { Actor } from '../../../core/permissions.js';
import {
  computeTicketSla,
  matchSlaPolicy,
  nextSlaDue,
  type SlaPolicyMatch,
  type StateEntry,
  type TicketSlaTarget,
} from '../../../core/sla-policy.js';
import type { Db, Tx } from '../db/client.js';
import type { PayloadOf } from '../jobs/job-spec.js';
import { scheduleJob, scheduleJobs } from '../jobs/schedule.js';
import { slaCheckJob } from '../jobs/specs/sla-check.job-spec.js';
import {
  type CalendarRow,
  findCalendarById,
  findSlaPolicyById,
  insertCalendar,
  insertSlaPolicy,
  listCalendars,
  listOpenTicketsForSla,
  listSlaPolicies,
  listStateEntries,
  listStateEntriesOfTickets,
  type SlaPolicyRow,
  setSlaOfTickets,
  updateCalendar,
  updateSlaPolicy,
} from '../repositories/sla.repository.js';
import { findTeamById } from '../repositories/teams.repository.js';
import { setSlaDue, type TicketRow } from '../repositories/tickets.repository.js';
import { type appendTimelineEvents, appendTimelineEventsQuietly } from '../repositories/timeline.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import { type ConfigCache, changingConfig, readConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { rethrowDuplicateName } from './teams.service.js';
import { getTicketView } from './ticket-query.service.js';

// ---- Calendars and policies (admin configuration) ----

export interface CalendarInput {
  name?: string;
  timeZone?: string;
  week?: BusinessCalendar['week'];
  holidays?: string[];
}

function checkCalendar(calendar: BusinessCalendar): void {
  const problems = validateCalendar(calendar);
  if (problems.length > 0) {
    throw new AppError('unprocessable', `The calendar cannot be used: ${problems.join('; ')}`, {
      errors: problems.map((message) => ({ field: 'week', message })),
    });
  }
}

export async function createCalendar(deps: ServiceDeps, input: Required<CalendarInput>): Promise<CalendarRow> {
  checkCalendar(input);
  return insertCalendar(deps.db, { ...input, createdAt: deps.clock.now() }).catch(rethrowDuplicateName(input.name));
}

/** A calendar's new hours or holidays move the clocks of every open ticket counted in it. */
export async function updateCalendarById(deps: ServiceDeps, id: string, input: CalendarInput, actor?: Actor): Promise<CalendarRow> {
  return deps.db.transaction(async (tx) => {
    const current = await findCalendarById(tx, id);
    if (!current) throw notFound('calendar');
    checkCalendar({
      timeZone: input.timeZone ?? current.timeZone,
      week: input.week ?? current.week,
      holidays: input.holidays ?? current.holidays,
    });
    const updated = (await updateCalendar(tx, id, input).catch(rethrowDuplicateName(input.name ?? ''))) as CalendarRow;
    if (input.timeZone !== undefined || input.week !== undefined || input.holidays !== undefined) {
      await reapplySlaPolicies(tx, {}, actor?.id ?? null, deps.clock.now());
    }
    return updated;
  });
}

export { listCalendars, listSlaPolicies };

export interface SlaPolicyInput {
  name?: string;
  position?: number;
  active?: boolean;
  match?: SlaPolicyMatch;
  calendarId?: string | null;
  firstResponseMinutes?: number | null;
  resolutionMinutes?: number | null;
  warnPercent?: number;
  pauseOnHoldReasons?: string[];
  breachEscalateToTeamId?: string | null;
  breachEscalateToManager?: boolean;
  breachEscalateToUserId?: string | null;
}

async function checkPolicy(db: Db, policy: SlaPolicyInput): Promise<void> {
  if (policy.calendarId && !(await findCalendarById(db, policy.calendarId))) {
    throw fieldError('unprocessable', 'calendarId', `no calendar has the id ${policy.calendarId}`);
  }
  if (policy.breachEscalateToTeamId && !(await findTeamById(db, policy.breachEscalateToTeamId))) {
    throw fieldError('unprocessable', 'breachEscalateToTeamId', `no team has the id ${policy.breachEscalateToTeamId}`);
  }
  if (policy.breachEscalateToUserId) await requireActiveUsers(db, [policy.breachEscalateToUserId], 'agent', 'breachEscalateToUserId');
  if (policy.firstResponseMinutes == null && policy.resolutionMinutes == null) {
    throw fieldError('unprocessable', 'resolutionMinutes', 'a policy needs a first-response or a resolution target (or both)');
  }
}

/** A new policy applies at once: open tickets it now matches get its clocks (see `reapplySlaPolicies`). */
export async function createSlaPolicy(deps: ServiceDeps, input: SlaPolicyInput & { name: string }, actor?: Actor): Promise<SlaPolicyRow> {
  return changingConfig(deps.configCache, 'sla_policies', () =>
    deps.db.transaction(async (tx) => {
      await checkPolicy(tx, input);
      const existing = await listSlaPolicies(tx);
      const created = await insertSlaPolicy(tx, {
        name: input.name,
        position: input.position ?? (existing.at(-1)?.position ?? 0) + 10,
        active: input.active ?? true,
        match: input.match ?? {},
        calendarId: input.calendarId ?? null,
        firstResponseMinutes: input.firstResponseMinutes ?? null,
        resolutionMinutes: input.resolutionMinutes ?? null,
        warnPercent: input.warnPercent ?? 75,
        pauseOnHoldReasons: input.pauseOnHoldReasons ?? ['awaiting_requester'],
        breachEscalateToTeamId: input.breachEscalateToTeamId ?? null,
        breachEscalateToManager: input.breachEscalateToManager ?? false,
        breachEscalateToUserId: input.breachEscalateToUserId ?? null,
        createdAt: deps.clock.now(),
      }).catch(rethrowDuplicateName(input.name));
      if (created.active) await reapplySlaPolicies(tx, {}, actor?.id ?? null, deps.clock.now());
      return created;
    }),
  );
}

/** Fields whose change can make a policy match other tickets. */
const MATCHING_FIELDS = ['position', 'active', 'match'] as const satisfies (keyof SlaPolicyInput)[];
/** Fields that move the clocks (or their warning timers) of the policy's own tickets; a new name or escalation moves none. */
const CLOCK_FIELDS = [
  'calendarId',
  'firstResponseMinutes',
  'resolutionMinutes',
  'warnPercent',
  'pauseOnHoldReasons',
] as const satisfies (keyof SlaPolicyInput)[];

export async function updateSlaPolicyById(deps: ServiceDeps, id: string, input: SlaPolicyInput, actor?: Actor): Promise<SlaPolicyRow> {
  return changingConfig(deps.configCache, 'sla_policies', () =>
    deps.db.transaction(async (tx) => {
      const current = await findSlaPolicyById(tx, id);
      if (!current) throw notFound('SLA policy');
      await checkPolicy(tx, { ...current, ...input });
      const updated = (await updateSlaPolicy(tx, id, input).catch(rethrowDuplicateName(input.name ?? ''))) as SlaPolicyRow;
      if (MATCHING_FIELDS.some((field) => input[field] !== undefined))
        await reapplySlaPolicies(tx, {}, actor?.id ?? null, deps.clock.now());
      else if (CLOCK_FIELDS.some((field) => input[field] !== undefined)) {
        await reapplySlaPolicies(tx, { policyId: id }, actor?.id ?? null, deps.clock.now());
      }
      return updated;
    }),
  );
}

/** Open tickets read, computed and written per statement while re-applying policies. */
export const REAPPLY_BATCH = 1_000;

/**
 * After a policy or calendar changed: each open ticket (or, when `policyId` is given, each open
 * ticket on that policy) gets the policy that now matches it, and its clocks are recomputed from
 * its timeline (holds pause them as for any ticket), in the admin's transaction, a page of
 * `REAPPLY_BATCH` tickets at a time: one read of the tickets, one of their state changes, one
 * update, one insert of timeline entries and one of timers per page.
 *
 * A ticket whose policy changed says so on its timeline (internal, by the admin), without
 * notifications: it is a change of the desk's configuration, not news about the ticket. Timers
 * are set only for warning and breach instants still ahead; a clock already past them shows as
 * breached in the queues, but a policy made today does not escalate yesterday's tickets by the
 * thousand.
 */
export async function reapplySlaPolicies(
  tx: Tx,
  scope: { policyId?: string },
  actorId: string | null,
  now: Date,
): Promise<{ tickets: number; policyChanged: number }> {
  const policies = await listSlaPolicies(tx);
  const calendars = new Map((await listCalendars(tx)).map((row) => [row.id, calendarOf(row)]));
  const utc = calendarOf(undefined);
  let afterId: string | null = null;
  let seen = 0;
  let policyChanged = 0;
  for (;;) {
    const page = await listOpenTicketsForSla(tx, { afterId, limit: REAPPLY_BATCH, policyId: scope.policyId });
    if (page.length === 0) break;
    afterId = page[page.length - 1].id;
    seen += page.length;
    const entries = await listStateEntriesOfTickets(
      tx,
      page.map((t) => t.id),
    );
    const updates: Parameters<typeof setSlaOfTickets>[1][number][] = [];
    const events: Parameters<typeof appendTimelineEvents>[1] = [];
    const timers: SlaTimer[] = [];
    for (const ticket of page) {
      const policy = matchSlaPolicy(policies, ticket);
      const calendar = policy?.calendarId ? (calendars.get(policy.calendarId) ?? utc) : utc;
      const targets = policy ? computeTicketSla(ticket, policy, calendar, entries.get(ticket.id) ?? [], now) : [];
      const due = nextSlaDue(targets);
      const policyId = policy?.id ?? null;
      if (policyId !== ticket.slaPolicyId) {
        // Another policy, maybe another calendar: the KPI facts' business hours are recounted in it.
        const kpiCalendar = policy?.calendarId ? (calendars.get(policy.calendarId) ?? null) : null;
        updates.push({ id: ticket.id, slaPolicyId: policyId, slaDueAt: due, ...businessDurationsOf(ticket, kpiCalendar) });
      } else if ((due?.getTime() ?? null) !== (ticket.slaDueAt?.getTime() ?? null)) {
        updates.push({ id: ticket.id, slaPolicyId: policyId, slaDueAt: due });
      }
      if (policyId !== ticket.slaPolicyId) {
        policyChanged++;
        events.push({
          ticketId: ticket.id,
          actorId,
          at: now,
          internal: true,
          type: 'field_changed',
          changes: [{ field: 'slaPolicyId', from: ticket.slaPolicyId, to: policyId }],
          data: { cause: 'sla_configuration' },
        });
      }
      for (const timer of slaTimersOf(ticket.id, targets)) if (timer.runAt.getTime() > now.getTime()) timers.push(timer);
    }
    await setSlaOfTickets(tx, updates);
    await appendTimelineEventsQuietly(tx, events);
    await scheduleJobs(tx, slaCheckJob, timers, now);
    if (page.length < REAPPLY_BATCH) break;
  }
  return { tickets: seen, policyChanged };
}

// ---- Tickets ----

function calendarOf(row: CalendarRow | undefined): BusinessCalendar {
  return row ? { timeZone: row.timeZone, week: row.week, holidays: row.holidays } : alwaysOpenCalendar('UTC');
}

/** The policy for a ticket about to be written: first active match, by position. */
export async function chooseSlaPolicy(
  tx: Db,
  ticket: { priority: number; kind: TicketRow['kind']; serviceId: string | null; requesterId: string },
  cache?: ConfigCache,
): Promise<SlaPolicyRow | null> {
  const policies = await readConfig(cache, 'sla_policies', 'sla_policies', () => listSlaPolicies(tx));
  if (policies.length === 0) return null;
  const requester = await findUserById(tx, ticket.requesterId);
  return matchSlaPolicy(policies, { ...ticket, organisation: requester?.organisation ?? null });
}

/** A policy by id: from the process's cached list of policies when there is one (every SLA timer and write reads it). */
async function slaPolicyById(tx: Db, id: string, cache?: ConfigCache): Promise<SlaPolicyRow | undefined> {
  if (!cache) return findSlaPolicyById(tx, id);
  const policies = await readConfig(cache, 'sla_policies', 'sla_policies', () => listSlaPolicies(tx));
  // A policy another process made a moment ago may not have reached this cache yet: ask for it.
  return policies.find((policy) => policy.id === id) ?? findSlaPolicyById(tx, id);
}

/** The ticket's policy and each of its targets' clocks; no policy, no clocks. (Also the SLA timer's reading.) */
export async function slaOf(
  tx: Db,
  ticket: TicketRow,
  now: Date,
  entries?: StateEntry[],
  cache?: ConfigCache,
): Promise<{ policy: SlaPolicyRow | null; targets: TicketSlaTarget[] }> {
  const policy = ticket.slaPolicyId ? ((await slaPolicyById(tx, ticket.slaPolicyId, cache)) ?? null) : null;
  if (!policy) return { policy: null, targets: [] };
  const calendar = calendarOf(policy.calendarId ? await findCalendarById(tx, policy.calendarId) : undefined);
  return { policy, targets: computeTicketSla(ticket, policy, calendar, entries ?? (await listStateEntries(tx, ticket.id)), now) };
}

/**
 * `slaOf` for many tickets at once (a sweep's SLA timers): their state changes in one query, each
 * policy from the cache and each calendar read once, instead of a query or two per ticket.
 */
export async function slaOfTickets(
  tx: Db,
  tickets: readonly TicketRow[],
  now: Date,
  cache?: ConfigCache,
): Promise<Map<string, { policy: SlaPolicyRow | null; targets: TicketSlaTarget[] }>> {
  const slas = new Map<string, { policy: SlaPolicyRow | null; targets: TicketSlaTarget[] }>();
  const policies = new Map<string, SlaPolicyRow | null>();
  for (const id of new Set(tickets.map((t) => t.slaPolicyId))) {
    if (id) policies.set(id, (await slaPolicyById(tx, id, cache)) ?? null);
  }
  const withPolicy = tickets.filter((t) => t.slaPolicyId && policies.get(t.slaPolicyId));
  const entries = await listStateEntriesOfTickets(
    tx,
    withPolicy.map((t) => t.id),
  );
  const calendars = new Map<string, BusinessCalendar>();
  for (const ticket of tickets) {
    const policy = (ticket.slaPolicyId && policies.get(ticket.slaPolicyId)) || null;
    if (!policy) {
      slas.set(ticket.id, { policy: null, targets: [] });
      continue;
    }
    let calendar = calendars.get(policy.calendarId ?? '');
    if (!calendar) {
      calendar = calendarOf(policy.calendarId ? await findCalendarById(tx, policy.calendarId) : undefined);
      calendars.set(policy.calendarId ?? '', calendar);
    }
    slas.set(ticket.id, { policy, targets: computeTicketSla(ticket, policy, calendar, entries.get(ticket.id) ?? [], now) });
  }
  return slas;
}

/** Each SLA target of a ticket: due time, business time used and left, running, paused, met or breached. */
export async function getTicketSla(
  db: Db,
  actor: Actor,
  ticketId: string,
  now: Date,
): Promise<(TicketSlaTarget & { businessHours: boolean })[]> {
  const view = await getTicketView(db, actor, ticketId);
  const { policy, targets } = await slaOf(db, view.ticket, now);
  // Whether the times are business time: the desk then says "4 business hours", not "4 h".
  return targets.map((t) => ({ ...t, businessHours: Boolean(policy?.calendarId) }));
}

/**
 * Sets the warning and breach timers of a ticket's running clocks, in the caller's transaction.
 * Called after every write that can move them (report, priority or policy change, hold, resume,
 * resolve, reopen). Timers already set for other instants stay and find nothing to do.
 */
export async function scheduleSlaTimers(
  tx: Tx,
  ticket: TicketRow,
  now: Date,
  entries?: StateEntry[],
  cache?: ConfigCache,
): Promise<Date | null> {
  const { targets } = await slaOf(tx, ticket, now, entries, cache);
  const due = nextSlaDue(targets);
  if ((due?.getTime() ?? null) !== (ticket.slaDueAt?.getTime() ?? null)) await setSlaDue(tx, ticket.id, due);
  for (const timer of slaTimersOf(ticket.id, targets)) await scheduleJob(tx, slaCheckJob, timer.payload, { runAt: timer.runAt, now });
  return due;
}

interface SlaTimer {
  payload: PayloadOf<typeof slaCheckJob>;
  runAt: Date;
}

/** The warning and breach timers of a ticket's running clocks (the job's id names the instant, so each is set once). */
function slaTimersOf(ticketId: string, targets: readonly TicketSlaTarget[]): SlaTimer[] {
  const timers: SlaTimer[] = [];
  for (const clock of targets) {
    if (clock.status !== 'running') continue;
    for (const [kind, at] of [
      ['warning', clock.warnAt],
      ['breach', clock.dueAt],
    ] as const) {
      if (!at) continue;
      timers.push({ payload: { ticketId, target: clock.target, kind }, runAt: at });
    }
  }
  return timers;
}
