import { sql } from 'drizzle-orm';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, isAdmin } from '../../../core/permissions.js';
import { dummyPasswordHash, generatePassword, hashPassword, newSecret, sha256, verifyPassword } from '../adapters/secrets.js';
import type { Db } from '../db/client.js';
import {
  type ApiTokenRow,
  clearSignInFailures,
  countRecentSignInFailures,
  deleteExpiredSessions,
  deleteSession,
  findApiTokenById,
  findSessionUser,
  findTokenUser,
  insertApiToken,
  insertSession,
  listApiTokens,
  recordSignInFailure,
  revokeApiToken,
  touchToken,
} from '../repositories/auth.repository.js';
import { countUsers, findUserByEmail, insertUser, type UserRow } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';

/** Sign-in limits: per e-mail address and per client address, over a sliding window. */
export const SIGN_IN_LIMITS = { windowMinutes: 15, perEmail: 5, perIp: 30 };

export interface SignedIn {
  user: UserRow;
  /** The cookie's secret; only its hash is stored. */
  sessionToken: string;
  expiresAt: Date;
}

export async function signIn(
  deps: ServiceDeps & { sessionHours: number },
  input: { email: string; password: string; ip: string },
): Promise<SignedIn> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  const [byEmail, byIp] = await Promise.all([
    countRecentSignInFailures(deps.db, since, { email: input.email }),
    countRecentSignInFailures(deps.db, since, { ip: input.ip }),
  ]);
  if (byEmail >= SIGN_IN_LIMITS.perEmail || byIp >= SIGN_IN_LIMITS.perIp) {
    throw new AppError(
      'rate_limited',
      `Too many failed sign-ins. Wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again, or ask an admin to reset your password.`,
      { extra: { retryAfterSeconds: SIGN_IN_LIMITS.windowMinutes * 60 } },
    );
  }
  const user = await findUserByEmail(deps.db, input.email);
  // Always spend the same hashing work, so response time does not tell who has an account.
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user?.passwordHash || !passwordOk) {
    await recordSignInFailure(deps.db, input.email, input.ip, now);
    throw new AppError('unauthenticated', 'The e-mail address or password is not right.');
  }
  if (!user.active) {
    throw new AppError('unauthenticated', 'This account is deactivated. Ask an admin to reactivate it.');
  }
  const sessionToken = newSecret('fbs');
  const expiresAt = new Date(now.getTime() + deps.sessionHours * 3_600_000);
  await deps.db.transaction(async (tx) => {
    await clearSignInFailures(tx, input.email);
    await deleteExpiredSessions(tx, now);
    await insertSession(tx, { tokenHash: sha256(sessionToken), userId: user.id, createdAt: now, expiresAt });
  });
  return { user, sessionToken, expiresAt };
}

export async function signOut(db: Db, sessionToken: string): Promise<void> {
  await deleteSession(db, sha256(sessionToken));
}

export type Authentication = { via: 'session'; user: UserRow } | { via: 'token'; user: UserRow; token: ApiTokenRow };

export async function authenticateSession(deps: ServiceDeps, sessionToken: string): Promise<Authentication | null> {
  const user = await findSessionUser(deps.db, sha256(sessionToken), deps.clock.now());
  return user?.active ? { via: 'session', user } : null;
}

/** One indexed lookup by the token's SHA-256: no slow hash on the request path. */
export async function authenticateToken(deps: ServiceDeps, secret: string): Promise<Authentication | null> {
  const now = deps.clock.now();
  const found = await findTokenUser(deps.db, sha256(secret), now);
  if (!found?.user.active) return null;
  // Last use is recorded at most once a minute, so a busy integration does not write on every call.
  if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > 60_000) {
    await touchToken(deps.db, found.token.id, now);
  }
  return { via: 'token', ...found };
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
  return (await revokeApiToken(deps.db, id, deps.clock.now())) as ApiTokenRow;
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
    await tx.execute(sqlLock);
    if ((await countUsers(tx)) > 0) return null;
    const email = config.email ?? 'admin@firebreak.local';
    const generatedPassword = config.password ? null : generatePassword();
    const now = deps.clock.now();
    await insertUser(tx, {
      email,
      name: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(config.password ?? (generatedPassword as string)),
      createdAt: now,
      updatedAt: now,
    });
    return { email, generatedPassword };
  });
}

/** Serialises first-admin creation across processes sharing one PostgreSQL. */
const sqlLock = sql`SELECT pg_advisory_xact_lock(7240318002)`;
