import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTicketNumber, parseTicketNumber } from './ticket-number.js';
import { TICKET_KINDS } from './vocabulary.js';

describe('ticket numbers', () => {
  it('formats per kind with seven digits', () => {
    expect(formatTicketNumber('incident', 42)).toBe('INC0000042');
    expect(formatTicketNumber('service_request', 7)).toBe('REQ0000007');
  });

  it('round-trips every kind and sequence, including past ten million', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_KINDS), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (kind, sequence) => {
        expect(parseTicketNumber(formatTicketNumber(kind, sequence))).toEqual({ kind, sequence });
      }),
    );
  });

  it('rejects text that is not a ticket number', () => {
    expect(parseTicketNumber('INC42')).toBeNull();
    expect(parseTicketNumber('PRB0000001')).toEqual({ kind: 'problem', sequence: 1 });
    expect(parseTicketNumber('CHG0000001')).toEqual({ kind: 'change', sequence: 1 });
    expect(parseTicketNumber('XYZ0000001')).toBeNull();
  });
});
