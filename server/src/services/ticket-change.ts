import type { ChangeOrigin } from '../../../core/automation/evaluate.js';
import type { BusinessCalendar } from '../../../core/business-calendar.js';
import { breachRecorded, businessDurationsOf, type KpiTimes, kpiTimesChanged } from '../../../core/kpis/ticket-kpi-facts.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import { ownerAfter } from '../../../core/reassignment.js';
import { isPublicIncident } from '../../../core/status-subscriptions.js';
import { countsAfter } from '../../../core/ticket-counts.js';
import { type FollowUp, followUpsOf, type SilentReason, type TicketFacts } from '../../../core/ticket-follow-ups.js';
import type { Tx } from '../db/client.js';
import { findCalendarOfPolicy } from '../repositories/sla.repository.js';
import {
  insertTickets,
  insertTicketWithEvents,
  markSlaBreached,
  type NewTicketRow,
  saveTicket,
  type TicketRow,
} from '../repositories/tickets.repository.js';
import {
  appendTimelineEvents,
  appendTimelineEventsQuietly,
  type NewTimelineEventRow,
  type TimelineEventRow,
  withholdLiveAnnouncements,
} from '../repositories/timeline.repository.js';
import { scheduleAutoClose } from './auto-close.service.js';
import { runAutomationRules } from './automation-run.service.js';
import { scheduleChildResolution } from './child-resolution.service.js';
import type { ConfigCache } from './config-cache.js';
import { autoPageIfCritical, corroborateHeldPages, pageAfterConfirmation, pageAfterHold } from './critical-paging.service.js';
import { enqueueNotifications } from './notifications.service.js';
import { endPagesOfTicket, pageRoleHolder } from './paging.service.js';
import { scheduleSlaTimers } from './sla.service.js';
import { scheduleSubscriberAnnouncements } from './status-fan-out.service.js';
import { type StormChecksSeen, scheduleStormDetection } from './storm-schedule.service.js';
import { keepUpdateCadence } from './update-cadence.service.js';

/** An event of the change: the pipeline adds the ticket, the actor and the instant. */
export type ChangeEvent = Omit<NewTimelineEventRow, 'ticketId' | 'actorId' | 'at' | 'internal'> & {
  internal?: boolean;
  /**
   * Only in an import (`silent: 'import'`): the event happened at another time, by another person
   * (the source's `sys_updated_by`), and is recorded as it happened, not as the importer's act.
   */
  happened?: { at: Date; actorId: string | null };
};

interface ChangeCommon {
  /** Who made the change; `null` is Firebreak itself (a timer, a job). */
  actor: Actor | null;
  at: Date;
  events: ChangeEvent[];
  /** The writer promises people and webhooks hear of this another way, or must not at all. */
  silent?: SilentReason;
  /** Firebreak released a held page (the held-page timer): why it was held, quoted in the page it sets off. */
  releasedBecause?: string;
  /** Made by automation rules: which, outermost first (none fires again on it; the chain is bounded). */
  automation?: ChangeOrigin;
  /** The server's configuration cache, when the writer has one: rules and webhooks are read through it. */
  configCache?: ConfigCache;
  /** The storm checks the server saw scheduled already, when the writer has them (a report skips asking again). */
  stormChecksSeen?: StormChecksSeen;
}

export type TicketChange =
  | (ChangeCommon & {
      before: null;
      /** The new ticket; its number, left out, is the next of its kind (drawn in the INSERT). */
      row: Omit<NewTicketRow, 'updatedAt' | 'updatedById' | 'number'> & { number?: string };
    })
  | (ChangeCommon & {
      /** The ticket as the writer locked it in this transaction. */
      before: TicketRow;
      /** The fields that change; the pipeline adds the version, updatedAt and updatedById. */
      patch: Partial<NewTicketRow>;
      /** `false`: a note that changes no field (an alert repeat) — no new version, the row is not written. */
      bumpsVersion?: boolean;
    });

/**
 * The one path for every ticket change, inside the writer's transaction: writes the row (a new
 * ticket, or the patch with a new version, updatedAt and updatedById), appends the timeline
 * events, then carries out every follow-up `core/ticket-follow-ups.ts` derives from (before,
 * after, events). Writers decide their domain change (state machine, fields); what follows is
 * decided here and nowhere else. Returns the ticket as committed and the events as stored.
 */
