import { createHash } from 'node:crypto';
import { AppError, fieldError } from '../../../core/errors.js';
import { type Actor, canPickService, refusedReportFields } from '../../../core/permissions.js';
import { derivePriority } from '../../../core/priority.js';
import { type Channel, DESK_OWN_WORK_KINDS, type Level, type Scope, type TicketKind } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { findCategoryById, findServiceById } from '../repositories/catalog.repository.js';
import { claimIdempotencyKey, recordIdempotentResult } from '../repositories/idempotency.repository.js';
import { findTeamById, listFairAssignmentTeamIds } from '../repositories/teams.repository.js';
import { findTicketById, type TicketRow } from '../repositories/tickets.repository.js';
import { type ConfigCache, readConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { decideFairAssignee } from './fair-assignment.service.js';
import { ownerForScope } from './incident-ownership.service.js';
import { adviseNewTicket, categoryForNewTicket, recordAdvice, recordCategoryAdvice } from './learned-routing.service.js';
import { getPriorityMatrix } from './priority-matrix.service.js';
import { chooseSlaPolicy } from './sla.service.js';
import { applyTicketChange } from './ticket-change.js';

export interface ReportTicketInput {
  kind: TicketKind;
  title: string;
  description: string;
  requesterId?: string;
  channel?: Channel;
  serviceId?: string | null;
  categoryId?: string | null;
  subcategoryId?: string | null;
  impact: Level;
  urgency: Level;
  scope: Scope;
  teamId?: string | null;
  assigneeId?: string | null;
}

export interface ReportOptions {
  /** The channel used when the input names none (portal for people, api for tokens). */
  defaultChannel: Channel;
  idempotencyKey?: string;
}

/**
 * Reports a ticket: derives its priority from the matrix, routes it to a team, gives it a
 * number and writes the ticket with its `created` event in one transaction. With an
 * idempotency key, a retry returns the first ticket instead of making a second one.
 */
export async function reportTicket(
  deps: ServiceDeps,
  actor: Actor,
  input: ReportTicketInput,
  options: ReportOptions,
): Promise<{ ticket: TicketRow; replayed: boolean }> {
  // Requesters report for themselves, locally; the desk decides who works it and who hears of it.
  const refused = refusedReportFields(actor, input);
  if (refused.length > 0) {
    throw new AppError('forbidden', refused.map((r) => `${r.field}: ${r.message}`).join('; '), { errors: refused });
  }
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (options.idempotencyKey) {
      const earlier = await claimIdempotencyKey(tx, {
        userId: actor.id,
        key: options.idempotencyKey,
        requestHash: hashRequest(input),
        createdAt: now,
      });
      if (earlier) {
        if (earlier.requestHash !== hashRequest(input)) {
          throw fieldError('unprocessable', 'Idempotency-Key', 'this key was already used for a different request; use a new key');
        }
        const first = earlier.resourceId ? await findTicketById(tx, earlier.resourceId) : undefined;
        if (!first) throw new AppError('conflict', 'the first request with this Idempotency-Key did not complete; retry with a new key');
        return { ticket: first, replayed: true };
      }
    }

    const requesterId = input.requesterId ?? actor.id;
    // A problem is the desk's own record (issue 17): nobody outside the desk is its requester.
    if ((input.kind === 'problem' || input.kind === 'change') && requesterId !== actor.id) {
      throw fieldError(
        'unprocessable',
        'requesterId',
        `a ${input.kind} is the service desk’s own record: it has no requester besides who records it`,
      );
    }
    // The actor is known to be active (they are signed in); anyone else is checked.
    if (requesterId !== actor.id) await requireActiveUsers(tx, [requesterId], 'requester', 'requesterId');
    // Reported without a category: the learned router gives one when confident enough (below the
    // threshold the ticket page offers its suggestion, and the decision is kept as feedback); that
    // category's default team then routes it as any category would.
    const routerCategory =
      !input.categoryId && !input.subcategoryId && !DESK_OWN_WORK_KINDS.includes(input.kind)
        ? await categoryForNewTicket(
            { db: tx, clock: deps.clock, configCache: deps.configCache },
            { title: input.title, description: input.description, serviceId: input.serviceId },
          )
        : null;
    const categoryId = (routerCategory?.applied ? routerCategory.categoryId : null) ?? input.categoryId ?? null;
    const routing = await routeNewTicket(tx, actor, { ...input, categoryId }, deps.configCache);
    if (input.assigneeId) await requireActiveUsers(tx, [input.assigneeId], 'agent', 'assigneeId');

    const owner = await globalOwnerAtCreation(tx, input, routing.teamId);
    // Nothing else placed it: the learned router may, when confident enough (else it only advises).
    const advice =
      !(owner?.teamId ?? routing.teamId) && !DESK_OWN_WORK_KINDS.includes(input.kind)
        ? await adviseNewTicket(
            { db: tx, clock: deps.clock, configCache: deps.configCache },
            { title: input.title, description: input.description, serviceId: input.serviceId },
          )
        : null;
    const teamId = owner?.teamId ?? routing.teamId ?? (advice?.applied ? advice.teamId : null);
    const routedBy = advice?.applied ? 'learned_router' : routing.routedBy;
    // A team that shares its work fairly gives a new ticket nobody took to a member at once. Only
    // such a team's row is locked (whose turn it is): other teams' tickets are not queued on it.
    const fair =
      teamId && !owner?.assigneeId && !input.assigneeId && (await sharesWorkFairly(tx, teamId, deps.configCache))
        ? await decideFairAssignee(tx, teamId, now)
        : null;
    const assigneeId = owner?.assigneeId ?? input.assigneeId ?? fair?.assigneeId ?? null;

    const matrix = await getPriorityMatrix(tx, deps.configCache);
    const priority = derivePriority(matrix, input.impact, input.urgency);
    const slaPolicy = await chooseSlaPolicy(
      tx,
      { priority, kind: input.kind, serviceId: input.serviceId ?? null, requesterId },
      deps.configCache,
    );
    // The pipeline writes it with its `created` event and derives the rest: webhooks (nobody is
    // e-mailed about a ticket they or the desk just opened), SLA timers, and — for a critical
    // incident — the page, at once when staff or monitoring said so, held for staff when a
    // requester's own answers made it P1 (admin setting).
    const { ticket } = await applyTicketChange(tx, {
      before: null,
      actor,
      at: now,
      configCache: deps.configCache,
      stormChecksSeen: deps.stormChecksSeen,
      row: {
        kind: input.kind,
        title: input.title,
        description: input.description,
        requesterId,
        reportedById: actor.id,
        channel: input.channel ?? options.defaultChannel,
        serviceId: input.serviceId ?? null,
        categoryId,
        subcategoryId: input.subcategoryId ?? null,
        impact: input.impact,
        urgency: input.urgency,
        priority,
        slaPolicyId: slaPolicy?.id ?? null,
        scope: input.scope,
        // An incident reported global is a major incident from the start (issue 14).
        majorSince: input.kind === 'incident' && input.scope === 'global' ? now : null,
        teamId,
        assigneeId,
        state: assigneeId ? 'assigned' : 'new',
        openedAt: now,
      },
      events: [
        {
          type: 'created',
          data: {
            routedBy,
            ...(advice?.applied ? { routerConfidence: advice.confidence } : {}),
            ...(routerCategory?.applied ? { routerCategory: { name: routerCategory.name, confidence: routerCategory.confidence } } : {}),
            priority,
            state: assigneeId ? 'assigned' : 'new',
            slaPolicy: slaPolicy?.name ?? null,
          },
        },
        // Handed to the Technical Manager role as a change of scope to global is: on the
        // timeline with the role's name, and the holder hears it is theirs.
        ...(owner
          ? [
              {
                type: 'assigned' as const,
                changes: [
                  ...(teamId !== routing.teamId ? [{ field: 'teamId', from: routing.teamId, to: teamId }] : []),
                  { field: 'assigneeId', from: input.assigneeId ?? null, to: assigneeId },
                ],
                data: { ownerRole: owner.roleName },
              },
            ]
          : []),
        ...(fair
          ? [
              fair.assigneeId
                ? {
                    type: 'assigned' as const,
                    changes: [{ field: 'assigneeId', from: null, to: fair.assigneeId }],
                    data: { fairAssignment: { strategy: fair.strategy, reason: fair.reason } },
                  }
                : {
                    type: 'work_note' as const,
                    internal: true,
                    body: `Fair assignment: ${fair.reason}`,
                    data: { fairAssignment: { strategy: fair.strategy, reason: fair.reason } },
                  },
            ]
          : []),
      ],
    });
    if (advice) await recordAdvice(tx, ticket.id, advice, now);
    if (routerCategory) await recordCategoryAdvice(tx, ticket.id, routerCategory, now);
    if (options.idempotencyKey) await recordIdempotentResult(tx, actor.id, options.idempotencyKey, ticket.id);
    return { ticket, replayed: false };
  });
}

