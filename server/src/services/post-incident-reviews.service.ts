import { alwaysOpenCalendar, type BusinessCalendar } from '../../../core/business-calendar.js';
import { AppError, notFound } from '../../../core/errors.js';
import {
  DEFAULT_REVIEW_TEMPLATE,
  type DurationValue,
  escapeMarkdown,
  formatDuration,
  type IncidentMomentFacts,
  incidentDurations,
  KEY_MOMENT_SOURCES,
  keyMoments,
  type MomentValue,
  REVIEW_SECTION_LABELS,
  REVIEW_SECTIONS,
  REVIEW_STATE_LABELS,
  type ReviewSections,
  type ReviewState,
  type ReviewTemplate,
  reviewMoveProblem,
  seedTimeline,
  utcMinute,
} from '../../../core/incident-review.js';
import { type Actor, canSeeTicket, isStaff } from '../../../core/permissions.js';
import type { Db, Tx } from '../db/client.js';
import { listCurrentHoldings, listInvestigations, namesOf } from '../repositories/major-incidents.repository.js';
import {
  findReviewOfTicket,
  insertReview,
  type ListedActionItem,
  listActionItemsOfTicket,
  listReviewEvents,
  type ReviewRow,
  saveReview,
} from '../repositories/reviews.repository.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import { findCalendarById, findSlaPolicyById } from '../repositories/sla.repository.js';
import { findTicketById, lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { noteOnIncident } from './major-incident-response.helpers.js';

/**
 * Post-incident reviews (issue 17 item 1): one per incident, drafted from its timeline (key
 * moments and durations computed in core/incident-review.ts), sections the team edits, draft →
 * in review → published, exported as Markdown. Staff only: requesters never see a review.
 */

const TEMPLATE_SETTING = 'review_template';

export async function getReviewTemplate(db: Db): Promise<ReviewTemplate> {
  return { ...DEFAULT_REVIEW_TEMPLATE, ...((await readSetting<Partial<ReviewTemplate>>(db, TEMPLATE_SETTING)) ?? {}) };
}

/** Admins only (the route says so); applies to reviews drafted from now on. */
export async function setReviewTemplate(deps: ServiceDeps, _actor: Actor, template: ReviewTemplate): Promise<ReviewTemplate> {
  await writeSetting(deps.db, TEMPLATE_SETTING, template, deps.clock.now());
  return template;
}

export interface ReviewFacts {
  moments: MomentValue[];
  durations: DurationValue[];
  /** Which calendar business time was counted in, in words. */
  calendar: string;
  roles: { role: string; holder: string; since: Date }[];
  investigations: { hypothesis: string; status: string; conclusion: string | null; owner: string }[];
  updates: { at: Date; stage: string | null; text: string }[];
  rootCause: string | null;
}

export interface ReviewView {
  ticket: { id: string; number: string; title: string };
  review: (ReviewRow & { updatedByName: string | null }) | null;
  facts: ReviewFacts;
  actionItems: ListedActionItem[];
}

function refuseUnlessStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff work on post-incident reviews');
}

async function readIncident(db: Db, actor: Actor, ticketId: string): Promise<TicketRow> {
  refuseUnlessStaff(actor);
  const ticket = await findTicketById(db, ticketId);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  if (ticket.kind !== 'incident') throw new AppError('conflict', `${ticket.number} is not an incident: only incidents have a review`);
  return ticket;
}

async function calendarOf(db: Db, ticket: TicketRow): Promise<{ calendar: BusinessCalendar; name: string }> {
  const policy = ticket.slaPolicyId ? await findSlaPolicyById(db, ticket.slaPolicyId) : undefined;
  const row = policy?.calendarId ? await findCalendarById(db, policy.calendarId) : undefined;
  if (!row) return { calendar: alwaysOpenCalendar('UTC'), name: 'round the clock (the incident has no SLA calendar)' };
  return { calendar: { timeZone: row.timeZone, week: row.week, holidays: row.holidays }, name: `${row.name} (${row.timeZone})` };
}

const stageOf = (data: Record<string, unknown> | null) => (typeof data?.stage === 'string' ? data.stage : null);