export async function applyTicketChange(tx: Tx, change: TicketChange): Promise<{ ticket: TicketRow; events: TimelineEventRow[] }> {
  const { actor, at } = change;
  const actorId = actor?.id ?? null;
  if (change.silent !== 'import' && change.events.some((e) => e.happened)) throw new Error('only an import records events at other times');
  // History is not news, live either: the importer announces one refresh when it is done.
  if (change.silent === 'import') await withholdLiveAnnouncements(tx, 'import');
  // As stored: the actor and instant of the change, or of an imported event's own past.
  const eventRows = change.events.map(({ happened, ...e }) => ({
    ...e,
    actorId: happened ? happened.actorId : actorId,
    at: happened ? happened.at : at,
    internal: e.internal ?? false,
  }));
  let ticket: TicketRow;
  let events: TimelineEventRow[] | undefined;
  if (change.before === null) {
    const row = { ...change.row, ...(await kpiFactsAfter(tx, null, change.row as KpiTimes, change.events)) };
    // The row and its events in one statement: a creation's one round trip besides BEGIN and COMMIT.
    ({ ticket, events } = await insertTicketWithEvents(tx, { ...row, updatedAt: at, updatedById: actorId }, eventRows));
  } else if (change.bumpsVersion === false) {
    // A field changed without a new version would slip past every If-Match: refuse it loudly.
    if (Object.keys(change.patch).length > 0) throw new Error('a ticket change that writes fields must bump the version');
    ticket = change.before;
    // An SLA breach is such a note: the flag reports read follows it, still without a new version.
    if (breachRecorded(ticket, change.events)) {
      await markSlaBreached(tx, [ticket.id]);
      ticket = { ...ticket, slaBreached: true };
    }
  } else {
    // Counted here, whichever writer moved the ticket (an edit, an escalation, taking it over when
    // starting work, a requester's reopening reply), so a KPI cannot depend on the path:
    // ServiceNow's reassignment_count and reopen_count, and the staff replies first-contact
    // resolution looks at.
    const after = { ...ownerAfter(change.before, change.patch), state: change.patch.state ?? change.before.state };
    const events = change.events.map((e) => ({ type: e.type, internal: e.internal ?? false }));
    // An import states the counters its history gave (core/import counts it the same way).
    const counted = change.silent === 'import' ? {} : countsAfter(change.before, after, events, actor !== null && isStaff(actor));
    const patch = {
      ...change.patch,
      ...counted,
      ...(await kpiFactsAfter(tx, change.before, { ...change.before, ...definedOf(change.patch) } as KpiTimes, change.events)),
    };
    ticket = await saveTicket(tx, change.before.id, { ...patch, updatedAt: at, updatedById: actorId });
  }
  // A creation wrote its events with the row; every other change appends them now.
  const ticketId = ticket.id;
  events ??= await appendTimelineEvents(
    tx,
    eventRows.map((e) => ({ ...e, ticketId })),
  );
  const followUps = followUpsOf({
    before: change.before && factsOf(change.before),
    after: factsOf(ticket),
    events,
    by: actor === null ? null : isStaff(actor) ? 'staff' : 'requester',
    silent: change.silent,
  });
  for (const followUp of followUps) {
    if (followUp.kind === 'run_automation') {
      // Last in the table: what the rules changed is the ticket the writer presents.
      const input = { before: change.before, after: ticket, events, origin: change.automation ?? { firedBy: [] }, at };
      ticket = (await runAutomationRules(tx, input, applyTicketChange, change.configCache)) ?? ticket;
    } else {
      await carryOut(tx, followUp, change, ticket, events);
    }
  }
  return { ticket, events };
}

async function carryOut(tx: Tx, followUp: FollowUp, change: TicketChange, ticket: TicketRow, events: TimelineEventRow[]): Promise<void> {
  const { at, actor } = change;
  switch (followUp.kind) {
    case 'notify':
      return enqueueNotifications(tx, ticket, events, at, change.configCache);
    case 'schedule_sla_timers': {
      // A new ticket's state history is the one entry just written: no need to read it back.
      const due = await scheduleSlaTimers(
        tx,
        ticket,
        at,
        followUp.created ? [{ at, state: ticket.state, onHoldReason: null }] : undefined,
        change.configCache,
      );
      // The row handed back to the writer (and presented from it, without a read) shows the due
      // time just committed, not the one the INSERT or UPDATE returned before it was computed.
      ticket.slaDueAt = due;
      return;
    }
    case 'schedule_auto_close':
      return scheduleAutoClose(tx, ticket.id, at);
    case 'end_pages':
      return endPagesOfTicket(tx, ticket, actor?.id ?? null, at);
    case 'auto_page':
      return autoPageIfCritical(tx, ticket, followUp.previousPriority, at, followUp.raisedBy);
    case 'page_after_confirmation':
      // The facts say a person settled it, so the actor is there.
      if (actor) await pageAfterConfirmation(tx, ticket, actor, at);
      return;
    case 'page_after_hold':
      return pageAfterHold(tx, ticket, change.releasedBecause, at);
    case 'corroborate_held_pages':
      return corroborateHeldPages(tx, ticket, at);
    case 'resolve_children':
      return scheduleChildResolution(tx, ticket, at);
    case 'detect_storm':
      return scheduleStormDetection(tx, at, change.stormChecksSeen);
    case 'announce_to_subscribers':
      return scheduleSubscriberAnnouncements(tx, ticket, events, followUp.announcements, at);
    case 'keep_update_cadence':
      return keepUpdateCadence(tx, ticket, followUp, at);
    case 'page_role_holder':
      await pageRoleHolder(tx, ticket, followUp, actor?.id ?? null, at);
      return;
    case 'run_automation':
      return; // carried out by applyTicketChange itself, which hands the rules the pipeline
  }
}

