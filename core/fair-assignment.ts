import { layerOnCallAt, type OnCallOverride, type OnCallSchedule } from './on-call.js';
import type { Priority } from './vocabulary.js';

/**
 * Fair assignment within a team (issue 18, item 3): which member takes the next ticket. Pure: the
 * members with what the service knows of them now (active, on shift, their open tickets) in; a
 * person and the reason out, or nobody and why.
 *
 * - `round_robin`: the members in a fixed order (the caller's: by name), starting after the one
 *   who took the team's previous fairly assigned ticket; the first eligible one takes it.
 * - `least_loaded`: the eligible member with the smallest load — open tickets weighted by
 *   priority (a P1 weighs five P5s) — ties broken in round-robin order, so equal loads take turns.
 *
 * Eligible: active, on shift (when the team has a shift schedule), and holding fewer open tickets
 * than the team's cap (when it has one).
 */

export const ASSIGNMENT_STRATEGIES = ['round_robin', 'least_loaded'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

/** How much an open ticket of each priority weighs in a member's load. */
export const PRIORITY_WEIGHT: Readonly<Record<Priority, number>> = { 1: 5, 2: 4, 3: 3, 4: 2, 5: 1 };

export interface Member {
  userId: string;
  name: string;
  active: boolean;
  /** False only when the team has a shift schedule and the member is not on it now. */
  onShift: boolean;
  /** Open tickets the member holds, by priority. */
  openByPriority: Partial<Record<Priority, number>>;
}

export type SkipReason = 'deactivated' | 'off_shift' | 'at_cap';

export interface Skipped {
  userId: string;
  name: string;
  why: SkipReason;
}

export interface FairAssignmentInput {
  strategy: AssignmentStrategy;
  /** In the team's fixed order. */
  members: readonly Member[];
  /** Who took the team's previous fairly assigned ticket; null for the first. */
  previousId: string | null;
  /** At most this many open tickets per member; null: no cap. */
  cap: number | null;
}

export type FairChoice =
  | { ok: true; userId: string; name: string; strategy: AssignmentStrategy; load: number; openTickets: number; skipped: Skipped[] }
  | { ok: false; strategy: AssignmentStrategy; why: 'no_members' | 'nobody_eligible'; skipped: Skipped[] };

export function openCount(member: Member): number {
  let n = 0;
  for (const count of Object.values(member.openByPriority)) n += count ?? 0;
  return n;
}

export function loadOf(member: Member): number {
  let load = 0;
  for (const [priority, count] of Object.entries(member.openByPriority)) {
    load += (PRIORITY_WEIGHT[Number(priority) as Priority] ?? 1) * (count ?? 0);
  }
  return load;
}

function skipReason(member: Member, cap: number | null): SkipReason | null {
  if (!member.active) return 'deactivated';
  if (!member.onShift) return 'off_shift';
  if (cap !== null && openCount(member) >= cap) return 'at_cap';
  return null;
}

/** The members in turn order: the one after `previousId` first, `previousId` last (or the fixed order when unknown). */
export function turnOrder<T extends { userId: string }>(members: readonly T[], previousId: string | null): T[] {
  const at = previousId === null ? -1 : members.findIndex((m) => m.userId === previousId);
  return [...members.slice(at + 1), ...members.slice(0, at + 1)];
}

function turnIndex(members: readonly Member[], previousId: string | null, userId: string): number {
  return turnOrder(members, previousId).findIndex((m) => m.userId === userId);
}

/**
 * Who takes the ticket. In round robin the reason names only the members passed over before the
 * chosen one; least-loaded weighed everyone, so it names every member who could not take it.
 */
export function chooseFairAssignee(input: FairAssignmentInput): FairChoice {
  const { strategy, members, cap } = input;
  if (members.length === 0) return { ok: false, strategy, why: 'no_members', skipped: [] };
  const skipped: Skipped[] = [];
  const eligible: Member[] = [];
  for (const member of turnOrder(members, input.previousId)) {
    const why = skipReason(member, cap);
    if (why) skipped.push({ userId: member.userId, name: member.name, why });
    else eligible.push(member);
  }
  if (eligible.length === 0) return { ok: false, strategy, why: 'nobody_eligible', skipped };
  let chosen = eligible[0];
  if (strategy === 'least_loaded') {
    // Strictly smaller only: among equal loads the earliest in turn order wins.
    for (const member of eligible) if (loadOf(member) < loadOf(chosen)) chosen = member;
  }
  return {
    ok: true,
    userId: chosen.userId,
    name: chosen.name,
    strategy,
    load: loadOf(chosen),
    openTickets: openCount(chosen),
    skipped:
      strategy === 'round_robin'
        ? skipped.filter((s) => turnIndex(members, input.previousId, s.userId) < turnIndex(members, input.previousId, chosen.userId))
        : skipped,
  };
}

const SKIP_WORDS: Record<SkipReason, string> = {
  deactivated: 'deactivated',
  off_shift: 'off shift',
  at_cap: 'at the cap of open tickets',
};

export const STRATEGY_LABELS: Record<AssignmentStrategy, string> = {
  round_robin: 'round robin',
  least_loaded: 'least loaded',
};

/** The reason in words, for the timeline: "round robin: next in turn; skipped Dan (off shift)". */
export function describeFairChoice(choice: FairChoice, cap: number | null): string {
  const skipped =
    choice.skipped.length > 0 ? `; passed over ${choice.skipped.map((s) => `${s.name} (${SKIP_WORDS[s.why]})`).join(', ')}` : '';
  const capWords = cap === null ? '' : ` (cap ${cap})`;
  if (!choice.ok) {
    return choice.why === 'no_members'
      ? `${STRATEGY_LABELS[choice.strategy]}: the team has no members`
      : `${STRATEGY_LABELS[choice.strategy]}: nobody could take it${capWords}${skipped}`;
  }
  const why =
    choice.strategy === 'round_robin'
      ? 'next in turn'
      : `the lightest load, ${choice.openTickets} open ticket${choice.openTickets === 1 ? '' : 's'} weighing ${choice.load}`;
  return `${STRATEGY_LABELS[choice.strategy]}: ${why}${capWords}${skipped}`;
}

/**
 * Who is on shift in a team's shift schedule at `at`: the person each layer has on call (not only
 * the top one — a schedule of day and night layers puts both shifts' people on it only in their
 * hours) and anyone an override covers. People overridden away are still on their layer: an
 * override adds cover, it does not send the layer's person home.
 */
export function onShiftAt(schedule: OnCallSchedule, overrides: readonly OnCallOverride[], at: Date): Set<string> {
  const people = new Set<string>();
  for (const layer of schedule.layers) {
    const userId = layerOnCallAt(layer, schedule.timeZone, at);
    if (userId) people.add(userId);
  }
  const t = at.getTime();
  for (const o of overrides) if (o.startsAt.getTime() <= t && t < o.endsAt.getTime()) people.add(o.userId);
  return people;
}
