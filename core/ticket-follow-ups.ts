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
 * | monitoring opened an incident                               | page the held P1s it proves  |
 *
 * Live announcements need no row here: the database trigger on timeline events NOTIFYs every
 * server process of every event, in the same commit.
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
  // The link between a disturbance and its incident: the incident's creation and the
  // disturbance's resolution, in the same transaction, are what people and webhooks hear.
  'promotion_note',
] as const;
export type SilentReason = (typeof SILENT_REASONS)[number];

export interface TicketChangeFacts {
  before: TicketFacts | null;
  after: TicketFacts;
  /** The types of the events the change appends, in order. */
  events: readonly { type: string }[];
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
  | { kind: 'corroborate_held_pages' };

export type FollowUpKind = FollowUp['kind'];

const isOpen = (state: TicketState) => OPEN_STATES.includes(state);

/** The follow-ups of one change, in the order the pipeline carries them out. */
export function followUpsOf(change: TicketChangeFacts): FollowUp[] {
  const { before, after, events } = change;
  const followUps: FollowUp[] = [];
  const created = before === null;

  if (events.length > 0 && !change.silent) followUps.push({ kind: 'notify' });

  const hasPolicy = after.slaPolicyId !== null || (before?.slaPolicyId ?? null) !== null;
  const clocksMove =
    created ||
    before.slaPolicyId !== after.slaPolicyId ||
    before.state !== after.state ||
    before.onHoldReason !== after.onHoldReason ||
    (before.firstResponseAt === null && after.firstResponseAt !== null);
  if (hasPolicy && clocksMove) followUps.push({ kind: 'schedule_sla_timers', created });

  if (after.state === 'resolved' && before?.state !== 'resolved') followUps.push({ kind: 'schedule_auto_close' });
  if (!isOpen(after.state) && (created || isOpen(before.state))) followUps.push({ kind: 'end_pages' });

  // A held page settled by a person: they judged the priority, which decides (instead of a raise).
  const settled = before !== null && before.pageHeldSince !== null && after.pageHeldSince === null && change.by !== null;
  if (settled) {
    followUps.push({ kind: 'page_after_confirmation' });
  } else if (isOpen(after.state) && shouldAutoPage(after, before?.priority ?? null)) {
    followUps.push({ kind: 'auto_page', previousPriority: before?.priority ?? null, raisedBy: raisedBy(change) });
  }

  if (created && after.channel === 'alert' && after.kind === 'incident') followUps.push({ kind: 'corroborate_held_pages' });
  return followUps;
}

/** Monitoring's new tickets page at once; a person's change pages as staff or as a requester. */
function raisedBy(change: TicketChangeFacts): RaisedBy {
  if (change.before === null && change.after.channel === 'alert') return 'alert';
  return change.by === 'requester' ? 'requester' : 'staff';
}
