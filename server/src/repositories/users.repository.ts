import { and, asc, count, eq, ilike, inArray, ne, notExists, or, type SQL, sql } from 'drizzle-orm';
import type { Role } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import { integrations, users } from '../db/schema/index.js';
import { afterKey } from './keyset.js';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

export async function insertUser(db: Db, row: NewUserRow): Promise<UserRow> {
  const [created] = await db.insert(users).values(row).returning();
  return created;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUsersByIds(db: Db, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(users).where(inArray(users.id, ids));
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  return row;
}

/** Serialises first-admin creation across processes sharing one PostgreSQL, until the caller's transaction ends. */
export async function lockFirstAdminCreation(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(7240318002)`);
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row.n;
}

export async function listUsers(
  db: Db,
  filter: { role?: Role; staff?: boolean; active?: boolean; q?: string; afterEmail?: string; limit: number },
): Promise<UserRow[]> {
  const conditions = [
    filter.role ? eq(users.role, filter.role) : undefined,
    filter.staff === undefined ? undefined : filter.staff ? ne(users.role, 'requester') : eq(users.role, 'requester'),
    // Staff are people: an integration's own account (it acts as an agent) is not offered in pickers.
    filter.staff ? notExists(db.select({ one: sql`1` }).from(integrations).where(eq(integrations.userId, users.id))) : undefined,
    filter.active === undefined ? undefined : eq(users.active, filter.active),
    filter.q ? personMatches(filter.q) : undefined,
    filter.afterEmail ? afterKey([sql`lower(${users.email})`], [filter.afterEmail.toLowerCase()], 'asc') : undefined,
  ];
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(sql`lower(${users.email})`))
    .limit(filter.limit);
}

/**
 * Every word of `q` is part of the person's name or e-mail ("becker anna", "anna.becker@"),
 * case-insensitively; trigram indexes on both columns serve it (migration 0029).
 */
function personMatches(q: string): SQL | undefined {
  const words = q.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (words.length === 0) return undefined;
  return and(
    ...words.map((w) => {
      const pattern = `%${escapeLike(w)}%`;
      return or(ilike(users.name, pattern), ilike(users.email, pattern));
    }),
  );
}

/** The ids of up to `limit` people whose name or e-mail matches `q` (the ticket search's requester branch). */
export async function findUserIdsMatching(db: Db, q: string, limit: number): Promise<string[]> {
  const condition = personMatches(q);
  if (!condition) return [];
  const rows = await db.select({ id: users.id }).from(users).where(condition).limit(limit);
  return rows.map((r) => r.id);
}

export async function updateUser(db: Db, id: string, patch: Partial<NewUserRow>): Promise<UserRow | undefined> {
  const [row] = await db.update(users).set(patch).where(eq(users.id, id)).returning();
  return row;
}

/** Upgrades a password hash only if nobody changed the password meanwhile (a re-hash never undoes a change). */
export async function replacePasswordHashIfUnchanged(db: Db, id: string, oldHash: string, newHash: string): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash: newHash })
    .where(and(eq(users.id, id), eq(users.passwordHash, oldHash)));
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
