import { describe, expect, it } from 'vitest';
import { formatDueFor, renderCannedReply, unknownCannedReplyVariables, unknownCannedReplyVariablesMessage } from './canned-replies.js';
import { SaveCannedReply } from './contracts/canned-replies.js';

const values = {
  requester_name: 'Rita Ora',
  ticket_number: 'INC0000042',
  ticket_title: 'VPN drops',
  service: 'VPN',
  due: 'Mon 7 Dec, 10:00 (Europe/Berlin)',
  agent_name: 'Ann Agent',
};

describe('canned reply variables', () => {
  it('fills every variable, as often as it appears, and escapes nothing (the reply is text, shown escaped)', () => {
    expect(
      renderCannedReply(
        'Hi {requester_name}, about {ticket_number} ({ticket_title}) on {service}: by {due}. {agent_name} <b>{requester_name}</b>',
        values,
      ),
    ).toBe('Hi Rita Ora, about INC0000042 (VPN drops) on VPN: by Mon 7 Dec, 10:00 (Europe/Berlin). Ann Agent <b>Rita Ora</b>');
    expect(renderCannedReply('Hi {requester_name}', { ...values, requester_name: '<script>' })).toBe('Hi <script>');
  });

  it('names unknown variables once each, in order, and leaves plain braces alone', () => {
    expect(unknownCannedReplyVariables('Hi {requester_name} {requester.name} {foo} {foo} {bar} { spaced } {}')).toEqual(['foo', 'bar']);
    expect(unknownCannedReplyVariablesMessage(['foo'])).toMatch(/^is not a variable: \{foo\}; the variables are \{requester_name\}/);
  });

  it('refuses a body with an unknown variable on save, naming it', () => {
    const result = SaveCannedReply.safeParse({ name: 'x', body: 'Hi {customer}', visibility: 'public', scope: 'shared' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['body'], message: expect.stringContaining('{customer}') });
    expect(SaveCannedReply.safeParse({ name: 'x', body: 'Hi {requester_name}', visibility: 'public', scope: 'shared' }).success).toBe(true);
  });

  it('asks for what a state change needs', () => {
    const result = SaveCannedReply.safeParse({
      name: 'x',
      body: 'Done',
      visibility: 'public',
      scope: 'shared',
      changes: { state: 'resolved' },
    });
    expect(result.error?.issues[0].path).toEqual(['changes', 'resolutionCode']);
  });

  it('writes the due time in the requester’s zone, and says "soon" when no target runs', () => {
    const due = new Date('2026-12-07T09:00:00Z');
    expect(formatDueFor(due, 'Europe/Berlin')).toBe('Mon 7 Dec, 10:00 (Europe/Berlin)');
    expect(formatDueFor(due, 'America/New_York')).toBe('Mon 7 Dec, 04:00 (America/New_York)');
    expect(formatDueFor(due, 'Not/AZone')).toBe('Mon 7 Dec, 09:00 (UTC)');
    expect(formatDueFor(null, 'UTC')).toBe('soon');
  });
});
