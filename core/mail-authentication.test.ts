import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHeaderValues } from './email-intake.js';
import { parseAuthenticationResults, verifySender } from './mail-authentication.js';

describe('reading Authentication-Results (RFC 8601)', () => {
  it('reads the authserv-id, each method and result, and their properties, ignoring comments', () => {
    expect(
      parseAuthenticationResults(
        'MX.Example.COM 1; (checked at the border) dkim=pass (2048-bit key) header.d=example.com header.s=sel; ' +
          'spf=pass smtp.mailfrom="agent@example.com"; dmarc=pass (p=reject) header.from=example.com',
      ),
    ).toEqual({
      authservId: 'mx.example.com',
      results: [
        { method: 'dkim', result: 'pass', properties: { 'header.d': 'example.com', 'header.s': 'sel' } },
        { method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'agent@example.com' } },
        { method: 'dmarc', result: 'pass', properties: { 'header.from': 'example.com' } },
      ],
    });
    expect(parseAuthenticationResults('mx.example.com; none')).toEqual({ authservId: 'mx.example.com', results: [] });
    expect(parseAuthenticationResults('dmarc=pass')).toBeNull();
    expect(parseAuthenticationResults('')).toBeNull();
  });

  it('never throws on any header value', () => {
    fc.assert(fc.property(fc.string(), (value) => void parseAuthenticationResults(value)));
  });

  it('reads every occurrence of a header in order, unfolded', () => {
    const raw =
      'Authentication-Results: mx.example.com;\r\n  dmarc=pass\r\nSubject: x\r\nauthentication-results: evil; dmarc=pass\r\n\r\nAuthentication-Results: body';
    expect(readHeaderValues(raw, 'Authentication-Results')).toEqual(['mx.example.com; dmarc=pass', 'evil; dmarc=pass']);
  });
});

describe('whether a From address is believed', () => {
  const base = { listenerAuthenticated: false, trustedAuthservIds: ['mx.example.com'], fromAddress: 'agent@example.com' };

  it('believes a sender who authenticated to the listener', () => {
    expect(verifySender({ ...base, trustedAuthservIds: [], authenticationResults: [], listenerAuthenticated: true }).verified).toBe(true);
  });

  it('believes dmarc=pass, or an aligned dkim or spf pass, from the top-most trusted header', () => {
    for (const header of [
      'mx.example.com; dmarc=pass header.from=example.com',
      'mx.example.com; dmarc=pass',
      'mx.example.com; dkim=pass header.d=example.com',
      'mx.example.com; dkim=pass header.i=@mail.example.com',
      'mx.example.com; spf=pass smtp.mailfrom=bounce@example.com',
    ]) {
      expect(verifySender({ ...base, authenticationResults: [header] }), header).toMatchObject({ verified: true });
    }
    // A spam filter's own header above ours is skipped; ours still counts.
    expect(verifySender({ ...base, authenticationResults: ['filter.example.net; spf=fail', 'mx.example.com; dmarc=pass'] }).verified).toBe(
      true,
    );
  });

  it('believes nothing else: no trusted ids, untrusted authserv-ids, failures, unaligned passes, forged lower headers', () => {
    const refused: [string[], string[]][] = [
      [['mx.example.com; dmarc=pass'], []],
      [['evil.example; dmarc=pass'], ['mx.example.com']],
      [['mx.example.com; dmarc=fail header.from=example.com'], ['mx.example.com']],
      [['mx.example.com; dmarc=fail; dkim=pass header.d=example.com'], ['mx.example.com']],
      [['mx.example.com; dkim=pass header.d=evil.example'], ['mx.example.com']],
      [['mx.example.com; spf=pass smtp.mailfrom=x@evil.example'], ['mx.example.com']],
      [['mx.example.com; dmarc=pass header.from=evil.example'], ['mx.example.com']],
      [['mx.example.com; none'], ['mx.example.com']],
      // Only the top-most trusted run counts: a forged pass written lower down by the sender is not read.
      [['mx.example.com; dmarc=none', 'other.example; spf=none', 'mx.example.com; dmarc=pass'], ['mx.example.com']],
      [[], ['mx.example.com']],
    ];
    for (const [headers, trusted] of refused) {
      expect(verifySender({ ...base, authenticationResults: headers, trustedAuthservIds: trusted }), headers.join(' | ')).toMatchObject({
        verified: false,
        why: expect.any(String),
      });
    }
  });
});
