/**
 * Planned maintenance on the status page (issue 15 #7), the pure part: what a window is, which
 * phase it is in, what its timers do, which components it puts under maintenance, and the words
 * subscribers get. No I/O: the service hands in the rows it read and the clock's now.
 */

/** A window's life: announced, going on, over, or called off. */
export const MAINTENANCE_STATES = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export type MaintenanceState = (typeof MAINTENANCE_STATES)[number];

export const MAINTENANCE_STATE_LABELS: Record<MaintenanceState, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

/** What a window's timers do, in the order they fall due. */
export const MAINTENANCE_STEPS = ['remind', 'start', 'complete'] as const;
export type MaintenanceStep = (typeof MAINTENANCE_STEPS)[number];

/**
 * The news a window makes for subscribers and the page's history: its announcement, the reminder
 * at the lead time, a change of its plan, its start and end, and its cancellation.
 */
export const MAINTENANCE_NEWS = ['scheduled', 'reminder', 'updated', 'in_progress', 'completed', 'cancelled'] as const;
export type MaintenanceNews = (typeof MAINTENANCE_NEWS)[number];

/** Subscribers hear of a window this long before it starts, unless its author says otherwise. */
export const DEFAULT_LEAD_MINUTES = 24 * 60;
/** A reminder more than four weeks ahead would be a second announcement, not a reminder. */
export const MAX_LEAD_MINUTES = 28 * 24 * 60;
/** A window longer than a week is not maintenance any more; nobody plans one by mistake. */
export const MAX_WINDOW_MS = 7 * 86_400_000;

export interface MaintenancePlan {
  startsAt: Date;
  endsAt: Date;
  leadMinutes: number;
}

export interface MaintenanceRecord extends MaintenancePlan {
  state: MaintenanceState;
  /** When the window was announced: a reminder due before then is not sent (it would repeat the announcement). */
  createdAt: Date;
  /** The reminder instant already announced (null: none yet): a reminder timer run again says nothing. */
  remindedFor: Date | null;
}

export interface PlanProblem {
  field: 'startsAt' | 'endsAt' | 'leadMinutes';
  message: string;
}

/**
 * What is wrong with a plan, field by field. A new window (and a scheduled one being moved) must
 * start in the future; one already in progress keeps its start, and may only end later than now.
 */
export function planProblems(
  plan: MaintenancePlan,
  input: { now: Date; state: MaintenanceState | null; previousStart?: Date },
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const start = plan.startsAt.getTime();
  const end = plan.endsAt.getTime();
  const now = input.now.getTime();
  if (input.state === 'completed' || input.state === 'cancelled') return problems;
  if (input.state === 'in_progress') {
    if (input.previousStart && start !== input.previousStart.getTime()) {
      problems.push({ field: 'startsAt', message: 'cannot change: the maintenance has started' });
    }
    if (end <= now) problems.push({ field: 'endsAt', message: 'must be in the future: the maintenance is going on now' });
  } else if (start <= now) {
    problems.push({ field: 'startsAt', message: 'must be in the future' });
  }
  if (end <= start) problems.push({ field: 'endsAt', message: 'must be after the start' });
  else if (end - start > MAX_WINDOW_MS) problems.push({ field: 'endsAt', message: 'must be at most 7 days after the start' });
  if (!Number.isInteger(plan.leadMinutes) || plan.leadMinutes < 0 || plan.leadMinutes > MAX_LEAD_MINUTES) {
    problems.push({ field: 'leadMinutes', message: `must be a whole number of minutes from 0 to ${MAX_LEAD_MINUTES} (4 weeks)` });
  }
  return problems;
}

/** The phase a window's times say it is in at `now` (what its timers bring it to). */
export function phaseAt(window: MaintenancePlan & { cancelled: boolean }, now: Date): MaintenanceState {
  if (window.cancelled) return 'cancelled';
  if (now.getTime() < window.startsAt.getTime()) return 'scheduled';
  if (now.getTime() < window.endsAt.getTime()) return 'in_progress';
  return 'completed';
}

/** When each timer of a window falls due; no reminder when its instant is not after the announcement. */
export function stepTimes(window: MaintenanceRecord): { step: MaintenanceStep; at: Date }[] {
  const remindAt = new Date(window.startsAt.getTime() - window.leadMinutes * 60_000);
  const steps: { step: MaintenanceStep; at: Date }[] = [];
  if (window.leadMinutes > 0 && remindAt.getTime() > window.createdAt.getTime()) steps.push({ step: 'remind', at: remindAt });
  steps.push({ step: 'start', at: window.startsAt });
  steps.push({ step: 'complete', at: window.endsAt });
  return steps;
}

