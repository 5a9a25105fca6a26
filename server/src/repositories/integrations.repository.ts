import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { preparedPerDb } from '../db/prepared.js';
import { integrations } from '../db/schema/index.js';

export type IntegrationRow = typeof integrations.$inferSelect;
export type NewIntegrationRow = typeof integrations.$inferInsert;

export async function insertIntegration(db: Db, row: NewIntegrationRow): Promise<IntegrationRow> {
  const [created] = await db.insert(integrations).values(row).returning();
  return created;
}

export async function listIntegrations(db: Db): Promise<IntegrationRow[]> {
  return db.select().from(integrations).orderBy(asc(integrations.createdAt), asc(integrations.id));
}

export async function findIntegrationById(db: Db, id: string): Promise<IntegrationRow | undefined> {
  const [row] = await db.select().from(integrations).where(eq(integrations.id, id));
  return row;
}

/** Several integrations by id, in one query (the group commit re-reads a batch's integrations). */
export async function findIntegrationsByIds(db: Db, ids: readonly string[]): Promise<Map<string, IntegrationRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(integrations)
    .where(inArray(integrations.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r]));
}

const byTokenQuery = preparedPerDb((db) =>
  db
    .select()
    .from(integrations)
    .where(and(eq(integrations.tokenHash, sql.placeholder('tokenHash')), isNull(integrations.revokedAt)))
    .prepare('integration_by_token'),
);

/** The live integration whose token has this SHA-256: one indexed query per alert request. */
export async function findLiveIntegrationByTokenHash(db: Db, tokenHash: string): Promise<IntegrationRow | undefined> {
  const [row] = await byTokenQuery(db).execute({ tokenHash });
  return row;
}

/** Undefined when there is no such integration, or (with `atVersion`) when it is no longer at that version. */
export async function updateIntegration(
  db: Db,
  id: string,
  patch: Partial<NewIntegrationRow>,
  atVersion?: number,
): Promise<IntegrationRow | undefined> {
  const [row] = await db
    .update(integrations)
    .set(patch)
    .where(and(eq(integrations.id, id), atVersion === undefined ? undefined : eq(integrations.version, atVersion)))
    .returning();
  return row;
}

/**
 * At most once a minute, so a busy integration does not write its row on every alert; no
 * statement at all when the row the caller read says it was touched less than a minute ago.
 */
export async function touchIntegration(db: Db, integration: Pick<IntegrationRow, 'id' | 'lastAlertAt'>, now: Date): Promise<void> {
  const { id, lastAlertAt } = integration;
  if (lastAlertAt && now.getTime() - lastAlertAt.getTime() < 60_000) return;
  await db
    .update(integrations)
    .set({ lastAlertAt: now })
    .where(
      and(eq(integrations.id, id), or(isNull(integrations.lastAlertAt), lt(integrations.lastAlertAt, new Date(now.getTime() - 60_000)))),
    );
}