/** Everything the review shows that Firebreak computes: live, so a late alert or update still counts. */
async function factsOf(db: Db, ticket: TicketRow): Promise<ReviewFacts> {
  const [events, holdings, investigations, { calendar, name }] = await Promise.all([
    listReviewEvents(db, ticket.id),
    listCurrentHoldings(db, ticket.id),
    listInvestigations(db, ticket.id),
    calendarOf(db, ticket),
  ]);
  const input: IncidentMomentFacts = {
    reportedAt: ticket.openedAt,
    alertAts: events.filter((e) => e.type === 'alert' && e.data?.status !== 'resolved').map((e) => e.at),
    majorSince: ticket.majorSince,
    pageAcknowledgedAts: events.filter((e) => e.type === 'page_acknowledged').map((e) => e.at),
    firstResponseAt: ticket.firstResponseAt,
    mitigationUpdateAts: events.filter((e) => e.type === 'stakeholder_update' && stageOf(e.data) === 'monitoring').map((e) => e.at),
    resolvedAt: ticket.resolvedAt,
  };
  const owners = await namesOf(
    db,
    investigations.map((i) => i.ownerId),
  );
  return {
    moments: keyMoments(input),
    durations: incidentDurations(input, calendar),
    calendar: name,
    roles: holdings.map((h) => ({ role: h.role.name, holder: h.holderName, since: h.assignment.since })),
    investigations: investigations.map((i) => ({
      hypothesis: i.hypothesis,
      status: i.status,
      conclusion: i.conclusion,
      owner: owners.get(i.ownerId) ?? 'someone',
    })),
    updates: events.filter((e) => e.type === 'stakeholder_update').map((e) => ({ at: e.at, stage: stageOf(e.data), text: e.body ?? '' })),
    rootCause: ticket.rootCause,
  };
}

async function viewOf(db: Db, ticket: TicketRow, review: ReviewRow | undefined): Promise<ReviewView> {
  const [facts, actionItems, updatedBy] = await Promise.all([
    factsOf(db, ticket),
    listActionItemsOfTicket(db, ticket.id),
    review?.updatedById ? findUserById(db, review.updatedById) : undefined,
  ]);
  return {
    ticket: { id: ticket.id, number: ticket.number, title: ticket.title },
    review: review ? { ...review, updatedByName: updatedBy?.name ?? null } : null,
    facts,
    actionItems,
  };
}

