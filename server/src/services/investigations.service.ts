import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import type { InvestigationStatus } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import {
  findFinding,
  findInvestigation,
  type InvestigationRow,
  insertFinding,
  insertInvestigation,
  listFindings,
  listInvestigations,
  namesOf,
  saveInvestigation,
} from '../repositories/major-incidents.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { checkVersion, idempotentCreate, lockMajorIncident, noteOnIncident, readMajorIncident } from './major-incident-response.helpers.js';
import { applyTicketChange } from './ticket-change.js';

/**
 * Investigations (issue 14 item 5): several independent lines of enquiry on one major incident,
 * each with an owner and helpers, a hypothesis, a running log of findings and a conclusion.
 * Confirming one records its conclusion as the incident's root cause (a ticket field, on the
 * timeline). Every change is a timeline event, so the desk sees them side by side, live.
 */

export interface InvestigationView extends InvestigationRow {
  findings: { id: string; authorId: string | null; at: Date; body: string }[];
  names: Map<string, string>;
}

async function viewsOf(db: Db, rows: InvestigationRow[]): Promise<InvestigationView[]> {
  const findings = await listFindings(
    db,
    rows.map((r) => r.id),
  );
  const names = await namesOf(db, [
    ...rows.flatMap((r) => [r.ownerId, ...r.helperIds]),
    ...findings.flatMap((f) => (f.authorId ? [f.authorId] : [])),
  ]);
  return rows.map((r) => ({ ...r, findings: findings.filter((f) => f.investigationId === r.id), names }));
}

export async function listInvestigationsOf(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<InvestigationView[]> {
  await readMajorIncident(deps.db, actor, ticketId);
  return viewsOf(deps.db, await listInvestigations(deps.db, ticketId));
}

async function viewOne(db: Db, ticketId: string, id: string): Promise<InvestigationView> {
  const row = await findInvestigation(db, ticketId, id);
  if (!row) throw notFound('investigation');
  return (await viewsOf(db, [row]))[0];
}

export async function openInvestigation(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: { hypothesis: string; ownerId: string; helperIds: string[] },
  idempotencyKey?: string,
): Promise<InvestigationView> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const now = deps.clock.now();
    const made = await idempotentCreate(
      tx,
      actor,
      now,
      idempotencyKey,
      { ticketId, ...input },
      (id) => findInvestigation(tx, ticketId, id),
      async () => {
        await requireActiveUsers(tx, [input.ownerId], 'agent', 'ownerId');
        await requireActiveUsers(tx, input.helperIds, 'agent', 'helperIds');
        const row = await insertInvestigation(tx, {
          ticketId,
          hypothesis: input.hypothesis,
          ownerId: input.ownerId,
          helperIds: [...new Set(input.helperIds.filter((id) => id !== input.ownerId))],
          createdAt: now,
          createdById: actor.id,
          updatedAt: now,
        });
        await noteOnIncident(tx, ticket, actor, now, [
          {
            type: 'investigation_opened',
            body: `Investigation opened: ${row.hypothesis}`,
            data: { investigationId: row.id, ownerId: row.ownerId },
          },
        ]);
        return row;
      },
    );
    return viewOne(tx, ticketId, made.id);
  });
}

const STATUS_WORDS: Record<InvestigationStatus, string> = { open: 'reopened', confirmed: 'confirmed', ruled_out: 'ruled out' };

