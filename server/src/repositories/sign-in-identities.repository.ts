import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { signInIdentities, users } from '../db/schema/index.js';
import type { UserRow } from './users.repository.js';

/** The person an OpenID provider's subject was linked to at their first single sign-on. */
export async function findUserByIdentity(db: Db, issuer: string, subject: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ user: users })
    .from(signInIdentities)
    .innerJoin(users, eq(users.id, signInIdentities.userId))
    .where(and(eq(signInIdentities.issuer, issuer), eq(signInIdentities.subject, subject)));
  return row?.user;
}

/** The subject a person is already linked to at an OpenID provider, if any. */
export async function findSubjectOfUser(db: Db, issuer: string, userId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ subject: signInIdentities.subject })
    .from(signInIdentities)
    .where(and(eq(signInIdentities.issuer, issuer), eq(signInIdentities.userId, userId)))
    .limit(1);
  return row?.subject;
}

/** Links a subject to a person, or records another sign-in of one already linked. */
export async function recordIdentitySignIn(db: Db, row: { issuer: string; subject: string; userId: string; at: Date }): Promise<void> {
  await db
    .insert(signInIdentities)
    .values({ issuer: row.issuer, subject: row.subject, userId: row.userId, createdAt: row.at, lastSignInAt: row.at })
    .onConflictDoUpdate({ target: [signInIdentities.issuer, signInIdentities.subject], set: { lastSignInAt: row.at } });
}
