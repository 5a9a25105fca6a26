import { describe, expect, it } from 'vitest';
import { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_MAX_AGE_SECONDS, readLogoutTokenClaims } from './logout-token.js';

const NOW = 1_800_000_000;
const valid = {
  iss: 'https://id.example',
  aud: 'firebreak',
  iat: NOW,
  jti: 'j1',
  sub: 'ada',
  sid: 's1',
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
};

describe('back-channel logout token claims', () => {
  it('names the subject and the provider session it signs out', () => {
    expect(readLogoutTokenClaims(valid, NOW)).toEqual({ ok: true, target: { subject: 'ada', providerSessionId: 's1' } });
    const { sid: _sid, ...subjectOnly } = valid;
    expect(readLogoutTokenClaims(subjectOnly, NOW)).toEqual({ ok: true, target: { subject: 'ada', providerSessionId: null } });
    const { sub: _sub, ...sessionOnly } = valid;
    expect(readLogoutTokenClaims(sessionOnly, NOW)).toEqual({ ok: true, target: { subject: null, providerSessionId: 's1' } });
  });

  it('refuses an ID token passed off as a logout token (a nonce, or no logout event)', () => {
    expect(readLogoutTokenClaims({ ...valid, nonce: 'n' }, NOW)).toMatchObject({ ok: false, problem: expect.stringContaining('nonce') });
    expect(readLogoutTokenClaims({ ...valid, events: {} }, NOW)).toMatchObject({ ok: false, problem: expect.stringContaining('event') });
    expect(readLogoutTokenClaims({ ...valid, events: [BACKCHANNEL_LOGOUT_EVENT] }, NOW)).toMatchObject({ ok: false });
  });

  it('refuses a token that names nobody, has no id or issue time', () => {
    const { sub: _s, sid: _i, ...nobody } = valid;
    expect(readLogoutTokenClaims(nobody, NOW)).toMatchObject({ ok: false, problem: expect.stringContaining('neither') });
    expect(readLogoutTokenClaims({ ...valid, jti: undefined }, NOW)).toMatchObject({ ok: false, problem: expect.stringContaining('jti') });
    expect(readLogoutTokenClaims({ ...valid, iat: '1' }, NOW)).toMatchObject({ ok: false, problem: expect.stringContaining('iat') });
  });

  it('refuses an old token (a captured one replayed later) and one from the future, forgiving a minute of skew', () => {
    expect(readLogoutTokenClaims({ ...valid, iat: NOW - LOGOUT_TOKEN_MAX_AGE_SECONDS }, NOW).ok).toBe(true);
    expect(readLogoutTokenClaims({ ...valid, iat: NOW - LOGOUT_TOKEN_MAX_AGE_SECONDS - 1 }, NOW).ok).toBe(false);
    expect(readLogoutTokenClaims({ ...valid, iat: NOW + 60 }, NOW).ok).toBe(true);
    expect(readLogoutTokenClaims({ ...valid, iat: NOW + 61 }, NOW).ok).toBe(false);
  });
});
