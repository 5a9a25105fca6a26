import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeTicket, isStaff } from '../../../core/permissions.js';
import {
  knownErrorsFor,
  type ProblemStage,
  problemStage,
  refuseKnownErrorMark,
  refuseProblemFields,
  refuseProblemLink,
} from '../../../core/problems.js';
import { type ImpactedService, serviceImpact } from '../../../core/service-graph.js';
import type { Level, TicketState } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { listDependencyEdges } from '../repositories/catalog.repository.js';
import { lockTicketsInOrder } from '../repositories/incident-links.repository.js';
import {
  countKnownErrorSolved,
  listKnownErrorCandidates,
  listProblemIncidents,
  serviceNamesByIds,
} from '../repositories/problems.repository.js';
import { findTicketById, type NewTicketRow, type TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { reportTicket } from './ticket-intake.service.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

/** At most this many incidents linked in one request. */
export const MAX_PROBLEM_LINKS = 200;
const INCIDENTS_SHOWN = 200;

function requireStaff(actor: Actor, what: string): void {
  if (!isStaff(actor)) throw new AppError('forbidden', `only service-desk staff can ${what}`);
}

export interface CreateProblemInput {
  title: string;
  description: string;
  serviceId?: string | null;
  categoryId?: string | null;
  impact: Level;
  urgency: Level;
  teamId?: string | null;
  assigneeId?: string | null;
  incidentIds?: string[];
}

/**
 * Records a problem, on its own or from incidents: the ticket (kind `problem`, a PRB number, the
 * person recording it as its requester — problems are the desk's own records) and the links, in
 * one transaction, so a refused incident leaves no problem behind.
 */
export async function createProblem(
  deps: ServiceDeps,
  actor: Actor,
  input: CreateProblemInput,
  idempotencyKey?: string,
): Promise<{ problem: TicketRow; replayed: boolean }> {
  requireStaff(actor, 'record a problem');
  const { incidentIds = [], ...fields } = input;
  return deps.db.transaction(async (tx) => {
    const { ticket, replayed } = await reportTicket(
      { ...deps, db: tx },
      actor,
      { ...fields, kind: 'problem', scope: 'local', requesterId: actor.id, channel: 'api' },
      { defaultChannel: 'api', idempotencyKey },
    );
    if (replayed || incidentIds.length === 0) return { problem: ticket, replayed };
    const { problem } = await linkInTx(tx, deps, actor, ticket, incidentIds);
    return { problem, replayed };
  });
}

/** Links incidents to a problem; each link is on both timelines. Linking one again changes nothing. */
export async function linkIncidents(
  deps: ServiceDeps,
  actor: Actor,
  problemId: string,
  incidentIds: readonly string[],
  expectedVersion?: number,
): Promise<{ problem: TicketRow; linked: string[] }> {
  requireStaff(actor, 'link incidents to a problem');
  return deps.db.transaction(async (tx) => {
    const problem = await lockProblem(tx, actor, problemId, expectedVersion);
    return linkInTx(tx, deps, actor, problem, incidentIds);
  });
}

async function linkInTx(
  tx: Tx,
  deps: ServiceDeps,
  actor: Actor,
  problem: TicketRow,
  incidentIds: readonly string[],
): Promise<{ problem: TicketRow; linked: string[] }> {
  const ids = [...new Set(incidentIds)];
  if (ids.length === 0) throw fieldError('validation_failed', 'incidentIds', 'name at least one incident to link');
  if (ids.length > MAX_PROBLEM_LINKS)
    throw fieldError('validation_failed', 'incidentIds', `link at most ${MAX_PROBLEM_LINKS} incidents at once`);
  const incidents = await lockTicketsInOrder(tx, ids);
  // A ticket the caller may not see is refused exactly as one that does not exist.
  const missing = ids.find((id) => !incidents.some((t) => t.id === id && canSeeTicket(actor, t)));
  if (missing) throw fieldError('unprocessable', 'incidentIds', `no incident has the id ${missing}`);
  for (const incident of incidents) {
    const refusal = refuseProblemLink(problem, incident);
    if (refusal) throw fieldError(refusal.status, refusal.field, refusal.message);
  }
  const linked = incidents.filter((i) => i.problemId !== problem.id);
  if (linked.length === 0) return { problem, linked: [] };
  const now = deps.clock.now();
  for (const incident of linked) {
    await applyTicketChange(tx, {
      before: incident,
      patch: { problemId: problem.id },
      actor,
      at: now,
      events: [linkEvent('linked', problem, incident)],
    });
  }
  const { ticket } = await applyTicketChange(tx, {
    before: problem,
    patch: {},
    actor,
    at: now,
    events: linked.map((incident) => linkEvent('linked', problem, incident)),
  });
  return { problem: ticket, linked: linked.map((i) => i.id) };
}

/** Unlinks an incident from its problem, on both timelines. */
export async function unlinkIncident(
  deps: ServiceDeps,
  actor: Actor,
  problemId: string,
  incidentId: string,
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'unlink incidents from a problem');
  return deps.db.transaction(async (tx) => {
    const problem = await lockProblem(tx, actor, problemId, expectedVersion);
    const [incident] = await lockTicketsInOrder(tx, [incidentId]);
    if (!incident || incident.problemId !== problem.id) throw notFound('linked incident');
    const now = deps.clock.now();
    await applyTicketChange(tx, {
      before: incident,
      patch: { problemId: null },
      actor,
      at: now,
      events: [linkEvent('unlinked', problem, incident)],
    });
    const { ticket } = await applyTicketChange(tx, {
      before: problem,
      patch: {},
      actor,
      at: now,
      events: [linkEvent('unlinked', problem, incident)],
    });
    return ticket;
  });
}

