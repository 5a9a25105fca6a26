/**
 * Escalation policies and paging (issue 4): pure decisions about who is paged and what happens
 * when nobody acknowledges. Services resolve targets to people and write the results.
 *
 * A policy is ordered levels; each level names targets (a person, a schedule — whoever is on
 * call then — or a team — its members) and a timeout. When a level's timeout passes without an
 * acknowledgement the next level is paged; after the last level the whole policy is repeated
 * `repeat` more times, and then the page is exhausted.
 */

export const ESCALATION_TARGET_TYPES = ['user', 'schedule', 'team'] as const;
export type EscalationTargetType = (typeof ESCALATION_TARGET_TYPES)[number];

export interface EscalationTarget {
  type: EscalationTargetType;
  id: string;
}

export interface EscalationLevel {
  targets: EscalationTarget[];
  timeoutMinutes: number;
}

export interface EscalationPolicyRules {
  levels: EscalationLevel[];
  /** How many more times the whole policy runs after the last level (0: once). */
  repeat: number;
}

export const PAGE_STATES = ['triggered', 'acknowledged', 'resolved', 'exhausted'] as const;
export type PageState = (typeof PAGE_STATES)[number];

export interface PageStep {
  level: number;
  round: number;
}

/** How long a response-role page waits for the role's new holder before the policy takes over (issue 14). */
export const ROLE_PAGE_TIMEOUT_MINUTES = 5;

/**
 * The levels a page follows. A policy page follows its policy. A response-role page reaches its
 * person first — the role's new holder, alone, for `ROLE_PAGE_TIMEOUT_MINUTES` — and then, if
 * they have not acknowledged, the ticket's escalation policy (none: exhausted after the holder).
 */
export function pageLevels(policy: EscalationPolicyRules | null, personId: string | null): EscalationPolicyRules {
  const levels = policy?.levels ?? [];
  const repeat = policy?.repeat ?? 0;
  if (!personId) return { levels, repeat };
  return { levels: [{ targets: [{ type: 'user', id: personId }], timeoutMinutes: ROLE_PAGE_TIMEOUT_MINUTES }, ...levels], repeat };
}

/** Where a page goes after `current` timed out: the next level, the next round, or nowhere. */
export function nextPageStep(policy: EscalationPolicyRules, current: PageStep): PageStep | 'exhausted' {
  if (current.level + 1 < policy.levels.length) return { level: current.level + 1, round: current.round };
  if (current.round < policy.repeat) return { level: 0, round: current.round + 1 };
  return 'exhausted';
}

/** How many steps a policy takes before it is exhausted: levels × (repeat + 1). */
export function totalPageSteps(policy: EscalationPolicyRules): number {
  return policy.levels.length * (policy.repeat + 1);
}

/** Problems with a policy, each naming its field; empty when usable. */
export function validateEscalationPolicy(policy: EscalationPolicyRules): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (policy.levels.length === 0) problems.push({ field: 'levels', message: 'a policy needs at least one level' });
  policy.levels.forEach((level, i) => {
    if (level.targets.length === 0) problems.push({ field: `levels.${i}.targets`, message: 'a level needs at least one target' });
    if (!Number.isInteger(level.timeoutMinutes) || level.timeoutMinutes < 1) {
      problems.push({ field: `levels.${i}.timeoutMinutes`, message: 'must be at least 1 minute' });
    }
  });
  if (!Number.isInteger(policy.repeat) || policy.repeat < 0) problems.push({ field: 'repeat', message: 'must be 0 or more' });
  return problems;
}

/** Paging is automatic for critical incidents: on creation and when raised to P1. */
export function shouldAutoPage(ticket: { kind: string; priority: number }, previousPriority: number | null): boolean {
  return ticket.kind === 'incident' && ticket.priority === 1 && previousPriority !== 1;
}

/**
 * What an admin chose for P1s a requester's own answers made (settings `requester_p1_paging`):
 * page at once, or wait for a staff member to confirm the priority — and, with
 * `pageAfterMinutes`, page anyway when nobody confirmed it by then.
 */
export interface RequesterP1Paging {
  waitForStaff: boolean;
  /** null: wait until a staff member confirms or changes the priority. */
  pageAfterMinutes: number | null;
}

export const DEFAULT_REQUESTER_P1_PAGING: RequesterP1Paging = { waitForStaff: true, pageAfterMinutes: 15 };

/** Who made the ticket critical: a requester's answers, a staff member, or monitoring. */
export type RaisedBy = 'requester' | 'staff' | 'alert';

export type AutoPageDecision = { action: 'none' } | { action: 'page' } | { action: 'hold'; pageAt: Date | null };

/**
 * Whether a change pages on-call now. Staff-reported and alert-raised P1s page at once; a P1 that
 * only a requester's answers made ("many people" + "not at all") waits for a staff member to
 * confirm it when the admin says so, up to `pageAfterMinutes`.
 */
export function decideAutoPage(
  ticket: { kind: string; priority: number },
  previousPriority: number | null,
  raisedBy: RaisedBy,
  setting: RequesterP1Paging,
  now: Date,
): AutoPageDecision {
  if (!shouldAutoPage(ticket, previousPriority)) return { action: 'none' };
  if (raisedBy !== 'requester' || !setting.waitForStaff) return { action: 'page' };
  return {
    action: 'hold',
    pageAt: setting.pageAfterMinutes === null ? null : new Date(now.getTime() + setting.pageAfterMinutes * 60_000),
  };
}

/** The setting's field errors, if any. */
export function validateRequesterP1Paging(setting: RequesterP1Paging): { field: string; message: string }[] {
  const m = setting.pageAfterMinutes;
  if (m !== null && (!Number.isInteger(m) || m < 1 || m > 24 * 60)) {
    return [
      { field: 'pageAfterMinutes', message: 'page after a whole number of minutes from 1 to 1440, or leave it empty to wait for staff' },
    ];
  }
  return [];
}
