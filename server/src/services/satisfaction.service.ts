import { keysetCursor, keysetPage } from '../../../core/cursors.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeTicket } from '../../../core/permissions.js';
import { ratingRefusal } from '../../../core/satisfaction.js';
import type { Tx } from '../db/client.js';
import {
  announceRated,
  findRating,
  insertRating,
  listRatings,
  lockRating,
  type SatisfactionRow,
  saveRating,
} from '../repositories/satisfaction.repository.js';
import { findTicketById, lockTicket, type TicketRow } from '../repositories/tickets.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { verifyRateToken } from './signed-links.service.js';

const ratingCursor = keysetCursor('base64url-json', ['instant', 'id']);

/** A ticket's rating as the caller may see it: its requester and staff; anyone else gets 404. */
export async function getTicketSatisfaction(deps: ServiceDeps, actor: Actor, ticketId: string) {
  const ticket = await findTicketById(deps.db, ticketId);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  const rating = (await findRating(deps.db, ticketId)) ?? null;
  const canRate = ratingRefusal({ rating: 3, ticket, personId: actor.id, existing: rating, now: deps.clock.now() }) === null;
  return { ticketId, canRate, rating };
}

/**
 * The requester rates how their closed ticket was handled, or changes their answer within the
 * week. One transaction: the ticket locked (so a reopen cannot slip between), the answer written.
 */
export async function rateTicket(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: { rating: number; comment?: string },
  expectedVersion?: number,
): Promise<{ rating: SatisfactionRow; created: boolean }> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
    return writeRating(tx, actor.id, ticket, input, deps.clock.now(), expectedVersion);
  });
}

async function writeRating(
  tx: Tx,
  personId: string,
  ticket: TicketRow,
  input: { rating: number; comment?: string },
  now: Date,
  expectedVersion?: number,
): Promise<{ rating: SatisfactionRow; created: boolean }> {
  const written = await writeRatingRow(tx, personId, ticket, input, now, expectedVersion);
  // The desk's ticket page shows the rating: it re-reads it when it hears this.
  await announceRated(tx, ticket);
  return written;
}

async function writeRatingRow(
  tx: Tx,
  personId: string,
  ticket: TicketRow,
  input: { rating: number; comment?: string },
  now: Date,
  expectedVersion?: number,
): Promise<{ rating: SatisfactionRow; created: boolean }> {
  const existing = (await lockRating(tx, ticket.id)) ?? null;
  const refusal = ratingRefusal({ rating: input.rating, ticket, personId, existing, now });
  if (refusal?.field) throw fieldError(refusal.code, refusal.field, refusal.message);
  if (refusal) throw new AppError(refusal.code, refusal.message);
  const comment = (input.comment ?? '').trim();
  if (existing) {
    if (expectedVersion !== undefined && expectedVersion !== existing.version) {
      throw new AppError(
        'stale_version',
        `Your rating changed since you loaded it (you have version ${expectedVersion}). Reload it and try again.`,
        {
          extra: { currentVersion: existing.version },
        },
      );
    }
    return { rating: await saveRating(tx, ticket.id, { rating: input.rating, comment, changedAt: now }), created: false };
  }
  const created = await insertRating(tx, {
    ticketId: ticket.id,
    userId: personId,
    rating: input.rating,
    comment,
    answeredAt: now,
    changedAt: now,
  });
  // Two first answers at once: the other one won; this one is a change of it, judged again.
  if (!created) return writeRatingRow(tx, personId, ticket, input, now, expectedVersion);
  return { rating: created, created: true };
}

/** What the e-mail link rates: the ticket and the current answer, or null for a bad or expired link. */
export async function describeRateLink(deps: ServiceDeps, token: string) {
  const claims = await verifyRateToken(deps.db, token, deps.clock.now());
  if (!claims) return null;
  const ticket = await findTicketById(deps.db, claims.subject);
  if (!ticket || ticket.requesterId !== claims.userId) return null;
  return { ticket, rating: (await findRating(deps.db, ticket.id)) ?? null };
}

/** Rating through the e-mail link: the signed token says who and which ticket; nobody signs in. */
export async function rateTicketByLink(deps: ServiceDeps, input: { token: string; rating: number; comment?: string }) {
  const claims = await verifyRateToken(deps.db, input.token, deps.clock.now());
  if (!claims)
    throw fieldError('validation_failed', 'token', 'this link is not valid or has expired; rate the ticket in the portal instead');
  const person = await findUserById(deps.db, claims.userId);
  if (!person?.active) throw new AppError('forbidden', 'This link belongs to an account that is no longer active.');
  return deps.db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, claims.subject);
    if (!ticket) throw notFound('ticket');
    const written = await writeRating(tx, claims.userId, ticket, input, deps.clock.now());
    return { ...written, ticket };
  });
}

/** Every rating, newest first, for reports. */
export async function listSatisfactionRatings(deps: ServiceDeps, q: { cursor?: string; limit: number }) {
  const after = q.cursor ? ratingCursor.decode(q.cursor) : undefined;
  const rows = await listRatings(deps.db, { after, limit: q.limit + 1 });
  const page = keysetPage(rows, q.limit, ratingCursor, (r) => [r.cursorAt, r.rating.ticketId]);
  return { items: page.items.map(({ cursorAt: _, ...r }) => r), nextCursor: page.nextCursor };
}