export async function updateInvestigation(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  id: string,
  input: { hypothesis?: string; ownerId?: string; helperIds?: string[]; status?: InvestigationStatus; conclusion?: string | null },
  expectedVersion?: number,
): Promise<InvestigationView> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const row = await findInvestigation(tx, ticketId, id);
    if (!row) throw notFound('investigation');
    checkVersion('investigation', row.version, expectedVersion);
    if (input.ownerId) await requireActiveUsers(tx, [input.ownerId], 'agent', 'ownerId');
    if (input.helperIds) await requireActiveUsers(tx, input.helperIds, 'agent', 'helperIds');
    const conclusion = input.conclusion !== undefined ? input.conclusion || null : row.conclusion;
    const status = input.status ?? row.status;
    if (status === 'confirmed' && !conclusion) {
      throw fieldError('validation_failed', 'conclusion', 'confirming an investigation needs a conclusion: it becomes the root cause');
    }
    const now = deps.clock.now();
    const ownerId = input.ownerId ?? row.ownerId;
    const saved = await saveInvestigation(
      tx,
      row.id,
      {
        hypothesis: input.hypothesis ?? row.hypothesis,
        ownerId,
        helperIds: input.helperIds ? [...new Set(input.helperIds.filter((h) => h !== ownerId))] : row.helperIds,
        status,
        conclusion,
        updatedAt: now,
      },
      row.version,
    );
    const statusChanged = status !== row.status;
    const body = statusChanged
      ? `Investigation ${STATUS_WORDS[status]}: ${saved.hypothesis}${conclusion && status !== 'open' ? ` — ${conclusion}` : ''}`
      : `Investigation updated: ${saved.hypothesis}`;
    const event = {
      type: 'investigation_updated' as const,
      body,
      data: { investigationId: row.id, status, previousStatus: row.status },
    };
    if (statusChanged && status === 'confirmed' && conclusion) {
      await recordRootCause(tx, ticket, actor, now, conclusion, event, row.id);
    } else {
      await noteOnIncident(tx, ticket, actor, now, [event]);
    }
    return viewOne(tx, ticketId, row.id);
  });
}

export async function addFinding(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  id: string,
  body: string,
  idempotencyKey?: string,
): Promise<InvestigationView> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const row = await findInvestigation(tx, ticketId, id);
    if (!row) throw notFound('investigation');
    const now = deps.clock.now();
    await idempotentCreate(
      tx,
      actor,
      now,
      idempotencyKey,
      { ticketId, investigationId: id, body },
      (findingId) => findFinding(tx, findingId),
      async () => {
        const finding = await insertFinding(tx, { investigationId: row.id, authorId: actor.id, at: now, body });
        await noteOnIncident(tx, ticket, actor, now, [
          { type: 'investigation_finding', body, data: { investigationId: row.id, hypothesis: row.hypothesis } },
        ]);
        return finding;
      },
    );
    return viewOne(tx, ticketId, row.id);
  });
}

/** Edits the incident's root cause (If-Match: the ticket's version). */
export async function setRootCause(deps: ServiceDeps, actor: Actor, ticketId: string, rootCause: string, expectedVersion?: number) {
  return deps.db.transaction(async (tx) => {
    // The ticket's own If-Match: the root cause is a field of the ticket.
    const ticket = await lockMajorIncident(tx, actor, ticketId, expectedVersion);
    if (ticket.rootCause === rootCause) return ticket;
    return recordRootCause(tx, ticket, actor, deps.clock.now(), rootCause, null, null);
  });
}

async function recordRootCause(
  tx: Tx,
  ticket: TicketRow,
  actor: Actor,
  at: Date,
  rootCause: string,
  withEvent: { type: 'investigation_updated'; body: string; data: Record<string, unknown> } | null,
  investigationId: string | null,
): Promise<TicketRow> {
  if (ticket.kind !== 'incident') throw new AppError('conflict', 'only an incident has a root cause');
  const { ticket: saved } = await applyTicketChange(tx, {
    before: ticket,
    patch: { rootCause },
    actor,
    at,
    events: [
      ...(withEvent ? [{ ...withEvent, internal: true }] : []),
      {
        type: 'root_cause_recorded',
        internal: true,
        body: rootCause,
        changes: [{ field: 'rootCause', from: ticket.rootCause, to: rootCause }],
        data: { investigationId },
      },
    ],
  });
  return saved;
}