/**
 * The KPI facts the row keeps (core/kpis/ticket-kpi-facts.ts): the business hours to first response
 * and to resolution, recounted in the SLA policy's calendar only when a time they are counted from
 * (or the policy) moved, and the breach flag when the change records a breach. Only what changed.
 */
async function kpiFactsAfter(
  tx: Tx,
  before: (KpiTimes & { slaBreached: boolean }) | null,
  after: KpiTimes,
  events: readonly { type: string }[],
  calendarOf: (policyId: string | null) => Promise<BusinessCalendar | null> = (id) => findCalendarOfPolicy(tx, id),
): Promise<Partial<NewTicketRow>> {
  const facts: Partial<NewTicketRow> = {};
  if (kpiTimesChanged(before, after)) {
    Object.assign(facts, businessDurationsOf(after, await calendarOf(after.slaPolicyId ?? null)));
  }
  if (breachRecorded(before, events)) facts.slaBreached = true;
  return facts;
}

/** The fields a patch sets (a key given as undefined leaves the column as it is, as in the UPDATE). */
function definedOf<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function factsOf(ticket: TicketRow): TicketFacts {
  return {
    kind: ticket.kind,
    state: ticket.state,
    priority: ticket.priority,
    channel: ticket.channel,
    slaPolicyId: ticket.slaPolicyId,
    onHoldReason: ticket.onHoldReason,
    firstResponseAt: ticket.firstResponseAt,
    pageHeldSince: ticket.pageHeldSince,
    publicIncident: isPublicIncident(ticket),
    majorSince: ticket.majorSince,
  };
}

/**
 * Many new tickets imported at once (issue 16): each a creation with its history, each event at
 * its own time and by its own actor. An import is silent, and by the table (core/ticket-follow-ups)
 * nothing follows it; this asks the table for every ticket all the same and refuses a batch that
 * would need a follow-up, so the bulk path cannot skip what the one-by-one path would do. Two
 * statements for the batch (the tickets, their events) instead of two per ticket.
 */
export async function createImportedTickets(
  tx: Tx,
  batch: readonly {
    actor: Actor | null;
    at: Date;
    row: Omit<NewTicketRow, 'updatedAt' | 'updatedById' | 'number' | 'id'> & { id: string; number?: string };
    events: ChangeEvent[];
  }[],
): Promise<void> {
  if (batch.length === 0) return;
  for (const { row, events } of batch) {
    const after: TicketRow = { ...(row as TicketRow) };
    const followUps = followUpsOf({
      before: null,
      after: factsOf({ ...after, pageHeldSince: row.pageHeldSince ?? null, majorSince: row.majorSince ?? null, scope: row.scope }),
      events: events.map((e) => ({ type: e.type, internal: e.internal ?? false, data: e.data ?? null })),
      by: 'staff',
      silent: 'import',
    });
    if (followUps.length > 0) throw new Error(`an imported ticket would need follow-ups (${followUps.map((f) => f.kind).join(', ')})`);
  }
  // The KPI facts a live ticket keeps (business hours to acknowledge and resolve), so the
  // dashboard's figures over imported tickets are as true as over live ones.
  // A batch's tickets share a few policies: each policy's calendar is read once, not once a ticket.
  const calendars = new Map<string | null, Promise<BusinessCalendar | null>>();
  const calendarOf = (policyId: string | null) => {
    const known = calendars.get(policyId);
    if (known) return known;
    const calendar = findCalendarOfPolicy(tx, policyId);
    calendars.set(policyId, calendar);
    return calendar;
  };
  const rows = [];
  for (const { row, actor, at, events } of batch) {
    const facts = await kpiFactsAfter(tx, null, row as unknown as KpiTimes, events, calendarOf);
    rows.push({ ...row, ...facts, updatedAt: at, updatedById: actor?.id ?? null });
  }
  await withholdLiveAnnouncements(tx, 'import');
  await insertTickets(tx, rows);
  await appendTimelineEventsQuietly(
    tx,
    batch.flatMap(({ row, actor, at, events }) =>
      events.map(({ happened, ...e }) => ({
        ...e,
        ticketId: row.id,
        actorId: happened ? happened.actorId : (actor?.id ?? null),
        at: happened ? happened.at : at,
        internal: e.internal ?? false,
      })),
    ),
  );
}

/**
 * Notes on many tickets in one statement: events that change no field (no new version) and that
 * the writer keeps silent — so, by the table, they have no follow-up at all. An alert storm
 * writes one note per ticket per batch through here instead of a statement per ticket.
 */
export async function appendSilentNotes(
  tx: Tx,
  notes: { actor: Actor | null; at: Date; silent: SilentReason; notes: readonly { ticketId: string; event: ChangeEvent }[] },
): Promise<void> {
  const actorId = notes.actor?.id ?? null;
  await markSlaBreached(
    tx,
    notes.notes.filter((n) => n.event.type === 'sla_breached').map((n) => n.ticketId),
  );
  await appendTimelineEventsQuietly(
    tx,
    notes.notes.map(({ ticketId, event }) => ({ ...event, ticketId, actorId, at: notes.at, internal: event.internal ?? false })),
  );
}
