import { type RaisedBy, shouldAutoPage } from './paging.js';
import { OPEN_STATES, type TicketState } from './vocabulary.js';

/**
 * What follows a ticket change. Every writer hands its change — the ticket before (null for a
 * new one), after, and the timeline events it appends — to the one pipeline
 * (`server/src/services/ticket-change.ts`), which asks this function what else must happen in
 * the same transaction and does it. Nothing here does I/O: the table below is the whole rule.
 *
 * | when                                                        | follow-up                    |
 * |-------------------------------------------------------------|------------------------------|
 * | any event, unless the writer said it is silent              | notify (people and webhooks) |
 * | a policy before or after, and: created, policy changed,     | (re)schedule SLA timers      |
 * |   state or hold reason changed, first response just made    |                              |
 * | moved into resolved                                         | schedule auto-close          |
 * | moved out of an open state                                  | end running pages            |
 * | an open incident became P1 (or was created P1)              | page on-call, or hold the    |
 * |                                                             |   page for staff to confirm  |
 * | a held P1 page was settled (hold marker cleared by a person)| page now if still P1         |
 * | a held P1 page was released by Firebreak (the wait ran out, | page now if still P1, saying |
 * |   or monitoring corroborated it)                            |   why it was held            |
 * | monitoring opened an incident                               | page the held P1s it proves  |
 * | an incident moved into resolved                             | resolve its open children    |
 * |                                                             |   (a job, in batches)        |
 * | an incident or disturbance was created (not imported)       | look for a storm on its      |
 * |                                                             |   service (a debounced job)  |
 * | a public incident (global or major): staff wrote a public   | announce it to status page   |
 * |   comment, it started (created or became public) or it      |   subscribers (a fan-out     |
 * |   moved into resolved; a public update corrected with       |   job per piece of news; the |
 * |   "notify subscribers" ticked                               |   start's after a wait)      |
 * | a major incident: declared, priority or open/closed changed,| keep its update cadence (the |
 * |   or an update sent (a stakeholder update, a staff public   |   next-due time and its      |
 * |   comment)                                                  |   reminder timer)            |
 * | a response role that pages was given to someone (assigned   | page that person (then the   |
 * |   or handed over) on an open incident                       |   ticket's escalation policy)|
 * | any change that is not silent (last, after the others)      | run the automation rules     |
 *
 * An import (`silent: 'import'`) is history, not news: nothing follows it at all — no
 * notification, SLA timer, auto-close, page, storm, announcement or cadence (issue 16).
 *
 * Live announcements need no row here: the database trigger on timeline events NOTIFYs every
 * server process of every event, in the same commit — except in an import's transactions, which
 * withhold them (migration 0070); the importer announces one refresh at its end instead.
 */

/** The fields of a ticket that decide its follow-ups. */
export interface TicketFacts {
  kind: string;
  state: TicketState;
  priority: number;
  channel: string;
  slaPolicyId: string | null;
  onHoldReason: string | null;
  firstResponseAt: Date | null;
  pageHeldSince: Date | null;
  /**
   * An incident the public may know of: global scope or a major incident (what the status page
   * shows). Absent counts as not public.
   */
  publicIncident?: boolean;
  /** Set while the incident is a major incident: only those keep an update cadence. */
  majorSince?: Date | null;
}

/**
 * Why a writer must not notify anyone. Each is a promise that people and webhooks hear of the
 * change another way (or, for an import, must not hear of history at all).
 */
export const SILENT_REASONS = [
  // Loading history from another tool: nothing in it is news.
  'import',
  // Alert notes come in storms; the ticket's opening, resolution and promotion are announced.
  'alert_note',
  // A desk-only note that an automation rule could not run (or a chain was stopped): for the
  // record, not news, and never a change another rule should act on.
  'automation_note',
] as const;
export type SilentReason = (typeof SILENT_REASONS)[number];

