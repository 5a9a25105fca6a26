import { alwaysOpenCalendar, type BusinessCalendar } from '../../../core/business-calendar.js';
import { importedSla, mergeByTime } from '../../../core/imported-sla.js';
import { type MatchableTicket, matchSlaPolicy, type SlaTicketFacts, type StateEvent, stateEntryOf } from '../../../core/sla-policy.js';
import type { Db, Tx } from '../db/client.js';
import { hasSlaEvent, listCalendars, listSlaPolicies, listStateEntries, type SlaPolicyRow } from '../repositories/sla.repository.js';
import type { ChangeEvent } from './ticket-change.js';

/**
 * The SLA policy and result of imported tickets (core/imported-sla.ts): the policy that matches the
 * ticket as imported, its clocks over the imported history, the breach notes at their instants.
 * Policies and calendars are read once per import.
 */
export interface ImportSlaSetup {
  policies: SlaPolicyRow[];
  calendars: Map<string, BusinessCalendar>;
}

export async function loadImportSlaSetup(db: Db): Promise<ImportSlaSetup> {
  const calendars = new Map(
    (await listCalendars(db)).map((c) => [c.id, { timeZone: c.timeZone, week: c.week, holidays: c.holidays } as BusinessCalendar]),
  );
  return { policies: await listSlaPolicies(db), calendars };
}

/** An import's events as the SLA clocks read them (each at the instant it happened). */
const stateEventsOf = (events: readonly ChangeEvent[]): StateEvent[] =>
  events.flatMap((e) => (e.happened ? [{ at: e.happened.at, type: e.type, changes: e.changes, data: e.data }] : []));

/**
 * The ticket's policy and due time, and its events with the breach notes merged in where they
 * happened. `stored` is the timeline already there (a newer export of a ticket imported before).
 */
export async function withImportedSla(
  tx: Tx,
  setup: ImportSlaSetup,
  ticket: MatchableTicket & SlaTicketFacts,
  events: ChangeEvent[],
  now: Date,
  stored?: { ticketId: string },
): Promise<{ slaPolicyId: string | null; slaDueAt: Date | null; events: ChangeEvent[] }> {
  const policy = matchSlaPolicy(setup.policies, ticket);
  if (!policy) return { slaPolicyId: null, slaDueAt: null, events };
  const calendar = (policy.calendarId && setup.calendars.get(policy.calendarId)) || alwaysOpenCalendar('UTC');
  const entries = [
    ...(stored ? await listStateEntries(tx, stored.ticketId) : []),
    ...stateEventsOf(events).flatMap((e) => stateEntryOf(e) ?? []),
  ];
  const noted = new Set<string>();
  if (stored)
    for (const target of ['first_response', 'resolution'] as const)
      if (await hasSlaEvent(tx, stored.ticketId, 'sla_breached', target, policy.id)) noted.add(target);
  const result = importedSla(ticket, policy, calendar, entries, now, (t) => noted.has(t));
  const notes = result.breaches.map((b): ChangeEvent & { at: Date } => ({
    at: b.at,
    type: 'sla_breached',
    internal: true,
    body: b.body,
    data: b.data,
    happened: { at: b.at, actorId: null },
  }));
  const timed = events.map((e) => ({ ...e, at: e.happened?.at ?? now }));
  return {
    slaPolicyId: policy.id,
    slaDueAt: result.dueAt,
    events: mergeByTime(timed, notes).map(({ at: _, ...e }) => e),
  };
}
