import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, single-purpose, expiring tokens for links in e-mails (acknowledge a page). The token
 * says what it is for, for whom and until when, and is signed with HMAC-SHA256 under a key
 * every server process shares (kept in the database); nothing secret is stored per link.
 */
export interface LinkClaims {
  purpose: string;
  subject: string;
  userId: string;
  expiresAt: Date;
}

export function newSigningKey(): string {
  return randomBytes(32).toString('base64url');
}

const mac = (key: string, body: string) => createHmac('sha256', key).update(body).digest('base64url');

export function signLink(key: string, claims: LinkClaims): string {
  const body = Buffer.from(
    JSON.stringify({ p: claims.purpose, s: claims.subject, u: claims.userId, e: Math.floor(claims.expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The claims of a genuine, unexpired token for `purpose`; null for anything else. */
export function verifyLink(key: string, token: string, purpose: string, now: Date): LinkClaims | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let claims: { p?: unknown; s?: unknown; u?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (claims.p !== purpose || typeof claims.s !== 'string' || typeof claims.u !== 'string' || typeof claims.e !== 'number') return null;
  if (claims.e * 1000 <= now.getTime()) return null;
  return { purpose, subject: claims.s, userId: claims.u, expiresAt: new Date(claims.e * 1000) };
}
