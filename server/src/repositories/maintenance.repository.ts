import { and, asc, desc, eq, gte, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { maintenanceUpdates, maintenanceWindows } from '../db/schema/index.js';

export type MaintenanceRow = typeof maintenanceWindows.$inferSelect;
export type MaintenanceUpdateRow = typeof maintenanceUpdates.$inferSelect;

export async function insertMaintenance(db: Db, row: typeof maintenanceWindows.$inferInsert): Promise<MaintenanceRow> {
  const [inserted] = await db.insert(maintenanceWindows).values(row).returning();
  return inserted;
}

export async function findMaintenance(db: Db, id: string): Promise<MaintenanceRow | undefined> {
  const [row] = await db.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, id));
  return row;
}

/** The window, locked for the rest of the transaction: its editors and its timers queue here. */
export async function lockMaintenance(db: Db, id: string): Promise<MaintenanceRow | undefined> {
  const [row] = await db.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, id)).for('update');
  return row;
}

export async function updateMaintenance(
  db: Db,
  id: string,
  patch: Partial<Omit<typeof maintenanceWindows.$inferInsert, 'id' | 'createdAt' | 'createdById'>>,
): Promise<MaintenanceRow> {
  const [row] = await db.update(maintenanceWindows).set(patch).where(eq(maintenanceWindows.id, id)).returning();
  return row;
}

export async function insertMaintenanceUpdate(db: Db, row: typeof maintenanceUpdates.$inferInsert): Promise<MaintenanceUpdateRow> {
  const [inserted] = await db.insert(maintenanceUpdates).values(row).returning();
  return inserted;
}

export async function findMaintenanceUpdate(
  db: Db,
  id: string,
): Promise<{ update: MaintenanceUpdateRow; window: MaintenanceRow } | undefined> {
  const [row] = await db
    .select({ update: maintenanceUpdates, window: maintenanceWindows })
    .from(maintenanceUpdates)
    .innerJoin(maintenanceWindows, eq(maintenanceWindows.id, maintenanceUpdates.maintenanceId))
    .where(eq(maintenanceUpdates.id, id));
  return row;
}

/**
 * The windows the page and the desk show: every one not over yet, and those that ended (or
 * were cancelled) since `since`, soonest first.
 */
export async function listMaintenance(db: Db, since: Date): Promise<MaintenanceRow[]> {
  return db
    .select()
    .from(maintenanceWindows)
    .where(
      or(
        inArray(maintenanceWindows.state, ['scheduled', 'in_progress']),
        gte(maintenanceWindows.endsAt, since),
        gte(maintenanceWindows.updatedAt, since),
      ),
    )
    .orderBy(asc(maintenanceWindows.startsAt))
    .limit(500);
}

/** The windows' news, newest first. */
export async function listMaintenanceUpdates(db: Db, maintenanceIds: string[]): Promise<MaintenanceUpdateRow[]> {
  if (maintenanceIds.length === 0) return [];
  return db
    .select()
    .from(maintenanceUpdates)
    .where(and(inArray(maintenanceUpdates.maintenanceId, maintenanceIds)))
    .orderBy(desc(maintenanceUpdates.at), desc(maintenanceUpdates.id));
}