/**
 * An incident reported global is a major incident from the start, so — like a change of scope
 * to global (incident-ownership) — the role that owns global incidents takes it, when one is
 * configured: its holder and their team, over whatever the report named. Null otherwise.
 */
async function globalOwnerAtCreation(tx: Db, input: ReportTicketInput, routedTeamId: string | null) {
  if (input.kind !== 'incident' || input.scope !== 'global') return null;
  const owner = await ownerForScope(tx, 'global', input.teamId ?? routedTeamId);
  return owner.assigneeId ? { roleName: owner.roleName, assigneeId: owner.assigneeId, teamId: owner.teamId } : null;
}

type RoutedBy = 'explicit' | 'subcategory' | 'category' | 'service' | 'none' | 'learned_router';

/**
 * Which team gets a new ticket: the one named, else the subcategory's default team, else the
 * category's, else the team that owns the service. Also checks the references exist, and that a
 * requester named a service they are offered.
 */
async function routeNewTicket(
  tx: Db,
  actor: Actor,
  input: ReportTicketInput,
  cache: ConfigCache | undefined,
): Promise<{ teamId: string | null; routedBy: RoutedBy }> {
  const { serviceId } = input;
  const service = serviceId ? await readConfig(cache, 'services', `service:${serviceId}`, () => findServiceById(tx, serviceId)) : undefined;
  if (input.serviceId && !service) throw fieldError('unprocessable', 'serviceId', `no service has the id ${input.serviceId}`);
  // A hidden service is the desk's vocabulary (an infrastructure component): staff may name it.
  if (service && !canPickService(actor, service)) {
    throw fieldError(
      'unprocessable',
      'serviceId',
      'this service is not offered to requesters; choose one from the list, or leave it empty',
    );
  }
  const category = input.categoryId ? await findCategoryById(tx, input.categoryId) : undefined;
  if (input.categoryId && !category) throw fieldError('unprocessable', 'categoryId', `no category has the id ${input.categoryId}`);
  const subcategory = input.subcategoryId ? await findCategoryById(tx, input.subcategoryId) : undefined;
  if (input.subcategoryId) {
    if (!subcategory) throw fieldError('unprocessable', 'subcategoryId', `no category has the id ${input.subcategoryId}`);
    if (!category || subcategory.parentId !== category.id) {
      throw fieldError('unprocessable', 'subcategoryId', 'must be a subcategory of the chosen category');
    }
  }
  if (input.teamId) {
    if (!(await findTeamById(tx, input.teamId))) throw fieldError('unprocessable', 'teamId', `no team has the id ${input.teamId}`);
    return { teamId: input.teamId, routedBy: 'explicit' };
  }
  if (subcategory?.defaultTeamId) return { teamId: subcategory.defaultTeamId, routedBy: 'subcategory' };
  if (category?.defaultTeamId) return { teamId: category.defaultTeamId, routedBy: 'category' };
  if (service?.ownerTeamId) return { teamId: service.ownerTeamId, routedBy: 'service' };
  return { teamId: null, routedBy: 'none' };
}

/** Whether the team has a default fair-assignment strategy (the teams that do, read through the cache). */
async function sharesWorkFairly(tx: Db, teamId: string, cache: ConfigCache | undefined): Promise<boolean> {
  return (await readConfig(cache, 'teams', 'fair_assignment_teams', () => listFairAssignmentTeamIds(tx))).has(teamId);
}

function hashRequest(input: ReportTicketInput): string {
  const canonical = JSON.stringify(input, Object.keys(input).sort());
  return createHash('sha256').update(canonical).digest('hex');
}
