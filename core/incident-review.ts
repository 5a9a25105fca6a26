import { type BusinessCalendar, businessTimeBetween } from './business-calendar.js';

/**
 * Post-incident reviews (issue 17 items 1–2): the key moments of an incident and the durations
 * between them, what a review contains and how it moves, and its action items' rules. Pure, so
 * the drafting service, the API, the Markdown export and the desk agree.
 */

// ---- Key moments and durations ----

/** What the timeline and the ticket say, gathered by the service. */
export interface IncidentMomentFacts {
  /** When the ticket was reported (its `openedAt`). */
  reportedAt: Date;
  /** Alerts attached to the incident (their first firing). */
  alertAts: readonly Date[];
  /** When it became major; null for an incident never declared. */
  majorSince: Date | null;
  /** Pages acknowledged on it. */
  pageAcknowledgedAts: readonly Date[];
  /** The first response by staff (the ticket's `firstResponseAt`). */
  firstResponseAt: Date | null;
  /**
   * Updates to stakeholders that said a fix is in place (stage "monitoring"): Firebreak has no
   * "mitigated" event of its own, so the first such update stands for it.
   */
  mitigationUpdateAts: readonly Date[];
  resolvedAt: Date | null;
}

export const KEY_MOMENTS = ['detected', 'reported', 'declared', 'acknowledged', 'mitigated', 'resolved'] as const;
export type KeyMoment = (typeof KEY_MOMENTS)[number];

