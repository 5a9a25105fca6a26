import { OPEN_STATES, type TicketKind, type TicketState } from './vocabulary.js';

/**
 * Problems (issue 17): the unknown underlying cause of one or more incidents. A problem is a
 * ticket of kind `problem` and moves through the ONE ticket state machine; its own stages are
 * read from the state and one mark (`knownErrorAt`), never stored as a second state:
 *
 *   new / assigned          → new
 *   in_progress / on_hold   → under investigation
 *   open + knownErrorAt     → known error (a workaround is recorded)
 *   resolved                → resolved
 *   closed / cancelled      → closed / cancelled
 */
export const PROBLEM_STAGES = ['new', 'under_investigation', 'known_error', 'resolved', 'closed', 'cancelled'] as const;
export type ProblemStage = (typeof PROBLEM_STAGES)[number];

export const PROBLEM_STAGE_LABELS: Record<ProblemStage, string> = {
  new: 'New',
  under_investigation: 'Under investigation',
  known_error: 'Known error',
  resolved: 'Resolved',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

export function problemStage(problem: { state: TicketState; knownErrorAt: Date | string | null }): ProblemStage {
  if (problem.state === 'resolved') return 'resolved';
  if (problem.state === 'closed') return 'closed';
  if (problem.state === 'cancelled') return 'cancelled';
  if (problem.knownErrorAt) return 'known_error';
  if (problem.state === 'in_progress' || problem.state === 'on_hold') return 'under_investigation';
  return 'new';
}

export interface Refusal {
  status: 'unprocessable' | 'conflict';
  field: string;
  message: string;
}

/** The fields only a problem may carry; an incident (or any other kind) is refused them. */
export const PROBLEM_ONLY_FIELDS = ['rootCause', 'workaround', 'publicWorkaround', 'knownErrorAt'] as const;

/** Whether a ticket may take a problem's fields (root cause analysis, workaround, the known-error mark). */
export function refuseProblemFields(ticket: { kind: TicketKind; number: string }, fields: readonly string[]): Refusal | null {
  if (ticket.kind === 'problem') return null;
  const field = fields.find((f) => (PROBLEM_ONLY_FIELDS as readonly string[]).includes(f)) ?? 'id';
  return {
    status: 'unprocessable',
    field,
    message: `${ticket.number} is not a problem: only a problem has a root cause analysis and a workaround`,
  };
}

export interface LinkSide {
  id: string;
  number: string;
  kind: TicketKind;
  state: TicketState;
  problemId: string | null;
}

/**
 * Whether an incident may be linked to a problem. Many incidents share one problem; an incident
 * has at most one problem (link it elsewhere only after unlinking it). A final problem takes no
 * new incidents; a closed incident may still be linked (learning from the past is the point).
 */
export function refuseProblemLink(problem: LinkSide, incident: LinkSide, field = 'incidentIds'): Refusal | null {
  if (problem.kind !== 'problem') return { status: 'unprocessable', field: 'problemId', message: `${problem.number} is not a problem` };
  if (incident.kind !== 'incident') {
    return { status: 'unprocessable', field, message: `${incident.number} is not an incident: only incidents are linked to a problem` };
  }
  if (problem.state === 'closed' || problem.state === 'cancelled') {
    return { status: 'conflict', field: 'problemId', message: `${problem.number} is ${problem.state}: it takes no more incidents` };
  }
  if (incident.problemId !== null && incident.problemId !== problem.id) {
    return { status: 'conflict', field, message: `${incident.number} is linked to another problem already: unlink it there first` };
  }
  return null;
}

/** Marking a known error needs a workaround a person can follow, on a problem still being worked. */
export function refuseKnownErrorMark(problem: { number: string; state: TicketState; workaround: string | null }): Refusal | null {
  if (!OPEN_STATES.includes(problem.state)) {
    return {
      status: 'conflict',
      field: 'state',
      message: `${problem.number} is ${problem.state}: only an open problem can become a known error`,
    };
  }
  if (!problem.workaround?.trim()) {
    return {
      status: 'unprocessable',
      field: 'workaround',
      message: 'record the workaround first: a known error is a problem with a workaround',
    };
  }
  return null;
}

export interface KnownErrorCandidate {
  id: string;
  kind: TicketKind;
  state: TicketState;
  knownErrorAt: Date | null;
  workaround: string | null;
  serviceId: string | null;
  categoryId: string | null;
}

/**
 * Whether a problem's known error applies to an incident: the problem is an open known error with
 * a workaround, and the incident is open and on the same service — or, when the problem names no
 * service, in the same category. Resolving or closing the problem withdraws it everywhere.
 */
export function knownErrorApplies(
  problem: KnownErrorCandidate,
  incident: { kind: TicketKind; state: TicketState; serviceId: string | null; categoryId: string | null },
): boolean {
  if (problem.kind !== 'problem' || !problem.knownErrorAt || !problem.workaround?.trim()) return false;
  if (!OPEN_STATES.includes(problem.state)) return false;
  if (incident.kind !== 'incident' || !OPEN_STATES.includes(incident.state)) return false;
  if (problem.serviceId !== null) return problem.serviceId === incident.serviceId;
  return problem.categoryId !== null && problem.categoryId === incident.categoryId;
}

/** The known errors for one incident, oldest mark first (the longest-standing workaround leads). */
export function knownErrorsFor<T extends KnownErrorCandidate>(
  incident: { kind: TicketKind; state: TicketState; serviceId: string | null; categoryId: string | null },
  problems: readonly T[],
): T[] {
  return problems
    .filter((p) => knownErrorApplies(p, incident))
    .sort((a, b) => (a.knownErrorAt as Date).getTime() - (b.knownErrorAt as Date).getTime());
}

/** At most this many known errors beside a requester's report (articles have their own list). */
export const REQUESTER_KNOWN_ERRORS_SHOWN = 3;

/**
 * Whether requesters may see a problem's known error in the portal: an open known error whose
 * staff have written the workaround for requesters. The staff workaround is never the fallback —
 * it is written for the desk (internal names, admin steps) — so without public text, nothing shows.
 */
export function shownToRequesters(problem: {
  kind: TicketKind;
  state: TicketState;
  knownErrorAt: Date | string | null;
  publicWorkaround: string | null;
}): boolean {
  return (
    problem.kind === 'problem' &&
    problem.knownErrorAt !== null &&
    OPEN_STATES.includes(problem.state) &&
    Boolean(problem.publicWorkaround?.trim())
  );
}
