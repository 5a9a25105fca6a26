import { describe, expect, it } from 'vitest';
import { fieldLabel, problemText } from './problem-words';

describe('problem answers in words for people (issue 12, minor)', () => {
  it('names the field by its label instead of repeating the API detail', () => {
    const problem = {
      status: 400,
      detail: 'The body has an invalid field: title must not be empty',
      fieldErrors: [{ field: 'title', message: 'must not be empty' }],
    };
    expect(problemText(problem)).toBe('Title: must not be empty');
  });

  it('lists several fields, nested ones by their words', () => {
    expect(
      problemText({
        status: 400,
        detail: 'The body has 2 invalid fields: …',
        fieldErrors: [
          { field: 'onHoldReason', message: 'is required when putting a ticket on hold' },
          { field: 'priorityOverride.reason', message: 'must not be empty' },
        ],
      }),
    ).toBe('On-hold reason: is required when putting a ticket on hold; Priority override, reason: must not be empty');
  });

  it('says a missing record may exist but not for this person', () => {
    expect(problemText({ status: 404, detail: 'ticket not found', fieldErrors: [] })).toBe(
      'This ticket does not exist or you may not see it.',
    );
  });

  it('keeps other details as the server wrote them', () => {
    expect(problemText({ status: 409, detail: 'Someone else changed this ticket.', fieldErrors: [] })).toBe(
      'Someone else changed this ticket.',
    );
  });

  it('turns unknown field names into words', () => {
    expect(fieldLabel('escalationPolicyId')).toBe('Escalation policy');
    expect(fieldLabel('rotation.2.userId')).toBe('Rotation, user');
  });
});