/** The `problem_linked` event, the same on the incident's and the problem's timeline. */
export function linkEvent(action: 'linked' | 'unlinked', problem: TicketRow, incident: TicketRow): ChangeEvent {
  return {
    type: 'problem_linked',
    internal: true,
    data: { action, problemId: problem.id, problemNumber: problem.number, incidentId: incident.id, incidentNumber: incident.number },
  };
}

export interface UpdateProblemInput {
  rootCause?: string | null;
  workaround?: string | null;
  publicWorkaround?: string | null;
}

/** Root cause analysis and workaround, with If-Match like every ticket edit; only a problem takes them. */
export async function updateProblem(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: UpdateProblemInput,
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'change a problem');
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, id, expectedVersion);
    const sent = Object.keys(input).filter((k) => input[k as keyof UpdateProblemInput] !== undefined);
    const refusal = refuseProblemFields(ticket, sent);
    if (refusal) throw fieldError(refusal.status, refusal.field, refusal.message);
    if (ticket.state === 'closed' || ticket.state === 'cancelled') {
      throw new AppError('illegal_transition', `${ticket.number} is ${ticket.state}: a final ticket cannot be changed`, {
        extra: { allowed: [] },
      });
    }
    const patch: Partial<NewTicketRow> = {};
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    for (const field of ['rootCause', 'workaround', 'publicWorkaround'] as const) {
      const value = input[field];
      if (value === undefined) continue;
      const next = value?.trim() ? value.trim() : null;
      if (next === ticket[field]) continue;
      patch[field] = next;
      changes.push({ field, from: ticket[field], to: next });
    }
    if (patch.workaround === null && ticket.knownErrorAt) {
      throw fieldError('unprocessable', 'workaround', 'a known error keeps its workaround: take the known-error mark off first');
    }
    if (changes.length === 0) return ticket;
    const events: ChangeEvent[] = [{ type: 'field_changed', internal: true, changes }];
    const { ticket: saved } = await applyTicketChange(tx, { before: ticket, patch, actor, at: deps.clock.now(), events });
    return saved;
  });
}

