import { and, count, desc, eq, gt, isNotNull, isNull, lt, max, ne, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { preparedPerDb } from '../db/prepared.js';
import { apiTokens, sessions, signInFailures, users } from '../db/schema/index.js';
import type { UserRow } from './users.repository.js';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertSession(db: Db, row: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(row);
}

const sessionUserQuery = preparedPerDb((db) =>
  db
    .select({ user: users, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare('session_user'),
);

/** The signed-in user behind a live session, and when it ends, in one indexed query. */
export async function findSessionUser(db: Db, tokenHash: string, now: Date): Promise<{ user: UserRow; expiresAt: Date } | undefined> {
  const [row] = await sessionUserQuery(db).execute({ tokenHash, now: now.toISOString() });
  return row;
}

/** Ends one session; says whether it was a single sign-on session (its ID token), so the provider's session can end too. */
export async function deleteSession(db: Db, tokenHash: string): Promise<{ oidcIdToken: string | null } | undefined> {
  const [row] = await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).returning({ oidcIdToken: sessions.oidcIdToken });
  return row;
}

/**
 * Ends the single sign-on sessions a provider's back-channel logout names: those of one provider
 * session (`sid`, of that person when the token names them too), or, when it names only the
 * person, every single sign-on session of theirs (password sessions are not the provider's to end).
 * Returns the people whose sessions ended.
 */
export async function deleteSingleSignOnSessions(
  db: Db,
  target: { userId: string | null; providerSessionId: string | null },
): Promise<string[]> {
  const conditions = [isNotNull(sessions.oidcIdToken)];
  if (target.providerSessionId !== null) conditions.push(eq(sessions.oidcSessionId, target.providerSessionId));
  if (target.userId !== null) conditions.push(eq(sessions.userId, target.userId));
  if (target.providerSessionId === null && target.userId === null) return [];
  const rows = await db
    .delete(sessions)
    .where(and(...conditions))
    .returning({ userId: sessions.userId });
  return [...new Set(rows.map((row) => row.userId))];
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Ends every session of a person but one (the one they are using to change their password). */
export async function deleteOtherSessionsOfUser(db: Db, userId: string, keepTokenHash: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepTokenHash)));
}

/** Revokes every live API token of a person; returns how many were revoked. */
export async function revokeApiTokensOfUser(db: Db, userId: string, now: Date): Promise<number> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length;
}

/**
 * Tells every server process (on the live channel, delivered at commit) that a person's role or
 * standing changed, so their open live streams are re-checked at once.
 */
export async function announcePersonChanged(db: Db, userId: string): Promise<void> {
  await db.execute(sql`SELECT pg_notify('firebreak_events', ${JSON.stringify({ topic: 'person', userId })})`);
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

export async function insertApiToken(db: Db, row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [created] = await db.insert(apiTokens).values(row).returning();
  return created;
}

const tokenUserQuery = preparedPerDb((db) =>
  db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, sql.placeholder('tokenHash')),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql.placeholder('now'))),
      ),
    )
    .prepare('token_user'),
);

/** The token's row and its user, when the token is neither revoked nor expired. One indexed query. */
export async function findTokenUser(db: Db, tokenHash: string, now: Date): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const [row] = await tokenUserQuery(db).execute({ tokenHash, now: now.toISOString() });
  return row;
}

/** Recorded at most once a minute per token, so a busy integration does not write on every call. */
export async function touchToken(db: Db, id: string, now: Date): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - 60_000)))));
}

export async function listApiTokens(db: Db, userId?: string): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(userId ? eq(apiTokens.userId, userId) : undefined)
    .orderBy(desc(apiTokens.createdAt));
}

export async function findApiTokenById(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

export async function revokeApiToken(db: Db, id: string, now: Date): Promise<ApiTokenRow | undefined> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, ${now})` })
    .where(eq(apiTokens.id, id))
    .returning();
  return row;
}

/**
 * Serialises sign-in attempts per account and per client address until the caller's transaction
 * ends (always the account first, then the address, so two attempts never wait on each other in
 * a circle). On PGlite transactions already run one at a time; on PostgreSQL this is what makes
 * "count, then claim" one step.
 */
export async function lockSignInKeys(tx: Tx, accountKey: string, ip: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sign-in:account:${accountKey}`}, 0))`);
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sign-in:address:${ip}`}, 0))`);
}

/** Failures (and attempts being verified) since an instant, and the latest of them. */
export async function signInHistory(
  db: Db,
  since: Date,
  key: { accountKey: string } | { ip: string },
): Promise<{ failures: number; lastAt: Date | null }> {
  const condition = 'accountKey' in key ? eq(signInFailures.email, key.accountKey) : eq(signInFailures.ip, key.ip);
  const [row] = await db
    .select({ n: count(), lastAt: max(signInFailures.at) })
    .from(signInFailures)
    .where(and(condition, gt(signInFailures.at, since)));
  return { failures: row.n, lastAt: row.lastAt ?? null };
}

/** Claims an attempt: it counts as a failure until a success clears the account's failures. */
export async function recordSignInAttempt(db: Db, accountKey: string, ip: string, at: Date): Promise<void> {
  await db.insert(signInFailures).values({ email: accountKey, ip, at });
}

/**
 * Forgets an account's and an address's failures older than both windows, so the table does not
 * grow without end (each condition is served by its own index).
 */
export async function deleteOldSignInFailures(db: Db, key: { accountKey: string; ip: string }, before: Date): Promise<void> {
  await db
    .delete(signInFailures)
    .where(and(or(eq(signInFailures.email, key.accountKey), eq(signInFailures.ip, key.ip)), lt(signInFailures.at, before)));
}

export async function clearSignInFailures(db: Db, accountKey: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.email, accountKey));
}