/**
 * What a timer does when it runs: nothing unless it is still the window's timer for that step
 * and instant (an edit moved the window: the old timer is stale) and the window is in the state
 * the step leaves. So a timer run twice, late, or after an edit acts at most once.
 * Returns the window's new state and the news to announce, or null.
 */
export function stepOutcome(
  window: MaintenanceRecord,
  step: MaintenanceStep,
  dueAt: Date,
  now: Date,
): { state: MaintenanceState; news: MaintenanceNews; remindedFor?: Date } | null {
  const current = stepTimes(window).find((s) => s.step === step);
  if (!current || current.at.getTime() !== dueAt.getTime()) return null;
  switch (step) {
    case 'remind':
      // A reminder run late, once the window has begun, would announce a start that already happened.
      return window.state === 'scheduled' && window.remindedFor?.getTime() !== dueAt.getTime() && now.getTime() < window.startsAt.getTime()
        ? { state: 'scheduled', news: 'reminder', remindedFor: dueAt }
        : null;
    case 'start':
      // Run only once the window is over (the server was down through it): the complete timer
      // completes it, and a start announced now would be news nobody needs — whichever runs first.
      if (now.getTime() >= window.endsAt.getTime()) return null;
      return window.state === 'scheduled' ? { state: 'in_progress', news: 'in_progress' } : null;
    case 'complete':
      // A window whose start timer has not run yet (the server was down through it) completes
      // straight away: its start is news nobody needs any more.
      return window.state === 'scheduled' || window.state === 'in_progress' ? { state: 'completed', news: 'completed' } : null;
  }
}

/**
 * The public components under maintenance now: those of every window in progress. Overlapping
 * windows on one component are one maintenance until the last of them completes.
 */
export function componentsUnderMaintenance(windows: readonly { state: MaintenanceState; componentIds: readonly string[] }[]): Set<string> {
  const ids = new Set<string>();
  for (const w of windows) if (w.state === 'in_progress') for (const id of w.componentIds) ids.add(id);
  return ids;
}

/** Statuspage's maintenance status for a window (a cancelled one is not in its documents). */
export function statuspageMaintenanceStatus(state: MaintenanceState): 'scheduled' | 'in_progress' | 'completed' {
  return state === 'cancelled' ? 'completed' : state;
}

/** Statuspage's update status for a piece of news. */
export function statuspageUpdateStatus(news: MaintenanceNews, stateAfter: MaintenanceState): 'scheduled' | 'in_progress' | 'completed' {
  if (news === 'in_progress') return 'in_progress';
  if (news === 'completed' || news === 'cancelled') return 'completed';
  return stateAfter === 'in_progress' ? 'in_progress' : 'scheduled';
}

/** An instant as people read it on a page read worldwide: UTC, to the minute. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How long before the start the reminder goes, in words. */
export function leadInWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * The public words of a piece of news (plain text: the page and mails escape them). `scheduled`
 * and `updated` carry the author's description; the others say what happened.
 */
export function maintenanceNewsText(news: MaintenanceNews, window: MaintenancePlan & { description: string }): string {
  const when = `From ${formatUtc(window.startsAt)} to ${formatUtc(window.endsAt)}.`;
  switch (news) {
    case 'scheduled':
      return [window.description.trim(), when].filter(Boolean).join('\n\n');
    case 'reminder':
      return `Reminder: this maintenance starts in ${leadInWords(window.leadMinutes)}. ${when}`;
    case 'updated':
      return ['The plan for this maintenance changed.', window.description.trim(), when].filter(Boolean).join('\n\n');
    case 'in_progress':
      return `The maintenance has started. It is planned to end at ${formatUtc(window.endsAt)}.`;
    case 'completed':
      return 'The maintenance is complete.';
    case 'cancelled':
      return 'This maintenance has been cancelled: it will not take place.';
  }
}

const NEWS_LABEL: Record<MaintenanceNews, string> = {
  scheduled: 'Planned maintenance',
  reminder: 'Maintenance reminder',
  updated: 'Maintenance changed',
  in_progress: 'Maintenance started',
  completed: 'Maintenance completed',
  cancelled: 'Maintenance cancelled',
};

/** What subscribers receive: the subject and the body, plain text. */
export function maintenanceAnnouncementText(input: {
  pageName: string;
  news: MaintenanceNews;
  title: string;
  body: string;
  componentNames: readonly string[];
}): { subject: string; body: string } {
  const label = NEWS_LABEL[input.news];
  const affects = input.componentNames.length > 0 ? `Affects: ${input.componentNames.join(', ')}` : '';
  return {
    subject: `[${input.pageName}] ${label}: ${input.title}`,
    body: [`${label}: ${input.title}`, '', input.body, '', affects].join('\n').trim(),
  };
}