/** Marks a problem as a known error (it needs its workaround), or takes the mark off. */
export async function setKnownError(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  known: boolean,
  expectedVersion?: number,
): Promise<TicketRow> {
  requireStaff(actor, 'mark a known error');
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicketForWrite(tx, actor, id, expectedVersion);
    const notProblem = refuseProblemFields(ticket, ['knownErrorAt']);
    if (notProblem) throw fieldError(notProblem.status, notProblem.field, notProblem.message);
    if (known) {
      const refusal = refuseKnownErrorMark(ticket);
      if (refusal) throw fieldError(refusal.status, refusal.field, refusal.message);
    }
    if ((ticket.knownErrorAt !== null) === known) return ticket;
    const now = deps.clock.now();
    const { ticket: saved } = await applyTicketChange(tx, {
      before: ticket,
      patch: { knownErrorAt: known ? now : null },
      actor,
      at: now,
      events: [
        {
          type: 'known_error_changed',
          internal: true,
          changes: [{ field: 'knownErrorAt', from: ticket.knownErrorAt?.toISOString() ?? null, to: known ? now.toISOString() : null }],
          data: { knownError: known, workaround: ticket.workaround },
        },
      ],
    });
    return saved;
  });
}

export interface ProblemLinks {
  /** For a problem: its stage and linked incidents; for an incident: its problem (or null). */
  stage: ProblemStage | null;
  incidents: { id: string; number: string; title: string; state: TicketState; priority: number }[];
  problem: { id: string; number: string; title: string; state: TicketState; stage: ProblemStage } | null;
  /** A problem's portal deflections ("This solved it" on its known error), one per person; null for an incident. */
  solvedCount: number | null;
}

export async function getProblemLinks(deps: ServiceDeps, actor: Actor, id: string): Promise<ProblemLinks> {
  requireStaff(actor, 'see problems');
  const ticket = await findTicketById(deps.db, id);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  if (ticket.kind === 'problem') {
    return {
      stage: problemStage(ticket),
      incidents: await listProblemIncidents(deps.db, ticket.id, INCIDENTS_SHOWN),
      problem: null,
      solvedCount: await countKnownErrorSolved(deps.db, ticket.id),
    };
  }
  const problem = ticket.problemId ? await findTicketById(deps.db, ticket.problemId) : undefined;
  return {
    stage: null,
    incidents: [],
    problem: problem
      ? { id: problem.id, number: problem.number, title: problem.title, state: problem.state, stage: problemStage(problem) }
      : null,
    solvedCount: null,
  };
}

export interface KnownErrorView {
  problemId: string;
  number: string;
  title: string;
  workaround: string;
  knownErrorAt: Date;
}

/** The known errors an open incident's agent should see: same service, or same category for a problem without one. */
export async function getKnownErrors(deps: ServiceDeps, actor: Actor, id: string): Promise<KnownErrorView[]> {
  requireStaff(actor, 'see known errors');
  const ticket = await findTicketById(deps.db, id);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  const candidates = await listKnownErrorCandidates(deps.db, ticket);
  return knownErrorsFor(ticket, candidates).map((p) => ({
    problemId: p.id,
    number: p.number,
    title: p.title,
    workaround: p.workaround as string,
    knownErrorAt: p.knownErrorAt as Date,
  }));
}

export interface ServiceImpactView {
  service: { id: string; name: string } | null;
  affected: (ImpactedService & { name: string; viaName: string })[];
}

/** "What else is affected": the services depending, directly or transitively, on the ticket's service. */
export async function getServiceImpact(deps: ServiceDeps, actor: Actor, id: string): Promise<ServiceImpactView> {
  requireStaff(actor, 'see service impact');
  const ticket = await findTicketById(deps.db, id);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  if (!ticket.serviceId) return { service: null, affected: [] };
  const impact = serviceImpact(await listDependencyEdges(deps.db), ticket.serviceId);
  const names = await serviceNamesByIds(deps.db, [ticket.serviceId, ...impact.map((s) => s.serviceId)]);
  return {
    service: { id: ticket.serviceId, name: names.get(ticket.serviceId) ?? '' },
    affected: impact.map((s) => ({ ...s, name: names.get(s.serviceId) ?? '', viaName: names.get(s.viaId) ?? '' })),
  };
}

async function lockProblem(tx: Tx, actor: Actor, id: string, expectedVersion?: number): Promise<TicketRow> {
  const problem = await lockTicketForWrite(tx, actor, id, expectedVersion);
  if (problem.kind !== 'problem') throw fieldError('unprocessable', 'id', `${problem.number} is not a problem`);
  return problem;
}
