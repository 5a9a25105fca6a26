import { FINAL_STATES } from './ticket-state-machine.js';
import type { Level, Scope, TicketKind, TicketState } from './vocabulary.js';

/**
 * Parent and child, merge and the affected-people impact rule of major incidents (issue 14).
 * Pure: the services read the tickets and hand them here; a refusal names what is wrong.
 */

export interface LinkTicket {
  id: string;
  number: string;
  kind: TicketKind;
  state: TicketState;
  parentId: string | null;
}

export type LinkRefusal =
  /** 409: the child is the parent itself, or linking would make a cycle. */
  | { status: 'conflict'; field: 'ticketIds'; message: string }
  /** 422: the parent cannot take children (not an incident), or a child is final. */
  | { status: 'unprocessable'; field: 'ticketIds' | 'parent'; message: string };

const isFinal = (state: TicketState) => FINAL_STATES.includes(state);

/**
 * Whether `child` may become a child of `parent`. `ancestorIds` are the parent's parent, its
 * parent, … (the chain above the parent): a child found there would close a cycle.
 */
export function refuseLink(parent: LinkTicket, child: LinkTicket, ancestorIds: readonly string[]): LinkRefusal | null {
  if (parent.kind !== 'incident') {
    return { status: 'unprocessable', field: 'parent', message: `${parent.number} is not an incident: only an incident can have children` };
  }
  if (isFinal(parent.state)) {
    return { status: 'unprocessable', field: 'parent', message: `${parent.number} is ${parent.state}: a final incident takes no children` };
  }
  if (child.id === parent.id) return { status: 'conflict', field: 'ticketIds', message: `${child.number} cannot be a child of itself` };
  if (ancestorIds.includes(child.id)) {
    return {
      status: 'conflict',
      field: 'ticketIds',
      message: `${child.number} is above ${parent.number} already (its parent, or its parent's parent): linking it would make a cycle`,
    };
  }
  if (isFinal(child.state)) {
    return { status: 'unprocessable', field: 'ticketIds', message: `${child.number} is ${child.state}: a final ticket cannot be linked` };
  }
  // A problem is a cause, not a duplicate report (issue 17): the incident is linked to the problem instead.
  if (child.kind === 'problem') {
    return {
      status: 'unprocessable',
      field: 'ticketIds',
      message: `${child.number} is a problem: link the incident to the problem instead`,
    };
  }
  return null;
}

export type MergeRefusal = { field: 'ticketId' | 'intoId'; message: string };

/** Whether `duplicate` may be merged into `survivor` (both refusals are 409). */
export function refuseMerge(duplicate: LinkTicket, survivor: LinkTicket): MergeRefusal | null {
  if (duplicate.id === survivor.id) return { field: 'intoId', message: `${duplicate.number} cannot be merged into itself` };
  if (isFinal(duplicate.state) || duplicate.state === 'resolved') {
    return { field: 'ticketId', message: `${duplicate.number} is ${duplicate.state}: only an open ticket can be merged into another` };
  }
  if (isFinal(survivor.state)) {
    return { field: 'intoId', message: `${survivor.number} is ${survivor.state}: merge into a ticket that is still open` };
  }
  // A problem merges only into a problem, and nothing else into one (issue 17): they are different records.
  if ((duplicate.kind === 'problem') !== (survivor.kind === 'problem')) {
    return {
      field: 'intoId',
      message: `${duplicate.number} and ${survivor.number} are not the same kind: only a problem merges into a problem`,
    };
  }
  return null;
}

/**
 * Whether a duplicate with children may be merged into `survivor`, which takes its open children
 * (their requesters follow the survivor from then on). `survivorAncestorIds` is the chain above
 * the survivor: a survivor below the duplicate would become its own ancestor's parent.
 */
export function refuseMergeOfChildren(
  duplicate: LinkTicket,
  survivor: LinkTicket,
  survivorAncestorIds: readonly string[],
  openChildren: number,
): MergeRefusal | null {
  if (survivorAncestorIds.includes(duplicate.id)) {
    return {
      field: 'intoId',
      message: `${survivor.number} is linked below ${duplicate.number}: unlink it first, or merge the other way round`,
    };
  }
  if (openChildren === 0) return null;
  const children = openChildren === 1 ? '1 open child ticket' : `${openChildren} open child tickets`;
  if (survivor.kind !== 'incident') {
    return { field: 'intoId', message: `${duplicate.number} has ${children}: merge it into an incident, which can take them` };
  }
  if (survivor.state === 'resolved') {
    return {
      field: 'intoId',
      message: `${survivor.number} is resolved and its children were resolved with it: reopen it first, or merge ${duplicate.number} (${children}) into an open incident`,
    };
  }
  return null;
}

/**
 * The affected-people impact rule: 25 or more people affected make impact high (1), 5 or more
 * medium (2). It only ever raises impact (a lower number), never lowers it, and never overrides
 * an impact a person set by hand (`explicit`). Returns the new impact, or null for no change.
 */
export const AFFECTED_FOR_IMPACT: readonly { atLeast: number; impact: Level }[] = [
  { atLeast: 25, impact: 1 },
  { atLeast: 5, impact: 2 },
];

export function impactFromAffected(affected: number, current: Level, explicit: boolean): Level | null {
  if (explicit) return null;
  const rule = AFFECTED_FOR_IMPACT.find((r) => affected >= r.atLeast);
  if (!rule || rule.impact >= current) return null;
  return rule.impact;
}

export const IMPACT_WORDS: Record<Level, string> = { 1: 'high', 2: 'medium', 3: 'low' };

/** Who owns incidents of each scope: a role with a display name, held by a person or a team's manager. */
export type OwnerHolder = { kind: 'person'; userId: string } | { kind: 'team'; teamId: string } | null;
export interface OwnershipRole {
  name: string;
  holder: OwnerHolder;
}
export type IncidentOwnership = Record<Scope, OwnershipRole>;

/** The defaults from the process description: the CSM owns local incidents, the TM global ones. */
export const DEFAULT_OWNERSHIP: IncidentOwnership = {
  local: { name: 'Customer Service Manager', holder: null },
  global: { name: 'Technical Manager', holder: null },
};

/** The message a child's requester receives once when their report is linked to a known problem. */
export function knownProblemNotice(parentNumber: string): string {
  return `This is a known problem: we are working on it as ${parentNumber}. Follow ${parentNumber} for updates; your report will be resolved with it.`;
}

export function mergedNotice(survivorNumber: string): string {
  return `This report was merged into ${survivorNumber}, which describes the same problem. You now follow ${survivorNumber} and will hear of its updates.`;
}