/** The review of an incident, or null with the facts a draft would start from. */
export async function getReview(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<ReviewView> {
  const ticket = await readIncident(deps.db, actor, ticketId);
  return viewOf(deps.db, ticket, await findReviewOfTicket(deps.db, ticket.id));
}

/** The sections a new review starts with: the template's prompts, and the timeline seeded with the key moments and updates sent. */
function seedSections(ticket: TicketRow, facts: ReviewFacts, template: ReviewTemplate): ReviewSections {
  const events = [
    ...facts.moments.flatMap((m) => (m.at ? [{ at: m.at, text: m.label }] : [])),
    ...facts.updates.map((u) => ({ at: u.at, text: `Update sent${u.stage ? ` (${u.stage})` : ''}: ${firstLine(u.text)}` })),
  ];
  return {
    summary: template.summary,
    customerImpact: template.customerImpact,
    timeline: seedTimeline(events),
    contributingFactors: ticket.rootCause
      ? `${template.contributingFactors}\n\nRoot cause recorded: ${escapeMarkdown(ticket.rootCause)}`
      : template.contributingFactors,
    wentWell: template.wentWell,
    wentBadly: template.wentBadly,
    lessons: template.lessons,
  };
}

const firstLine = (text: string) => {
  const line = text.split('\n')[0]?.trim() ?? '';
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
};

/** Drafts the review from the timeline; 409 when the incident has one already (two people at once get one review). */
export async function draftReview(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<ReviewView> {
  const ticket = await readIncident(deps.db, actor, ticketId);
  return deps.db.transaction(async (tx) => {
    const locked = await lockIncident(tx, ticket.id);
    const now = deps.clock.now();
    const sections = seedSections(locked, await factsOf(tx, locked), await getReviewTemplate(tx));
    const review = await insertReview(tx, {
      ticketId: locked.id,
      state: 'draft',
      sections,
      createdAt: now,
      createdById: actor.id,
      updatedAt: now,
      updatedById: actor.id,
    });
    if (!review) throw new AppError('conflict', `${locked.number} already has a post-incident review: open it instead`);
    await noteOnIncident(tx, locked, actor, now, [{ type: 'review_changed', body: 'Post-incident review drafted', data: { to: 'draft' } }]);
    return viewOf(tx, locked, review);
  });
}

async function lockIncident(tx: Tx, ticketId: string): Promise<TicketRow> {
  const ticket = await lockTicket(tx, ticketId);
  if (!ticket) throw notFound('ticket');
  return ticket;
}

/** The review, locked with its incident, checked against the caller's If-Match (412 naming who changed it). */
async function reviewForWrite(tx: Tx, actor: Actor, ticketId: string, expectedVersion: number | undefined) {
  const ticket = await readIncident(tx, actor, ticketId);
  const locked = await lockIncident(tx, ticket.id);
  const review = await findReviewOfTicket(tx, locked.id);
  if (!review) throw new AppError('not_found', `${locked.number} has no post-incident review yet: draft one first`);
  if (expectedVersion !== undefined && expectedVersion !== review.version) {
    const who = review.updatedById ? await findUserById(tx, review.updatedById) : undefined;
    throw new AppError(
      'stale_version',
      `The review of ${locked.number} was changed by ${who?.name ?? 'someone else'} since you loaded it (you have version ${expectedVersion}, it is now at ${review.version}). Reload it and try again.`,
      { extra: { currentVersion: review.version, changedBy: who ? { id: who.id, name: who.name } : null } },
    );
  }
  return { ticket: locked, review };
}

/** Edits sections (only those sent); a published review is final. */
export async function editReview(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  sections: Partial<ReviewSections>,
  expectedVersion: number | undefined,
): Promise<ReviewView> {
  return deps.db.transaction(async (tx) => {
    const { ticket, review } = await reviewForWrite(tx, actor, ticketId, expectedVersion);
    if (review.state === 'published')
      throw new AppError('conflict', `The review of ${ticket.number} is published: it can no longer be edited`);
    const saved = await saveReview(
      tx,
      review.id,
      { sections: { ...review.sections, ...sections }, updatedAt: deps.clock.now(), updatedById: actor.id },
      review.version,
    );
    return viewOf(tx, ticket, saved);
  });
}

/** draft → in review → published (and back to draft from review); on the timeline. */
export async function moveReview(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  to: ReviewState,
  expectedVersion: number | undefined,
): Promise<ReviewView> {
  return deps.db.transaction(async (tx) => {
    const { ticket, review } = await reviewForWrite(tx, actor, ticketId, expectedVersion);
    const problem = reviewMoveProblem(review.state, to);
    if (problem) throw new AppError('illegal_transition', `The review of ${ticket.number} cannot move: ${problem}`);
    const now = deps.clock.now();
    const saved = await saveReview(
      tx,
      review.id,
      { state: to, updatedAt: now, updatedById: actor.id, ...(to === 'published' ? { publishedAt: now } : {}) },
      review.version,
    );
    await noteOnIncident(tx, ticket, actor, now, [
      { type: 'review_changed', body: `Post-incident review: ${REVIEW_STATE_LABELS[to]}`, data: { from: review.state, to } },
    ]);
    return viewOf(tx, ticket, saved);
  });
}

const when = utcMinute;

/** Keeps the team's Markdown but never raw HTML: `<` and `>` show as written. */
const sectionText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The review as one Markdown document. Sections are the team's own Markdown (raw HTML shown as
 * text); every other piece of user text (title, names, hypotheses, updates, action items) is
 * escaped so it shows as written.
 */
export async function exportReviewMarkdown(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<string> {
  const view = await getReview(deps, actor, ticketId);
  const { ticket, review, facts } = view;
  if (!review) throw new AppError('not_found', `${ticket.number} has no post-incident review yet: draft one first`);
  const out: string[] = [
    `# Post-incident review: ${escapeMarkdown(ticket.number)} ${escapeMarkdown(ticket.title)}`,
    '',
    `State: ${REVIEW_STATE_LABELS[review.state]}${review.publishedAt ? ` (published ${when(review.publishedAt)})` : ''}`,
    '',
    '## Key moments',
    '',
    ...facts.moments.map((m) => `- ${m.label}: ${m.at ? when(m.at) : `not known — ${m.missing ?? KEY_MOMENT_SOURCES[m.moment]}`}`),
    '',
    `## Durations (business time: ${escapeMarkdown(facts.calendar)})`,
    '',
    '| Measure | Wall-clock | Business time |',
    '| --- | --- | --- |',
    ...facts.durations.map(
      (d) =>
        `| ${d.label} | ${d.wallMs === null ? 'not known' : formatDuration(d.wallMs)} | ${d.businessMs === null ? 'not known' : formatDuration(d.businessMs)} |`,
    ),
    '',
  ];
  if (facts.roles.length > 0) {
    out.push('## Roles', '', ...facts.roles.map((r) => `- ${escapeMarkdown(r.role)}: ${escapeMarkdown(r.holder)}`), '');
  }
  if (facts.investigations.length > 0) {
    out.push(
      '## Investigations',
      '',
      ...facts.investigations.map(
        (i) =>
          `- ${escapeMarkdown(i.hypothesis)} (${escapeMarkdown(i.owner)}, ${i.status})${i.conclusion ? `: ${escapeMarkdown(i.conclusion)}` : ''}`,
      ),
      '',
    );
  }
  if (facts.updates.length > 0) {
    out.push(
      '## Updates sent',
      '',
      ...facts.updates.map((u) => `- ${when(u.at)}${u.stage ? ` (${u.stage})` : ''}: ${escapeMarkdown(firstLine(u.text))}`),
      '',
    );
  }
  for (const section of REVIEW_SECTIONS) {
    out.push(`## ${REVIEW_SECTION_LABELS[section]}`, '', sectionText(review.sections[section] ?? '').trim() || '_Not written._', '');
  }
  out.push('## Action items', '');
  if (view.actionItems.length === 0) out.push('_None._', '');
  else {
    out.push(
      '| Action | Owner | Due | Priority | State |',
      '| --- | --- | --- | --- | --- |',
      ...view.actionItems.map(
        (a) =>
          `| ${escapeMarkdown(a.item.title)} | ${escapeMarkdown(a.ownerName)} | ${a.item.dueOn} | ${a.item.priority} | ${a.item.state} |`,
      ),
      '',
    );
  }
  return out.join('\n');
}
