import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { refusedAlertDeliveries } from '../db/schema/index.js';
import { afterKey } from './keyset.js';

export type RefusedDeliveryRow = typeof refusedAlertDeliveries.$inferSelect;
export type NewRefusedDeliveryRow = Omit<typeof refusedAlertDeliveries.$inferInsert, 'id' | 'seq'>;

export async function insertRefusedDelivery(db: Db, row: NewRefusedDeliveryRow): Promise<RefusedDeliveryRow> {
  const [created] = await db.insert(refusedAlertDeliveries).values(row).returning();
  return created;
}

/**
 * Deletes all but the newest `keep` refusals of one integration. The index on (integration, seq)
 * makes this a walk over at most `keep` + a few entries, so it is cheap to run on every insert.
 */
export async function pruneRefusedDeliveries(db: Db, integrationId: string, keep: number): Promise<number> {
  const deleted = await db
    .delete(refusedAlertDeliveries)
    .where(
      and(
        eq(refusedAlertDeliveries.integrationId, integrationId),
        lt(
          refusedAlertDeliveries.seq,
          sql`(SELECT seq FROM refused_alert_deliveries WHERE integration_id = ${integrationId} ORDER BY seq DESC OFFSET ${keep - 1} LIMIT 1)`,
        ),
      ),
    )
    .returning({ id: refusedAlertDeliveries.id });
  return deleted.length;
}

/** Newest first; `beforeSeq` continues after the last row of the previous page. */
export async function listRefusedDeliveries(
  db: Db,
  filter: { integrationId?: string; beforeSeq?: number; limit: number },
): Promise<RefusedDeliveryRow[]> {
  return db
    .select()
    .from(refusedAlertDeliveries)
    .where(
      and(
        filter.integrationId ? eq(refusedAlertDeliveries.integrationId, filter.integrationId) : undefined,
        filter.beforeSeq !== undefined ? afterKey([refusedAlertDeliveries.seq], [filter.beforeSeq], 'desc') : undefined,
      ),
    )
    .orderBy(desc(refusedAlertDeliveries.seq))
    .limit(filter.limit);
}
