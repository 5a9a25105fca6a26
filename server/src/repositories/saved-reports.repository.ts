import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { savedReports, users } from '../db/schema/index.js';

export type SavedReportRow = typeof savedReports.$inferSelect;
export type NewSavedReportRow = typeof savedReports.$inferInsert;

export interface SavedReportWithOwner {
  report: SavedReportRow;
  ownerName: string;
}

const withOwner = { report: savedReports, ownerName: users.name };

export async function listSavedReportsOf(db: Db, ownerId: string): Promise<SavedReportWithOwner[]> {
  return db
    .select(withOwner)
    .from(savedReports)
    .innerJoin(users, eq(users.id, savedReports.ownerId))
    .where(eq(savedReports.ownerId, ownerId))
    .orderBy(asc(savedReports.name));
}

export async function countSavedReportsOf(db: Db, ownerId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(savedReports).where(eq(savedReports.ownerId, ownerId));
  return Number(row.n);
}

export async function findSavedReport(db: Db, id: string): Promise<SavedReportWithOwner | undefined> {
  const [row] = await db
    .select(withOwner)
    .from(savedReports)
    .innerJoin(users, eq(users.id, savedReports.ownerId))
    .where(eq(savedReports.id, id));
  return row;
}

/** The report locked for the rest of the transaction: a send and an edit of its schedule never interleave. */
export async function lockSavedReport(db: Db, id: string): Promise<SavedReportRow | undefined> {
  const [row] = await db.select().from(savedReports).where(eq(savedReports.id, id)).for('update');
  return row;
}

export async function insertSavedReport(db: Db, row: NewSavedReportRow): Promise<SavedReportRow> {
  const [saved] = await db.insert(savedReports).values(row).returning();
  return saved;
}

export async function updateSavedReport(db: Db, id: string, patch: Partial<NewSavedReportRow>): Promise<SavedReportRow> {
  const [saved] = await db
    .update(savedReports)
    .set({ ...patch, version: sql`${savedReports.version} + 1` })
    .where(eq(savedReports.id, id))
    .returning();
  return saved;
}

export async function deleteSavedReport(db: Db, id: string): Promise<void> {
  await db.delete(savedReports).where(eq(savedReports.id, id));
}

/** Whether a name is taken by another of the owner's reports (unique per owner). */
export async function savedReportNameTaken(db: Db, ownerId: string, name: string, exceptId?: string): Promise<boolean> {
  const rows = await db
    .select({ id: savedReports.id })
    .from(savedReports)
    .where(and(eq(savedReports.ownerId, ownerId), eq(savedReports.name, name)));
  return rows.some((r) => r.id !== exceptId);
}

/** Of these addresses, the ones that belong to active staff (agents, managers, admins), lower-cased. */
export async function staffAddressesAmong(db: Db, addresses: readonly string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const rows = await db
    .select({ email: sql<string>`lower(${users.email})` })
    .from(users)
    .where(
      and(
        inArray(
          sql`lower(${users.email})`,
          addresses.map((a) => a.toLowerCase()),
        ),
        eq(users.active, true),
        inArray(users.role, ['agent', 'manager', 'admin']),
      ),
    );
  return new Set(rows.map((r) => r.email));
}
