import { randomBytes } from 'node:crypto';
import { AppError } from '../../../core/errors.js';
import { type LogoutTokenProblem, readLogoutTokenClaims } from '../../../core/logout-token.js';
import {
  decideSingleSignOn,
  isBreakGlassAdmin,
  type LocalPasswordPolicy,
  SINGLE_SIGN_ON_FAILURES,
  type SingleSignOnFailure,
  type SingleSignOnPolicy,
} from '../../../core/single-sign-on.js';
import type { Role } from '../../../core/vocabulary.js';
import { type OpenIdProvider, ProviderFailure } from '../adapters/openid-provider.js';
import { announcePersonChanged, deleteSingleSignOnSessions } from '../repositories/auth.repository.js';
import { findSubjectOfUser, findUserByIdentity, recordIdentitySignIn } from '../repositories/sign-in-identities.repository.js';
import { findUserByEmail, insertUser, type UserRow, updateUser } from '../repositories/users.repository.js';
import { openSession, type SignedIn } from './auth.service.js';
import { changingConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { signSingleSignOnState, verifySingleSignOnState } from './signed-links.service.js';

/**
 * OpenID Connect sign-in (authorization code + PKCE). The state, nonce and PKCE verifier of a
 * sign-in in flight travel in a signed, ten-minute, httpOnly cookie (signed with the key every
 * process shares), so any server process can finish a sign-in another one started.
 */
export interface SingleSignOnDeps extends ServiceDeps {
  sessionHours: number;
  provider: OpenIdProvider;
  policy: SingleSignOnPolicy & { issuer: string };
  localPasswords: LocalPasswordPolicy;
}

export const SSO_STATE_MINUTES = 10;

/** A failed single sign-on: `reason` names the words the sign-in page shows (core SINGLE_SIGN_ON_FAILURES). */
export function singleSignOnFailed(reason: SingleSignOnFailure, cause?: unknown): AppError {
  const code =
    reason === 'provider_unreachable'
      ? 'unavailable'
      : reason === 'state_mismatch' || reason === 'expired'
        ? 'validation_failed'
        : reason === 'invalid_token' || reason === 'provider_refused'
          ? 'unauthenticated'
          : 'forbidden';
  const error = new AppError(code, SINGLE_SIGN_ON_FAILURES[reason], { extra: { singleSignOnFailure: reason } });
  // For the log line only (why the provider's answer was refused); never shown to the person.
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false });
  return error;
}

export async function startSingleSignOn(
  deps: SingleSignOnDeps,
  returnTo: string,
): Promise<{ authorizationUrl: string; stateCookie: string; expiresAt: Date }> {
  const flight = { state: random(), nonce: random(), codeVerifier: random(), returnTo };
  let url: URL;
  try {
    url = await deps.provider.authorizationUrl(flight);
  } catch (error) {
    throw error instanceof ProviderFailure ? singleSignOnFailed(error.reason, error.cause) : error;
  }
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SSO_STATE_MINUTES * 60_000);
  const stateCookie = await signSingleSignOnState(deps.db, JSON.stringify(flight), expiresAt, now);
  return { authorizationUrl: url.href, stateCookie, expiresAt };
}

export interface SingleSignOnResult extends SignedIn {
  returnTo: string;
  created: boolean;
  roleChange: { from: Role; to: Role } | null;
}

