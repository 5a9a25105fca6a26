import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueInWords, type PayloadIssue, unreadablePayloadReason } from './job-problems.js';

const slaCheck = z.object({
  ticketId: z.guid(),
  target: z.enum(['first_response', 'resolution']),
  kind: z.enum(['warning', 'breach']),
  heldSince: z.iso.datetime().optional(),
  round: z.number().int().min(0).optional(),
});
const issuesOf = (payload: unknown) => {
  const parsed = slaCheck.safeParse(payload);
  if (parsed.success) throw new Error('expected the payload not to fit');
  return parsed.error.issues as PayloadIssue[];
};
const words = (payload: unknown) => issuesOf(payload).map((issue) => issueInWords(issue, payload));
const ticketId = '6f1c2a4e-3b5d-4c7e-9f80-1a2b3c4d5e6f';

describe('a job payload that no longer fits, in words', () => {
  it('names the job, says what is wrong without field paths or schema jargon, and what the admin can do', () => {
    const reason = unreadablePayloadReason(
      'sla.check',
      { ticket: ticketId, target: 'resolution', kind: 'warning' },
      issuesOf({ ticket: ticketId, target: 'resolution', kind: 'warning' }),
    );
    expect(reason).toBe(
      'This SLA warning or breach check (sla.check) cannot run: it was saved by an older version of Firebreak, or edited by hand, ' +
        'and the ticket id is missing. Running it again will fail the same way. ' +
        'If the work still matters, do it by hand on its ticket; otherwise nothing needs doing.',
    );
    expect(reason).not.toMatch(/Invalid input|expected string|received/);
  });

  it('tells a missing field from one of the wrong kind, a value it does not know, a bad id and a number out of range', () => {
    expect(words({ ticketId: 42, target: 'resolution', kind: 'overdue' })).toEqual([
      'the ticket id should be text',
      'the kind should be one of warning, breach',
    ]);
    expect(words({ ticketId: 'nope', target: 'resolution', kind: 'breach', heldSince: 'yesterday', round: -1 })).toEqual([
      'the ticket id is not a valid id',
      'the held since is not a valid date and time',
      'the round is out of range',
    ]);
    expect(words(null)).toEqual(['its saved details are not a set of values at all']);
  });

  it('falls back to the stored kind for a job this version does not name', () => {
    expect(unreadablePayloadReason('mystery.kind', {}, [{ code: 'invalid_type', path: ['x'], message: '', expected: 'string' }])).toMatch(
      /^This "mystery.kind" job cannot run: .* the x is missing\./,
    );
  });
});