export const KEY_MOMENT_LABELS: Record<KeyMoment, string> = {
  detected: 'Detected',
  reported: 'First report',
  declared: 'Declared major',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

/** Where each moment comes from, in words (shown when a moment is missing, and in the export). */
export const KEY_MOMENT_SOURCES: Record<KeyMoment, string> = {
  detected: 'the first alert, or the first report when no alert came first',
  reported: 'when the ticket was reported',
  declared: 'when the incident became a major incident',
  acknowledged: 'the first page acknowledged, or the first response by staff',
  mitigated: 'the first stakeholder update saying a fix is in place (stage "Monitoring")',
  resolved: 'when the incident was resolved',
};

export interface MomentValue {
  moment: KeyMoment;
  label: string;
  at: Date | null;
  /** For a moment Firebreak cannot find: why, in words ("no update said a fix is in place"). */
  missing: string | null;
}

const earliest = (dates: readonly (Date | null)[]): Date | null => {
  let best: Date | null = null;
  for (const d of dates) if (d !== null && (best === null || d.getTime() < best.getTime())) best = d;
  return best;
};

const MISSING: Record<KeyMoment, string> = {
  detected: 'not recorded',
  reported: 'not recorded',
  declared: 'the incident was never declared major',
  acknowledged: 'no page was acknowledged and staff have not responded',
  mitigated: 'no update said a fix is in place (no "Monitoring" update was sent)',
  resolved: 'the incident is not resolved yet',
};

/** Each key moment in the order of KEY_MOMENTS, with null and the reason where there is none. */
export function keyMoments(facts: IncidentMomentFacts): MomentValue[] {
  const at: Record<KeyMoment, Date | null> = {
    detected: earliest([facts.reportedAt, ...facts.alertAts]),
    reported: facts.reportedAt,
    declared: facts.majorSince,
    acknowledged: earliest([...facts.pageAcknowledgedAts, facts.firstResponseAt]),
    mitigated: earliest(facts.mitigationUpdateAts),
    resolved: facts.resolvedAt,
  };
  return KEY_MOMENTS.map((moment) => ({
    moment,
    label: KEY_MOMENT_LABELS[moment],
    at: at[moment],
    missing: at[moment] === null ? MISSING[moment] : null,
  }));
}

export const DURATIONS = ['detect', 'acknowledge', 'declare', 'mitigate', 'resolve'] as const;
export type DurationKind = (typeof DURATIONS)[number];

export const DURATION_LABELS: Record<DurationKind, string> = {
  detect: 'Time to detect',
  acknowledge: 'Time to acknowledge',
  declare: 'Time to declare',
  mitigate: 'Time to mitigate',
  resolve: 'Time to resolve',
};

/** Which moment ends each duration; every one starts when the trouble began (time to detect: from the first sign to the first report). */
const DURATION_END: Record<DurationKind, KeyMoment> = {
  detect: 'reported',
  acknowledge: 'acknowledged',
  declare: 'declared',
  mitigate: 'mitigated',
  resolve: 'resolved',
};

export interface DurationValue {
  kind: DurationKind;
  label: string;
  /** Milliseconds of wall-clock time; null when the end moment is missing. */
  wallMs: number | null;
  /** Milliseconds inside the business calendar's working hours; never more than wallMs. */
  businessMs: number | null;
}

/**
 * Every duration from the moment the incident was detected (first alert or first report) to
 * each later moment. A moment recorded before detection (clocks of monitoring systems drift)
 * counts as zero, never negative. Business time walks the calendar (an SLA policy's, or round
 * the clock).
 */
export function incidentDurations(facts: IncidentMomentFacts, calendar: BusinessCalendar): DurationValue[] {
  const moments = new Map(keyMoments(facts).map((m) => [m.moment, m.at]));
  const start = moments.get('detected') as Date;
  return DURATIONS.map((kind) => {
    const end = moments.get(DURATION_END[kind]) ?? null;
    if (end === null) return { kind, label: DURATION_LABELS[kind], wallMs: null, businessMs: null };
    const wallMs = Math.max(0, end.getTime() - start.getTime());
    const businessMs = wallMs === 0 ? 0 : Math.min(wallMs, businessTimeBetween(calendar, start, end));
    return { kind, label: DURATION_LABELS[kind], wallMs, businessMs };
  });
}

/** "1 h 13 min", "4 min", "2 d 3 h": short words for a duration. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return ms <= 0 ? '0 min' : 'under 1 min';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d > 0 ? `${d} d` : '', h > 0 ? `${h} h` : '', m > 0 && d === 0 ? `${m} min` : ''].filter((p) => p !== '');
  return parts.join(' ');
}

// ---- The review ----

export const REVIEW_SECTIONS = [
  'summary',
  'customerImpact',
  'timeline',
  'contributingFactors',
  'wentWell',
  'wentBadly',
  'lessons',
] as const;
export type ReviewSection = (typeof REVIEW_SECTIONS)[number];
export type ReviewSections = Record<ReviewSection, string>;

export const REVIEW_SECTION_LABELS: Record<ReviewSection, string> = {
  summary: 'Summary',
  customerImpact: 'Customer impact',
  timeline: 'Timeline',
  contributingFactors: 'Contributing factors',
  wentWell: 'What went well',
  wentBadly: 'What went badly',
  lessons: 'Lessons',
};

/**
 * The blameless template: a prompt per section, shown as the section's starting text (the
 * timeline is seeded from the incident instead). Admins may change it (settings).
 */
export type ReviewTemplate = Record<Exclude<ReviewSection, 'timeline'>, string>;

export const DEFAULT_REVIEW_TEMPLATE: ReviewTemplate = {
  summary: 'What happened, in two or three sentences a newcomer would understand. Describe systems and decisions, not people to blame.',
  customerImpact: 'Who was affected, how, and for how long.',
  contributingFactors:
    'The conditions that made this possible (technical, process, information). Ask "how did it make sense at the time?" rather than "who did it?".',
  wentWell: 'What helped: detection, tools, people working together.',
  wentBadly: 'What made the response harder or slower.',
  lessons: 'What we learned, and what the action items below change.',
};

export const REVIEW_STATES = ['draft', 'in_review', 'published'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_STATE_LABELS: Record<ReviewState, string> = { draft: 'Draft', in_review: 'In review', published: 'Published' };

/** draft → in review → published; in review may go back to draft for more work; published is final. */
const REVIEW_TRANSITIONS: Record<ReviewState, readonly ReviewState[]> = {
  draft: ['in_review'],
  in_review: ['draft', 'published'],
  published: [],
};

export function canMoveReview(from: ReviewState, to: ReviewState): boolean {
  return REVIEW_TRANSITIONS[from].includes(to);
}

/** Why a move is refused, in words; null when it is allowed. */
export function reviewMoveProblem(from: ReviewState, to: ReviewState): string | null {
  if (canMoveReview(from, to)) return null;
  if (from === 'published') return 'a published review is final and cannot change state';
  if (from === to) return `the review is already ${REVIEW_STATE_LABELS[to].toLowerCase()}`;
  return `a review goes from ${REVIEW_STATE_LABELS[from]} to ${REVIEW_TRANSITIONS[from].map((s) => REVIEW_STATE_LABELS[s]).join(' or ')}, not to ${REVIEW_STATE_LABELS[to]}`;
}

/** One line per key event, seeded into the editable timeline section. */
export interface SeedEvent {
  at: Date;
  text: string;
}

/** The timeline section's seed: key moments and events, in time order, as Markdown list lines in UTC (user text escaped). */
export function seedTimeline(events: readonly SeedEvent[]): string {
  return [...events]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => `- ${utcMinute(e.at)} — ${escapeMarkdown(e.text)}`)
    .join('\n');
}

/** "2026-03-10 09:02 UTC": one unambiguous way to write an instant in a document read anywhere. */
export function utcMinute(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * Escapes text for Markdown so a title or a person's words show as written: no headings, links,
 * images, emphasis or raw HTML of their own. Newlines stay (paragraphs), each line escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line.replace(/[\\`*_{}[\]()#+\-.!|~<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`)),
    )
    .join('\n');
}