export async function finishSingleSignOn(
  deps: SingleSignOnDeps,
  input: { callbackUrl: URL; stateCookie: string | undefined },
): Promise<SingleSignOnResult> {
  const flight = await readFlight(deps, input.stateCookie);
  // Checked here as well as by the client library, so a tampered state is named as such.
  if (input.callbackUrl.searchParams.get('state') !== flight.state) throw singleSignOnFailed('state_mismatch');
  let answer: { idToken: string; claims: Record<string, unknown> };
  try {
    answer = await deps.provider.finish(input.callbackUrl, flight);
  } catch (error) {
    throw error instanceof ProviderFailure ? singleSignOnFailed(error.reason, error.cause) : error;
  }
  const { claims } = answer;
  const subject = String(claims.sub);
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.trim() : null;
  const now = deps.clock.now();
  const signedIn = await deps.db.transaction(async (tx) => {
    // The provider's subject first; the address only the first time (then the two are linked).
    const known = await findUserByIdentity(tx, deps.policy.issuer, subject);
    const byEmail = !known && email ? await findUserByEmail(tx, email) : undefined;
    // Linking an account by its address hands it to whoever holds that address at the provider:
    // only when the provider says it checked the address (a claim left out is not a yes).
    if (byEmail && claims.email_verified !== true) throw singleSignOnFailed('email_unverified');
    const existing = known ?? byEmail;
    const linkedSubject = byEmail ? await findSubjectOfUser(tx, deps.policy.issuer, byEmail.id) : undefined;
    const decision = decideSingleSignOn(
      deps.policy,
      { email, emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : null, claims },
      existing
        ? {
            role: existing.role,
            active: existing.active,
            breakGlass: isBreakGlassAdmin(deps.localPasswords, existing),
            linkedToAnotherSubject: linkedSubject !== undefined && linkedSubject !== subject,
          }
        : null,
    );
    if (decision.kind === 'refuse') throw singleSignOnFailed(decision.reason);
    let user: UserRow;
    let roleChange: SingleSignOnResult['roleChange'] = null;
    if (decision.kind === 'create') {
      user = await insertUser(tx, {
        email: decision.email,
        name: displayName(claims, decision.email),
        role: decision.role,
        passwordHash: null,
        createdAt: now,
        updatedAt: now,
      });
    } else {
      user = existing as UserRow;
      if (decision.roleChanged) {
        roleChange = { from: user.role, to: decision.role };
        user = (await updateUser(tx, user.id, { role: decision.role, updatedAt: now })) as UserRow;
        // Live streams carry the role they connected with: every process re-checks them.
        await announcePersonChanged(tx, user.id);
      }
    }
    await recordIdentitySignIn(tx, { issuer: deps.policy.issuer, subject, userId: user.id, at: now });
    const session = await openSession(tx, user.id, now, deps.sessionHours, {
      idToken: answer.idToken,
      providerSessionId: typeof claims.sid === 'string' && claims.sid !== '' ? claims.sid : null,
    });
    return { user, ...session, returnTo: flight.returnTo, created: decision.kind === 'create', roleChange };
  });
  // API tokens this process keeps sign the person in with the old role: read afresh once
  // committed (other processes hear migration 0083's announcement).
  if (signedIn.roleChange) deps.configCache?.changed('users');
  return signedIn;
}

/**
 * OpenID Connect Back-Channel Logout: the provider tells Firebreak, server to server, that a person
 * signed out there (or was signed out by an administrator). The logout token's signature, issuer,
 * audience and claims are checked; then the Firebreak sessions it names end, and the person's open
 * live streams are closed on every process (they reconnect and find themselves signed out).
 * A token for someone Firebreak does not know ends nothing and is still a success: the provider
 * need not know who signed in here. A token that fails a check is refused with the reason.
 */
export async function endSessionsSignedOutAtProvider(
  deps: Pick<SingleSignOnDeps, 'db' | 'clock' | 'provider' | 'policy' | 'configCache'>,
  logoutToken: string,
): Promise<{ sessionsOfPeople: number }> {
  let claims: Record<string, unknown>;
  try {
    claims = await deps.provider.verifyLogoutToken(logoutToken);
  } catch (error) {
    if (!(error instanceof ProviderFailure)) throw error;
    if (error.reason === 'provider_unreachable') throw singleSignOnFailed('provider_unreachable', error.cause);
    throw logoutRefused('its signature, issuer, audience or expiry does not check out', error.cause);
  }
  const read = readLogoutTokenClaims(claims, Math.floor(deps.clock.now().getTime() / 1000));
  if (!read.ok) throw logoutRefused(read.problem);
  const { subject, providerSessionId } = read.target;
  // The ended sessions are refused by this process at once, by the others once they hear migration 0083's announcement.
  return changingConfig(deps.configCache, 'sessions', () =>
    deps.db.transaction(async (tx) => {
      const person = subject === null ? undefined : await findUserByIdentity(tx, deps.policy.issuer, subject);
      // A subject not known here and no session id: nobody to sign out.
      if (subject !== null && !person && providerSessionId === null) return { sessionsOfPeople: 0 };
      const people = await deleteSingleSignOnSessions(tx, { userId: person?.id ?? null, providerSessionId });
      for (const userId of people) await announcePersonChanged(tx, userId);
      return { sessionsOfPeople: people.length };
    }),
  );
}

function logoutRefused(problem: LogoutTokenProblem | string, cause?: unknown): AppError {
  const error = new AppError('validation_failed', `The logout token was refused: it ${problem}.`, {
    errors: [{ field: 'logout_token', message: `It ${problem}.` }],
  });
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false });
  return error;
}

async function readFlight(
  deps: SingleSignOnDeps,
  cookie: string | undefined,
): Promise<{ state: string; nonce: string; codeVerifier: string; returnTo: string }> {
  const text = cookie ? await verifySingleSignOnState(deps.db, cookie, deps.clock.now()) : null;
  if (!text) throw singleSignOnFailed('expired');
  const flight = JSON.parse(text) as { state: string; nonce: string; codeVerifier: string; returnTo: string };
  return flight;
}

function displayName(claims: Record<string, unknown>, email: string): string {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : null);
  const given = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  return text(claims.name) ?? (given || null) ?? email.slice(0, email.indexOf('@'));
}

const random = () => randomBytes(32).toString('base64url');