export interface TicketChangeFacts {
  before: TicketFacts | null;
  after: TicketFacts;
  /**
   * The events the change appends, in order (`internal`: a work note or other desk-only event;
   * their data where a follow-up depends on it).
   */
  events: readonly { type: string; internal?: boolean; data?: Record<string, unknown> | null }[];
  /** Who made the change: a person (staff or not) or Firebreak itself (`null`: a job). */
  by: 'staff' | 'requester' | null;
  silent?: SilentReason;
}

export type FollowUp =
  | { kind: 'notify' }
  /** `created`: the ticket's state history is the one entry the change made, no need to read it. */
  | { kind: 'schedule_sla_timers'; created: boolean }
  | { kind: 'schedule_auto_close' }
  | { kind: 'end_pages' }
  | { kind: 'auto_page'; previousPriority: number | null; raisedBy: RaisedBy }
  | { kind: 'page_after_confirmation' }
  | { kind: 'page_after_hold' }
  | { kind: 'corroborate_held_pages' }
  /** Children still linked and open resolve with their incident (issue 14), in a job. */
  | { kind: 'resolve_children' }
  /** Schedules the storm detection job of the ticket's service (or of reports on no service), debounced. */
  | { kind: 'detect_storm' }
  /** News for status page subscribers: each names the event (its index in `events`) that carries it. */
  | { kind: 'announce_to_subscribers'; announcements: SubscriberAnnouncement[] }
  /** `restart`: the cadence counts again from now (declared, priority changed, reopened); `updated`: an update was just sent. */
  | { kind: 'keep_update_cadence'; restart: boolean; updated: boolean }
  /** A response role that pages was given to someone: a real page, acknowledgeable and escalating (issue 14). */
  | { kind: 'page_role_holder'; userId: string; roleName: string }
  /**
   * The admins' automation rules look at the change (issue 18); last, so they see its other
   * follow-ups done. A silent change (an import, alert notes) is not one a rule should act on.
   */
  | { kind: 'run_automation' };

/** What subscribers are told: a public update from the desk, or that the incident started or resolved. */
export const ANNOUNCEMENT_KINDS = ['update', 'started', 'resolved'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];
export interface SubscriberAnnouncement {
  eventIndex: number;
  what: AnnouncementKind;
}

export type FollowUpKind = FollowUp['kind'];

/** The kinds of ticket a storm is made of: reports of disruption and monitoring's signals. */
export const STORM_KINDS: readonly string[] = ['incident', 'disturbance'];

const isOpen = (state: TicketState) => OPEN_STATES.includes(state);

/** The follow-ups of one change, in the order the pipeline carries them out. */
export function followUpsOf(change: TicketChangeFacts): FollowUp[] {
  const { before, after, events } = change;
  const followUps: FollowUp[] = [];
  const created = before === null;
  if (change.silent === 'import') return followUps;

  if (events.length > 0 && !change.silent) followUps.push({ kind: 'notify' });

  const hasPolicy = after.slaPolicyId !== null || (before?.slaPolicyId ?? null) !== null;
  const clocksMove =
    created ||
    before.slaPolicyId !== after.slaPolicyId ||
    before.state !== after.state ||
    before.onHoldReason !== after.onHoldReason ||
    (before.firstResponseAt === null && after.firstResponseAt !== null);
  if (hasPolicy && clocksMove) followUps.push({ kind: 'schedule_sla_timers', created });

  const movedIntoResolved = after.state === 'resolved' && before?.state !== 'resolved';
  if (movedIntoResolved) followUps.push({ kind: 'schedule_auto_close' });
  // Only incidents have children; a new ticket has none yet.
  if (movedIntoResolved && before !== null && after.kind === 'incident') followUps.push({ kind: 'resolve_children' });
  if (!isOpen(after.state) && (created || isOpen(before.state))) followUps.push({ kind: 'end_pages' });

  // A held page released: settled by a person, who judged the priority, which decides (instead
  // of a raise); or by Firebreak, whose wait ran out or whose monitoring corroborated it.
  const released = before !== null && before.pageHeldSince !== null && after.pageHeldSince === null;
  if (released && change.by !== null) {
    followUps.push({ kind: 'page_after_confirmation' });
  } else if (released) {
    followUps.push({ kind: 'page_after_hold' });
  } else if (isOpen(after.state) && shouldAutoPage(after, before?.priority ?? null)) {
    followUps.push({ kind: 'auto_page', previousPriority: before?.priority ?? null, raisedBy: raisedBy(change) });
  }

  if (created && after.channel === 'alert' && after.kind === 'incident') followUps.push({ kind: 'corroborate_held_pages' });
  // Imported history is not a storm happening now (an import has returned above).
  if (created && STORM_KINDS.includes(after.kind)) followUps.push({ kind: 'detect_storm' });

  const announcements = subscriberAnnouncements(change);
  if (announcements.length > 0) followUps.push({ kind: 'announce_to_subscribers', announcements });
  const cadence = updateCadenceFollowUp(change);
  if (cadence) followUps.push(cadence);
  if (isOpen(after.state)) {
    for (const e of events) {
      if ((e.type === 'role_assigned' || e.type === 'role_handed_over') && e.data?.pages === true && typeof e.data.userId === 'string') {
        followUps.push({ kind: 'page_role_holder', userId: e.data.userId, roleName: String(e.data.roleName ?? 'a response role') });
      }
    }
  }
  if (!change.silent) followUps.push({ kind: 'run_automation' });
  return followUps;
}

