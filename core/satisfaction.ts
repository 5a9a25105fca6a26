/**
 * Satisfaction (issue 14, item 10): after a ticket closes its requester rates the handling 1–5,
 * with an optional comment. One answer per ticket, which its author may change for a week.
 */
export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** How long after the first answer it may still be changed. */
export const RATING_CHANGE_DAYS = 7;
/** How long the link in the "how did we do?" mail works. */
export const RATING_LINK_DAYS = 30;
export const RATING_LINK_PURPOSE = 'rate_ticket';

const DAY = 86_400_000;

export type RatingRefusal =
  | { code: 'unprocessable'; field: 'rating'; message: string }
  | { code: 'conflict'; field: null; message: string }
  | { code: 'forbidden'; field: null; message: string };

/** The words for each rating, for the forms and the desk. */
export const RATING_WORDS: Record<number, string> = { 1: 'Very poor', 2: 'Poor', 3: 'OK', 4: 'Good', 5: 'Excellent' };

/** Until when an answer given at `answeredAt` may be changed. */
export function changeableUntil(answeredAt: Date): Date {
  return new Date(answeredAt.getTime() + RATING_CHANGE_DAYS * DAY);
}

/**
 * Whether this person may give (or change to) this rating now; null when they may. Only the
 * requester of a closed ticket rates it; a change after the week is refused.
 */
export function ratingRefusal(input: {
  rating: number;
  ticket: { state: string; requesterId: string };
  personId: string;
  existing: { answeredAt: Date } | null;
  now: Date;
}): RatingRefusal | null {
  if (input.ticket.requesterId !== input.personId) {
    return { code: 'forbidden', field: null, message: 'Only the person who reported this ticket can rate how it was handled.' };
  }
  if (input.ticket.state !== 'closed') {
    return { code: 'conflict', field: null, message: 'This ticket is not closed yet: it can be rated once it is closed.' };
  }
  if (!Number.isInteger(input.rating) || input.rating < RATING_MIN || input.rating > RATING_MAX) {
    return { code: 'unprocessable', field: 'rating', message: `must be a whole number from ${RATING_MIN} to ${RATING_MAX}` };
  }
  if (input.existing && input.now.getTime() > changeableUntil(input.existing.answeredAt).getTime()) {
    return {
      code: 'conflict',
      field: null,
      message: `Your rating can no longer be changed: answers can be changed for ${RATING_CHANGE_DAYS} days after they are given.`,
    };
  }
  return null;
}
