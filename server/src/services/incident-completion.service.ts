import {
  type ChecklistKind,
  type Checklists,
  type CompletionFacts,
  checklistKindOf,
  checklistProblems,
  DEFAULT_CHECKLISTS,
  decideClose,
  evaluateChecklist,
  type ItemState,
  tickedKeysFrom,
} from '../../../core/completion-checklist.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeTicket, isAdmin } from '../../../core/permissions.js';
import type { Db, Tx } from '../db/client.js';
import { findReviewOfTicket } from '../repositories/reviews.repository.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import { findTicketById, type TicketRow } from '../repositories/tickets.repository.js';
import { listCompletionEvents, type TimelineEventRow } from '../repositories/timeline.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

const SETTING = 'completion_checklists';

export async function getCompletionChecklists(db: Db): Promise<Checklists> {
  return (await readSetting<Checklists>(db, SETTING)) ?? DEFAULT_CHECKLISTS;
}

/** Applies to every close from now on, including incidents already open. */
export async function setCompletionChecklists(deps: ServiceDeps, _actor: Actor, checklists: Checklists): Promise<Checklists> {
  const problems = checklistProblems(checklists);
  if (problems.length > 0) {
    throw new AppError('unprocessable', `The checklists cannot be saved: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, {
      errors: problems,
    });
  }
  await writeSetting(deps.db, SETTING, checklists, deps.clock.now());
  return checklists;
}

export interface IncidentCompletion {
  /** Which checklist applies; null for tickets that have none (service requests, disturbances). */
  checklist: ChecklistKind | null;
  items: ItemState[];
  complete: boolean;
  preventiveMeasures: { description: string; at: Date; actorId: string | null }[];
  reviewScheduledFor: Date | null;
  finalUpdateAt: Date | null;
}

function factsOf(ticket: TicketRow, events: TimelineEventRow[]): CompletionFacts {
  const finalUpdates = events.filter((e) => e.type === 'comment');
  const reviews = events.filter((e) => e.type === 'review_scheduled');
  const lastReview = reviews.at(-1);
  return {
    resolutionNotes: ticket.resolutionNotes,
    rootCause: ticket.rootCause,
    finalUpdateAt: finalUpdates.at(-1)?.at ?? null,
    preventiveMeasureCount: events.filter((e) => e.type === 'preventive_measure').length,
    reviewScheduledFor: typeof lastReview?.data?.at === 'string' ? new Date(lastReview.data.at) : null,
    tickedKeys: tickedKeysFrom(
      events
        .filter((e) => e.type === 'checklist_item' && typeof e.data?.key === 'string')
        .map((e) => ({ key: String(e.data?.key), ticked: e.data?.ticked === true })),
    ),
  };
}

/** The checklist that applies to this ticket; empty for tickets without one (most incidents close on the requester's word). */
async function checklistFor(db: Db, ticket: TicketRow) {
  const kind = checklistKindOf(ticket);
  return kind ? (await getCompletionChecklists(db))[kind] : [];
}

async function completionOf(db: Db, ticket: TicketRow): Promise<IncidentCompletion> {
  const kind = checklistKindOf(ticket);
  const [events, review] = await Promise.all([listCompletionEvents(db, ticket.id), findReviewOfTicket(db, ticket.id)]);
  const facts = { ...factsOf(ticket, events), reviewState: review?.state ?? null };
  const items = kind ? evaluateChecklist((await getCompletionChecklists(db))[kind], facts) : [];
  return {
    checklist: kind,
    items,
    complete: items.every((i) => i.done),
    preventiveMeasures: events
      .filter((e) => e.type === 'preventive_measure')
      .map((e) => ({ description: e.body ?? '', at: e.at, actorId: e.actorId })),
    reviewScheduledFor: facts.reviewScheduledFor,
    finalUpdateAt: facts.finalUpdateAt,
  };
}

/** The checklist as it stands: what is done, what is missing and what would make it done. Staff only (the route says so). */
export async function getIncidentCompletion(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<IncidentCompletion> {
  const ticket = await findTicketById(deps.db, ticketId);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  return completionOf(deps.db, ticket);
}

/**
 * Called by every close (a person's, or Firebreak's automatic one) inside its transaction:
 * refuses with 409 listing what is missing, unless an admin overrides with a reason. Returns the
 * items an override skipped, for the timeline.
 */
export async function checkCompletionBeforeClose(
  tx: Tx,
  actor: Actor | null,
  ticket: TicketRow,
  overrideReason: string | null,
): Promise<{ overridden: ItemState[] }> {
  // Every close passes here: without a checklist, the timeline is not read at all.
  if ((await checklistFor(tx, ticket)).length === 0) return { overridden: [] };
  const { items } = await completionOf(tx, ticket);
  const decision = decideClose(
    items,
    overrideReason === null ? null : { byAdmin: actor !== null && isAdmin(actor), reason: overrideReason },
  );
  if (decision.allowed) return { overridden: decision.overridden };
  const missing = decision.missing.map((i) => i.label);
  const how =
    decision.why === 'override_needs_admin'
      ? ' Only an admin may close it anyway.'
      : decision.why === 'override_needs_reason'
        ? ' To close it anyway, give a reason.'
        : '';
  throw new AppError(
    'conflict',
    `${ticket.number} cannot be closed until its completion checklist is done; missing: ${missing.join(', ')}.${how}`,
    {
      errors:
        decision.why === 'override_needs_reason'
          ? [{ field: 'checklistOverrideReason', message: 'must say why the checklist is skipped' }]
          : [],
      extra: { missing: decision.missing.map((i) => ({ key: i.key, label: i.label, hint: i.hint })) },
    },
  );
}

/** For Firebreak's own close after a resolution: it never overrides, it waits. */
export async function completionBeforeAutomaticClose(tx: Tx, ticket: TicketRow): Promise<{ complete: boolean; missing: string[] }> {
  if ((await checklistFor(tx, ticket)).length === 0) return { complete: true, missing: [] };
  const { items } = await completionOf(tx, ticket);
  const missing = items.filter((i) => !i.done).map((i) => i.label);
  return { complete: missing.length === 0, missing };
}

async function recordOnIncident(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  build: (ticket: TicketRow, now: Date) => { event: ChangeEvent; bumpsVersion: boolean } | null,
): Promise<IncidentCompletion> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, ticketId);
    if (!checklistKindOf(ticket)) {
      throw new AppError('conflict', `${ticket.number} is not an incident: only incidents have a completion checklist`);
    }
    if (ticket.state === 'cancelled') throw new AppError('conflict', `${ticket.number} is cancelled: there is nothing to complete`);
    const now = deps.clock.now();
    const built = build(ticket, now);
    if (built) {
      await applyTicketChange(tx, {
        before: ticket,
        patch: {},
        actor,
        at: now,
        events: [built.event],
        ...(built.bumpsVersion ? {} : { bumpsVersion: false }),
      });
    }
    return completionOf(tx, ticket);
  });
}

/**
 * The final update to everyone affected, until stakeholder updates are built (issue 15): a public
 * comment marked final, so the requester and every follower hear it through the usual rules.
 */
export function recordFinalUpdate(deps: ServiceDeps, actor: Actor, ticketId: string, body: string): Promise<IncidentCompletion> {
  return recordOnIncident(deps, actor, ticketId, (ticket) => {
    if (ticket.state === 'closed') throw new AppError('conflict', `${ticket.number} is closed: its final update can no longer be sent`);
    return { event: { type: 'comment', internal: false, body, data: { finalUpdate: true } }, bumpsVersion: true };
  });
}

export function recordPreventiveMeasure(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  description: string,
): Promise<IncidentCompletion> {
  return recordOnIncident(deps, actor, ticketId, () => ({
    event: { type: 'preventive_measure', internal: true, body: description },
    bumpsVersion: false,
  }));
}

/** The post-incident review's date (the reviews themselves come with the learning issue); it must lie ahead. */
export function scheduleReview(deps: ServiceDeps, actor: Actor, ticketId: string, at: Date): Promise<IncidentCompletion> {
  return recordOnIncident(deps, actor, ticketId, (_ticket, now) => {
    if (at.getTime() <= now.getTime()) throw fieldError('unprocessable', 'at', 'the review must be scheduled in the future');
    return {
      event: { type: 'review_scheduled', internal: true, body: null, data: { at: at.toISOString() } },
      bumpsVersion: false,
    };
  });
}

/** Ticks (or unticks) a manual item of the checklist that applies; ticking twice records nothing new. */
export function setChecklistItem(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  key: string,
  ticked: boolean,
): Promise<IncidentCompletion> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, ticketId);
    const kind = checklistKindOf(ticket);
    const item = kind ? (await getCompletionChecklists(tx))[kind].find((i) => i.key === key) : undefined;
    if (!item) throw fieldError('unprocessable', 'key', `"${key}" is not an item of ${ticket.number}'s completion checklist`);
    if (item.check !== 'manual') {
      throw fieldError('unprocessable', 'key', `"${item.label}" is checked by Firebreak from the incident's record, not ticked by hand`);
    }
    if (ticket.state === 'closed' || ticket.state === 'cancelled') {
      throw new AppError('conflict', `${ticket.number} is ${ticket.state}: its checklist can no longer change`);
    }
    const current = await completionOf(tx, ticket);
    if (current.items.find((i) => i.key === key)?.done === ticked) return current;
    await applyTicketChange(tx, {
      before: ticket,
      patch: {},
      actor,
      at: deps.clock.now(),
      events: [{ type: 'checklist_item', internal: true, body: item.label, data: { key, ticked } }],
      bumpsVersion: false,
    });
    return completionOf(tx, ticket);
  });
}
