import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeableUntil, RATING_CHANGE_DAYS, ratingRefusal } from './satisfaction.js';

const DAY = 86_400_000;
const closed = { state: 'closed', requesterId: 'r' };
const answeredAt = new Date('2026-06-01T10:00:00Z');

describe('rating a closed ticket', () => {
  it('accepts 1 to 5 from the requester of a closed ticket, and nothing else (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 15 }), (rating) => {
        const refusal = ratingRefusal({ rating, ticket: closed, personId: 'r', existing: null, now: answeredAt });
        if (rating >= 1 && rating <= 5) expect(refusal).toBeNull();
        else expect(refusal).toMatchObject({ code: 'unprocessable', field: 'rating' });
      }),
    );
    expect(ratingRefusal({ rating: 2.5, ticket: closed, personId: 'r', existing: null, now: answeredAt })?.code).toBe('unprocessable');
  });

  it('refuses someone else, and a ticket that is not closed', () => {
    expect(ratingRefusal({ rating: 5, ticket: closed, personId: 'x', existing: null, now: answeredAt })?.code).toBe('forbidden');
    for (const state of ['new', 'in_progress', 'resolved', 'cancelled']) {
      expect(ratingRefusal({ rating: 5, ticket: { ...closed, state }, personId: 'r', existing: null, now: answeredAt })?.code).toBe(
        'conflict',
      );
    }
  });

  it('lets an answer change for exactly 7 days after it was given (property over the instant)', () => {
    expect(changeableUntil(answeredAt).getTime() - answeredAt.getTime()).toBe(RATING_CHANGE_DAYS * DAY);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 * DAY }), (after) => {
        const refusal = ratingRefusal({
          rating: 3,
          ticket: closed,
          personId: 'r',
          existing: { answeredAt },
          now: new Date(answeredAt.getTime() + after),
        });
        expect(refusal === null).toBe(after <= 7 * DAY);
      }),
    );
  });
});