/**
 * The status page's news in one change, derived from its events so every writer (the desk's
 * reply box, an update composer, the API, a timer) reaches subscribers alike: the desk's public
 * comments, the incident starting (created public, or made global / major while open), and its
 * resolution. Silent writers (imports, alert notes) announce nothing: that is not news.
 */
export function subscriberAnnouncements(change: TicketChangeFacts): SubscriberAnnouncement[] {
  const { before, after, events } = change;
  if (change.silent || after.kind !== 'incident' || !after.publicIncident || events.length === 0) return [];
  const out: SubscriberAnnouncement[] = [];
  const becamePublic = before === null || !before.publicIncident;
  if (becamePublic && isOpen(after.state)) out.push({ eventIndex: 0, what: 'started' });
  // Only the desk speaks for the page: what a requester wrote on their ticket stays theirs.
  if (change.by === 'staff') {
    events.forEach((e, eventIndex) => {
      if (e.type === 'comment' && !e.internal) out.push({ eventIndex, what: 'update' });
      // A corrected public update is news again only when its editor asks for it (a typo fix is not).
      if (e.type === 'public_update_edited' && e.data?.notify === true) out.push({ eventIndex, what: 'update' });
    });
  }
  if (after.state === 'resolved' && before !== null && before.state !== 'resolved') {
    const at = events.findIndex((e) => e.type === 'state_changed');
    out.push({ eventIndex: at === -1 ? events.length - 1 : at, what: 'resolved' });
  }
  return out;
}

/** Monitoring's new tickets page at once; a person's change pages as staff or as a requester. */
function raisedBy(change: TicketChangeFacts): RaisedBy {
  if (change.before === null && change.after.channel === 'alert') return 'alert';
  return change.by === 'requester' ? 'requester' : 'staff';
}

/**
 * A major incident's update cadence moves when it is declared, its priority changes, it leaves
 * or re-enters the open states, or an update is sent: a stakeholder update, or a public comment
 * by the desk (what the status page shows).
 */
function updateCadenceFollowUp(change: TicketChangeFacts): FollowUp | null {
  const { before, after, events } = change;
  const majorNow = after.kind === 'incident' && (after.majorSince ?? null) !== null;
  const majorBefore = before !== null && (before.majorSince ?? null) !== null;
  if (!majorNow && !majorBefore) return null;
  const declared = majorNow && !majorBefore;
  const openChanged = before !== null && isOpen(before.state) !== isOpen(after.state);
  const restart = declared || (before !== null && before.priority !== after.priority) || openChanged || !majorNow;
  const updated = events.some(
    (e) => e.type === 'stakeholder_update' || (e.type === 'comment' && e.internal === false && change.by === 'staff'),
  );
  if (!restart && !updated) return null;
  return { kind: 'keep_update_cadence', restart, updated };
}
