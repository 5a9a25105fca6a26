/**
 * OpenID Connect Back-Channel Logout 1.0, the rules about a logout token's claims (section 2.6)
 * once its signature, issuer and audience were checked: it must say it is a logout token (the
 * `events` member), name a subject or a provider session (or both), carry no nonce (so an ID
 * token can never pass for one), and be recent. Pure; the adapter checks the signature.
 */

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * How old a logout token may be. The specification lets the relying party refuse old ones; a short
 * window keeps a captured token from ending a session opened after it was sent.
 */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 120;

/** Whom the provider signed out: a subject (every session of that person), a provider session, or both. */
export interface LogoutTarget {
  subject: string | null;
  providerSessionId: string | null;
}

export type LogoutTokenProblem =
  | 'not a logout token (no back-channel logout event)'
  | 'names neither a subject (sub) nor a session (sid)'
  | 'carries a nonce (an ID token, not a logout token)'
  | 'has no issue time (iat)'
  | 'was issued too long ago or in the future'
  | 'has no token id (jti)';

export function readLogoutTokenClaims(
  claims: Record<string, unknown>,
  nowSeconds: number,
): { ok: true; target: LogoutTarget } | { ok: false; problem: LogoutTokenProblem } {
  const events = claims.events;
  if (typeof events !== 'object' || events === null || Array.isArray(events) || !(BACKCHANNEL_LOGOUT_EVENT in events)) {
    return { ok: false, problem: 'not a logout token (no back-channel logout event)' };
  }
  if ('nonce' in claims) return { ok: false, problem: 'carries a nonce (an ID token, not a logout token)' };
  if (typeof claims.jti !== 'string' || claims.jti === '') return { ok: false, problem: 'has no token id (jti)' };
  if (typeof claims.iat !== 'number') return { ok: false, problem: 'has no issue time (iat)' };
  // A minute of clock difference between the two machines is forgiven either way.
  if (claims.iat > nowSeconds + 60 || claims.iat < nowSeconds - LOGOUT_TOKEN_MAX_AGE_SECONDS) {
    return { ok: false, problem: 'was issued too long ago or in the future' };
  }
  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null;
  const providerSessionId = typeof claims.sid === 'string' && claims.sid !== '' ? claims.sid : null;
  if (subject === null && providerSessionId === null) return { ok: false, problem: 'names neither a subject (sub) nor a session (sid)' };
  return { ok: true, target: { subject, providerSessionId } };
}
