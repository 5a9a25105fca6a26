import { createHash } from 'node:crypto';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { isMajorIncident } from '../../../core/major-incident.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import type { Db, Tx } from '../db/client.js';
import { claimIdempotencyKey, recordIdempotentResult } from '../repositories/idempotency.repository.js';
import { findTicketById, type TicketRow } from '../repositories/tickets.repository.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';

/**
 * What every part of a major incident's response shares: only the desk works on it, only on a
 * major incident (409 otherwise: declare it major first), and every change is a note on the
 * incident's timeline through the one ticket-change pipeline (which notifies, and whose trigger
 * makes it live).
 */

function refuseUnlessStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff work on a major incident’s response');
}

function refuseUnlessMajor(ticket: TicketRow): void {
  if (!isMajorIncident(ticket)) {
    throw new AppError('conflict', `${ticket.number} is not a major incident: the incident must be declared major first`);
  }
}

/** Locks the incident for a write of its response (serialising every writer of the same incident); `expectedVersion` is the ticket's If-Match. */
export async function lockMajorIncident(tx: Tx, actor: Actor, ticketId: string, expectedVersion?: number): Promise<TicketRow> {
  refuseUnlessStaff(actor);
  const ticket = await lockTicketForWrite(tx, actor, ticketId, expectedVersion);
  refuseUnlessMajor(ticket);
  if (ticket.state === 'closed' || ticket.state === 'cancelled') {
    throw new AppError('conflict', `${ticket.number} is ${ticket.state}: its response can no longer change`);
  }
  return ticket;
}

/** Reads the incident for a read of its response. */
export async function readMajorIncident(db: Db, actor: Actor, ticketId: string): Promise<TicketRow> {
  refuseUnlessStaff(actor);
  const ticket = await findTicketById(db, ticketId);
  if (!ticket) throw notFound('ticket');
  refuseUnlessMajor(ticket);
  return ticket;
}

/**
 * Notes on the incident's timeline that change no ticket field (no new version, so nobody's
 * If-Match on the ticket goes stale): the pipeline appends them and derives their follow-ups.
 * Internal: the response is the desk's business; requesters see none of it.
 */
export async function noteOnIncident(tx: Tx, ticket: TicketRow, actor: Actor | null, at: Date, events: ChangeEvent[]) {
  return applyTicketChange(tx, {
    before: ticket,
    patch: {},
    bumpsVersion: false,
    actor,
    at,
    events: events.map((e) => ({ ...e, internal: true })),
  });
}

/**
 * A create with an Idempotency-Key: a retry with the same key and body returns what the first
 * made (`find`), a different body with the same key is refused. Runs inside the create's transaction.
 */
export async function idempotentCreate<T extends { id: string }>(
  tx: Tx,
  actor: Actor,
  now: Date,
  key: string | undefined,
  input: unknown,
  find: (id: string) => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<T> {
  if (!key) return create();
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const earlier = await claimIdempotencyKey(tx, { userId: actor.id, key, requestHash, createdAt: now });
  if (earlier) {
    if (earlier.requestHash !== requestHash) {
      throw fieldError('unprocessable', 'Idempotency-Key', 'this key was already used for a different request; use a new key');
    }
    const first = earlier.resourceId ? await find(earlier.resourceId) : undefined;
    if (!first) throw new AppError('conflict', 'the first request with this Idempotency-Key did not complete; retry with a new key');
    return first;
  }
  const made = await create();
  await recordIdempotentResult(tx, actor.id, key, made.id);
  return made;
}

/** A sub-record's If-Match: refused with 412 naming the versions when someone changed it since. */
export function checkVersion(what: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new AppError(
      'stale_version',
      `the ${what} was changed since you loaded it (you have version ${expected}, it is now at ${current}). Reload it and try again.`,
      { extra: { currentVersion: current } },
    );
  }
}
