import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, isAdmin } from '../../../core/permissions.js';
import { accountKey, decideSignInAttempt, SIGN_IN_LIMITS } from '../../../core/sign-in-limits.js';
import { passwordAllowed } from '../../../core/single-sign-on.js';
import type { Role } from '../../../core/vocabulary.js';
import { dummyPasswordHash, generatePassword, hashPassword, needsRehash, newSecret, sha256, verifyPassword } from '../adapters/secrets.js';
import type { Db } from '../db/client.js';
import {
  type ApiTokenRow,
  clearSignInFailures,
  deleteExpiredSessions,
  deleteOldSignInFailures,
  deleteSession,
  findApiTokenById,
  findSessionUser,
  findTokenUser,
  insertApiToken,
  insertSession,
  listApiTokens,
  lockSignInKeys,
  recordSignInAttempt,
  revokeApiToken,
  signInHistory,
  touchToken,
} from '../repositories/auth.repository.js';
import {
  countUsers,
  findUserByEmail,
  insertUser,
  lockFirstAdminCreation,
  replacePasswordHashIfUnchanged,
  type UserRow,
} from '../repositories/users.repository.js';
import { changingConfig, readConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';

export interface SignedIn {
  user: UserRow;
  /** The cookie's secret; only its hash is stored. */
  sessionToken: string;
  expiresAt: Date;
}

/**
 * Claims a password attempt for an account from an address before the password is looked at
 * (see core/sign-in-limits.ts): under a lock per account and address, count, decide, and record
 * the attempt as a failure in one transaction, so concurrent guesses are counted one by one.
 * Refused attempts are not recorded and not verified.
 */
export async function claimPasswordAttempt(deps: ServiceDeps, email: string, ip: string): Promise<void> {
  const now = deps.clock.now();
  const key = accountKey(email);
  const accountSince = new Date(now.getTime() - SIGN_IN_LIMITS.account.windowHours * 3_600_000);
  const addressSince = new Date(now.getTime() - SIGN_IN_LIMITS.address.windowMinutes * 60_000);
  const decision = await deps.db.transaction(async (tx) => {
    await lockSignInKeys(tx, key, ip);
    const account = await signInHistory(tx, accountSince, { accountKey: key });
    const address = await signInHistory(tx, addressSince, { ip });
    const verdict = decideSignInAttempt({ account, address, now });
    if (verdict.allowed) {
      await deleteOldSignInFailures(tx, { accountKey: key, ip }, accountSince);
      await recordSignInAttempt(tx, key, ip, now);
    }
    return verdict;
  });
  if (decision.allowed) return;
  const wait = describeWait(decision.retryAfterSeconds);
  throw new AppError(
    'rate_limited',
    decision.reason === 'account'
      ? `Too many wrong passwords for this account. Try again in ${wait}; the wait grows with each wrong password. Forgotten it? An admin can reset it (Admin › People) and give you a temporary password.`
      : `Too many failed sign-ins from your network. Try again in ${wait}.`,
    { extra: { retryAfterSeconds: decision.retryAfterSeconds } },
  );
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Checks a person's password at the cost their hash was made with (a dummy hash when there is none). */
export async function passwordMatches(deps: ServiceDeps, user: UserRow | undefined, password: string): Promise<boolean> {
  // Always spend the same hashing work, so response time does not tell who has an account.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash(deps.passwordCost)));
  return Boolean(user?.passwordHash) && ok;
}

/**
 * Who may sign in with a password: everyone, or — when single sign-on has replaced passwords —
 * the break-glass admin alone (for when the identity provider is down). `ssoName` words the refusal.
 */
export interface PasswordPolicy {
  enabled: boolean;
  breakGlassEmail: string | null;
  ssoName: string | null;
}

export async function signIn(
  deps: ServiceDeps & { sessionHours: number; passwordPolicy?: PasswordPolicy },
  input: { email: string; password: string; ip: string },
): Promise<SignedIn> {
  const policy = deps.passwordPolicy;
  await claimPasswordAttempt(deps, input.email, input.ip);
  const found = await findUserByEmail(deps.db, input.email);
  // With passwords off, anyone but the break-glass admin is answered exactly as a wrong password
  // (same hashing work, same words, counted by the limit), so the answer does not tell who it is.
  const user = !policy || (found && passwordAllowed(policy, found)) ? found : undefined;
  if (!user?.passwordHash || !(await passwordMatches(deps, user, input.password))) {
    throw new AppError(
      'unauthenticated',
      policy && !policy.enabled
        ? `The e-mail address or password is not right. Password sign-in is kept for the emergency admin; everyone else signs in with ${policy.ssoName ?? 'single sign-on'}.`
        : 'The e-mail address or password is not right.',
    );
  }
  if (!user.active) {
    throw new AppError('unauthenticated', 'This account is deactivated. Ask an admin to reactivate it.');
  }
  const oldHash = user.passwordHash;
  // A hash made at an older, lower cost is replaced now, while we know the password.
  const upgraded = needsRehash(oldHash, deps.passwordCost) ? await hashPassword(input.password, deps.passwordCost) : null;
  const now = deps.clock.now();
  const session = await deps.db.transaction(async (tx) => {
    await clearSignInFailures(tx, accountKey(input.email));
    if (upgraded) await replacePasswordHashIfUnchanged(tx, user.id, oldHash, upgraded);
    return openSession(tx, user.id, now, deps.sessionHours, null);
  });
  return { user, ...session };
}

/**
 * A new session for a person who proved who they are (password or single sign-on), inside the
 * caller's transaction; expired sessions are swept on the way. `singleSignOn` marks a single
 * sign-on one: the provider's ID token (for signing out there too) and its session id, if it gave one.
 */
export async function openSession(
  tx: Db,
  userId: string,
  now: Date,
  sessionHours: number,
  singleSignOn: { idToken: string; providerSessionId: string | null } | null,
): Promise<{ sessionToken: string; expiresAt: Date }> {
  const sessionToken = newSecret('fbs');
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  await deleteExpiredSessions(tx, now);
  await insertSession(tx, {
    tokenHash: sha256(sessionToken),
    userId,
    createdAt: now,
    expiresAt,
    oidcIdToken: singleSignOn?.idToken ?? null,
    oidcSessionId: singleSignOn?.providerSessionId ?? null,
  });
  return { sessionToken, expiresAt };
}

/**
 * Ends a session (refused by this process at once, by the others when they hear migration 0083's
 * announcement); a single sign-on session's ID token is returned so the provider's session can end too.
 */
export async function signOut(
  deps: Pick<ServiceDeps, 'db' | 'configCache'>,
  sessionToken: string,
): Promise<{ oidcIdToken: string | null }> {
  const ended = await changingConfig(deps.configCache, 'sessions', () => deleteSession(deps.db, sha256(sessionToken)));
  return { oidcIdToken: ended?.oidcIdToken ?? null };
}

export type Authentication = { via: 'session'; user: UserRow } | { via: 'token'; user: UserRow; token: ApiTokenRow };

/**
 * The person behind a session cookie, kept by the server's configuration cache as API tokens are
 * (below): until a session ends or a person changes, both announced to every process (migration
 * 0083), so a browser's requests do not each read it again. A session not found is not kept.
 */
export async function authenticateSession(deps: ServiceDeps, sessionToken: string): Promise<Authentication | null> {
  const now = deps.clock.now();
  const tokenHash = sha256(sessionToken);
  const found = await readConfig(deps.configCache, ['sessions', 'users'], `session:${tokenHash}`, () =>
    findSessionUser(deps.db, tokenHash, now),
  );
  // Found live when it was kept: it may have expired since.
  if (!found || found.expiresAt.getTime() <= now.getTime()) return null;
  return found.user.active ? { via: 'session', user: found.user } : null;
}

/**
 * One indexed lookup by the token's SHA-256 (no slow hash on the request path), kept by the
 * server's configuration cache until a token or a person changes (migration 0083 announces it to
 * every process), so a busy integration's calls do not each read it again. Keyed by the hash,
 * never the secret; a token not found is not kept.
 */
export async function authenticateToken(deps: ServiceDeps, secret: string): Promise<Authentication | null> {
  const now = deps.clock.now();
  const tokenHash = sha256(secret);
  const key = `api-token:${tokenHash}`;
  const found = await readConfig(deps.configCache, ['api_tokens', 'users'], key, () => findTokenUser(deps.db, tokenHash, now));
  if (!found?.user.active) return null;
  // Found valid when it was kept: it may have expired since.
  if (found.token.expiresAt && found.token.expiresAt.getTime() <= now.getTime()) return null;
  // Last use is recorded at most once a minute, so a busy integration does not write on every call.
  if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > 60_000) {
    await touchToken(deps.db, found.token.id, now);
    // What this process kept still holds the earlier time: read afresh next time, not touched again.
    deps.configCache?.forget(key);
  }
  return { via: 'token', ...found };
}

/**
 * The role a pair of credentials carries now (a bearer token wins over the session cookie, as
 * when the request came in); null when they no longer sign anyone in (signed out, revoked,
 * deactivated). A long-lived connection asks this to notice what changed since it opened.
 */
export async function currentRoleOf(deps: ServiceDeps, credentials: { cookie?: string; authorization?: string }): Promise<Role | null> {
  const bearer = credentials.authorization && /^Bearer\s+(\S+)$/i.exec(credentials.authorization)?.[1];
  const auth = bearer
    ? await authenticateToken(deps, bearer)
    : credentials.cookie
      ? await authenticateSession(deps, credentials.cookie)
      : null;
  return auth?.user.role ?? null;
}

export async function createApiToken(
  deps: ServiceDeps,
  actor: Actor,
  input: { name: string; userId?: string; scope: 'read' | 'write'; expiresInDays?: number },
): Promise<{ token: ApiTokenRow; secret: string }> {
  const userId = input.userId ?? actor.id;
  if (userId !== actor.id && !isAdmin(actor)) {
    throw fieldError('forbidden', 'userId', 'only admins can create tokens for other users');
  }
  await requireActiveUsers(deps.db, [userId], 'requester', 'userId');
  const secret = newSecret('fbt');
  const now = deps.clock.now();
  const token = await insertApiToken(deps.db, {
    name: input.name,
    userId,
    tokenHash: sha256(secret),
    prefix: secret.slice(0, 10),
    scope: input.scope,
    createdAt: now,
    expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
  });
  return { token, secret };
}

/** Admins see every token; others see their own. */
export async function listTokens(db: Db, actor: Actor): Promise<ApiTokenRow[]> {
  return listApiTokens(db, isAdmin(actor) ? undefined : actor.id);
}

export async function revokeToken(deps: ServiceDeps, actor: Actor, id: string): Promise<ApiTokenRow> {
  const token = await findApiTokenById(deps.db, id);
  if (!token || (token.userId !== actor.id && !isAdmin(actor))) throw notFound('API token');
  // Refused by this process at once, by the others when they hear migration 0083's announcement.
  return (await changingConfig(deps.configCache, 'api_tokens', () => revokeApiToken(deps.db, id, deps.clock.now()))) as ApiTokenRow;
}

/**
 * On first start with no users, creates the first admin from the configured e-mail and
 * password, or with a generated password that the caller prints once.
 */
export async function bootstrapFirstAdmin(
  deps: ServiceDeps,
  config: { email?: string; password?: string },
): Promise<{ email: string; generatedPassword: string | null } | null> {
  return deps.db.transaction(async (tx) => {
    // Two processes starting together on one PostgreSQL: only one creates the admin.
    await lockFirstAdminCreation(tx);
    if ((await countUsers(tx)) > 0) return null;
    const email = config.email ?? 'admin@firebreak.local';
    const generatedPassword = config.password ? null : generatePassword();
    const now = deps.clock.now();
    await insertUser(tx, {
      email,
      name: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(config.password ?? (generatedPassword as string), deps.passwordCost),
      createdAt: now,
      updatedAt: now,
    });
    return { email, generatedPassword };
  });
}