// ---- Action items ----

export const ACTION_ITEM_STATES = ['open', 'done', 'cancelled'] as const;
export type ActionItemState = (typeof ACTION_ITEM_STATES)[number];
export const ACTION_ITEM_STATE_LABELS: Record<ActionItemState, string> = { open: 'Open', done: 'Done', cancelled: 'Cancelled' };

export const ACTION_ITEM_PRIORITIES = ['high', 'medium', 'low'] as const;
export type ActionItemPriority = (typeof ACTION_ITEM_PRIORITIES)[number];
export const ACTION_ITEM_PRIORITY_LABELS: Record<ActionItemPriority, string> = { high: 'High', medium: 'Medium', low: 'Low' };

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** A due date (YYYY-MM-DD) is acceptable when it is today or later in the organisation's time zone. */
export function dueDateProblem(dueOn: string, now: Date, timeZone: string): string | null {
  return dueOn < localDate(now, timeZone) ? `must not be in the past (today is ${localDate(now, timeZone)})` : null;
}

export function isActionItemOverdue(item: { state: ActionItemState; dueOn: string }, now: Date, timeZone: string): boolean {
  return item.state === 'open' && item.dueOn < localDate(now, timeZone);
}

export const REMINDER_KINDS = ['before', 'due'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** How many days before the due date the first reminder goes. */
export const REMINDER_DAYS_BEFORE = 2;

/**
 * When the reminders of an item due on `dueOn` go: 09:00 local, `REMINDER_DAYS_BEFORE` days
 * before and on the day itself. A reminder whose time has already passed when the item is saved
 * is skipped (an item due tomorrow gets only its on-the-day reminder).
 */
export function reminderTimes(dueOn: string, timeZone: string, now: Date): { kind: ReminderKind; at: Date }[] {
  const due = zonedNine(dueOn, timeZone);
  const before = zonedNine(addDays(dueOn, -REMINDER_DAYS_BEFORE), timeZone);
  return [
    { kind: 'before' as const, at: before },
    { kind: 'due' as const, at: due },
  ].filter((r) => r.at.getTime() > now.getTime());
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 09:00 on a local date in a time zone, as an instant (offset found by one correction step). */
function zonedNine(date: string, timeZone: string): Date {
  const guess = new Date(`${date}T09:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(guess);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'));
  return new Date(guess.getTime() - (local - guess.getTime()));
}
