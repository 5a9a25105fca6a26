import type { FieldError } from './errors.js';
import type { TicketKind } from './vocabulary.js';

/**
 * An incident is complete only when its documentation, its stakeholders and its preventive
 * measures are (seeds 001, 002): the completion checklist says what must be true before it may
 * be closed. Automatic items Firebreak checks from the incident itself; manual items a person
 * ticks (on the timeline). Admins configure a checklist per kind of incident.
 */

/** What Firebreak can check by itself, from the incident's record. */
export const AUTOMATIC_CHECKS = [
  'resolution_documented',
  'root_cause_documented',
  'final_update_sent',
  'preventive_measure_recorded',
  'review_scheduled',
  'review_done',
] as const;
export type AutomaticCheck = (typeof AUTOMATIC_CHECKS)[number];

/** `manual`: a person ticks it (e.g. "the customer's account manager has been called"). */
export const CHECK_KINDS = [...AUTOMATIC_CHECKS, 'manual'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface ChecklistItem {
  /** Stable identifier, lower-case words joined by underscores; a ticked manual item is recorded by it. */
  key: string;
  label: string;
  check: CheckKind;
}

/** Which checklist applies: major incidents have one; other incidents one too (empty by default: they close on the requester's confirmation). */
export const CHECKLIST_KINDS = ['major_incident', 'incident'] as const;
export type ChecklistKind = (typeof CHECKLIST_KINDS)[number];
export type Checklists = Record<ChecklistKind, ChecklistItem[]>;

export const CHECKLIST_KIND_LABELS: Record<ChecklistKind, string> = {
  major_incident: 'Major incidents',
  incident: 'Other incidents',
};

export const DEFAULT_CHECKLISTS: Checklists = {
  major_incident: [
    { key: 'resolution_documented', label: 'Resolution documented', check: 'resolution_documented' },
    { key: 'root_cause_documented', label: 'Root cause documented', check: 'root_cause_documented' },
    { key: 'final_update_sent', label: 'Final update sent to stakeholders', check: 'final_update_sent' },
    { key: 'preventive_measure_recorded', label: 'Preventive measure recorded', check: 'preventive_measure_recorded' },
    { key: 'review_scheduled', label: 'Post-incident review scheduled', check: 'review_scheduled' },
  ],
  incident: [],
};

/** What "done" means for each automatic check, in words shown beside an unticked item. */
export const AUTOMATIC_CHECK_HINTS: Record<AutomaticCheck, string> = {
  resolution_documented: 'the incident is resolved with resolution notes',
  root_cause_documented: 'a root cause is recorded (or an investigation confirmed)',
  final_update_sent: 'a final update has been sent (or recorded) for everyone affected',
  preventive_measure_recorded: 'at least one preventive measure is recorded',
  review_scheduled: 'a post-incident review has a date (or is in review or published)',
  review_done: 'the post-incident review is published',
};

export function checklistKindOf(ticket: { kind: TicketKind; majorSince: Date | string | null }): ChecklistKind | null {
  if (ticket.kind !== 'incident') return null;
  return ticket.majorSince !== null ? 'major_incident' : 'incident';
}

/** What the incident's record says, gathered by the service. */
export interface CompletionFacts {
  resolutionNotes: string | null;
  rootCause: string | null;
  finalUpdateAt: Date | null;
  preventiveMeasureCount: number;
  reviewScheduledFor: Date | null;
  /** The post-incident review's state, when the incident has one (issue 17); absent or null: none. */
  reviewState?: 'draft' | 'in_review' | 'published' | null;
  /** Manual items a person has ticked (and not unticked since). */
  tickedKeys: ReadonlySet<string>;
}

export interface ItemState {
  key: string;
  label: string;
  check: CheckKind;
  done: boolean;
  /** For an item not done: what would make it done, in words. */
  hint: string;
}

const filled = (text: string | null) => text !== null && text.trim() !== '';

function isDone(item: ChecklistItem, facts: CompletionFacts): boolean {
  switch (item.check) {
    case 'resolution_documented':
      return filled(facts.resolutionNotes);
    case 'root_cause_documented':
      return filled(facts.rootCause);
    case 'final_update_sent':
      return facts.finalUpdateAt !== null;
    case 'preventive_measure_recorded':
      return facts.preventiveMeasureCount > 0;
    case 'review_scheduled':
      return facts.reviewScheduledFor !== null || facts.reviewState === 'in_review' || facts.reviewState === 'published';
    case 'review_done':
      return facts.reviewState === 'published';
    case 'manual':
      return facts.tickedKeys.has(item.key);
  }
}

/** Each item of the checklist, in its order, done or not. */
export function evaluateChecklist(items: readonly ChecklistItem[], facts: CompletionFacts): ItemState[] {
  return items.map((item) => ({
    ...item,
    done: isDone(item, facts),
    hint: item.check === 'manual' ? 'someone on the incident ticks it' : AUTOMATIC_CHECK_HINTS[item.check],
  }));
}

export type CloseDecision =
  | { allowed: true; overridden: ItemState[] }
  | { allowed: false; missing: ItemState[]; why: 'incomplete' | 'override_needs_admin' | 'override_needs_reason' };

/**
 * May the incident close? Yes when every item is done; otherwise only an admin who gives a
 * reason overrides it (the skipped items are recorded on the timeline with that reason).
 */
export function decideClose(states: readonly ItemState[], override: { byAdmin: boolean; reason: string | null } | null): CloseDecision {
  const missing = states.filter((s) => !s.done);
  if (missing.length === 0) return { allowed: true, overridden: [] };
  if (!override) return { allowed: false, missing, why: 'incomplete' };
  if (!override.byAdmin) return { allowed: false, missing, why: 'override_needs_admin' };
  if (!override.reason || override.reason.trim() === '') return { allowed: false, missing, why: 'override_needs_reason' };
  return { allowed: true, overridden: missing };
}

/** Manual items ticked: replays tick/untick entries in order; the last word on a key wins. */
export function tickedKeysFrom(entries: readonly { key: string; ticked: boolean }[]): Set<string> {
  const ticked = new Set<string>();
  for (const e of entries) {
    if (e.ticked) ticked.add(e.key);
    else ticked.delete(e.key);
  }
  return ticked;
}

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,59}$/;

/** An admin's checklists: every item named, keys unique within a checklist, automatic checks used once. */
export function checklistProblems(checklists: Checklists): FieldError[] {
  const problems: FieldError[] = [];
  for (const kind of CHECKLIST_KINDS) {
    const seenKeys = new Set<string>();
    const seenChecks = new Set<CheckKind>();
    checklists[kind].forEach((item, i) => {
      const at = `${kind}.${i}`;
      if (!KEY_PATTERN.test(item.key)) {
        problems.push({
          field: `${at}.key`,
          message: 'must be lower-case letters, digits and underscores, starting with a letter (at most 60)',
        });
      } else if (seenKeys.has(item.key)) {
        problems.push({ field: `${at}.key`, message: `"${item.key}" is already an item of this checklist` });
      }
      seenKeys.add(item.key);
      if (item.label.trim() === '') problems.push({ field: `${at}.label`, message: 'must not be empty' });
      if (item.check !== 'manual') {
        if (seenChecks.has(item.check)) {
          problems.push({ field: `${at}.check`, message: 'this automatic check is already an item of this checklist' });
        }
        seenChecks.add(item.check);
      }
    });
  }
  return problems;
}
