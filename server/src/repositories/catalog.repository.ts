import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { categories, serviceDependencies, services } from '../db/schema/index.js';

export type ServiceRow = typeof services.$inferSelect;
export type NewServiceRow = typeof services.$inferInsert;
export type CategoryRow = typeof categories.$inferSelect;
export type NewCategoryRow = typeof categories.$inferInsert;
export type DependencyEdge = { serviceId: string; dependsOnId: string };

export async function insertService(db: Db, row: NewServiceRow): Promise<ServiceRow> {
  const [created] = await db.insert(services).values(row).returning();
  return created;
}

export async function findServiceById(db: Db, id: string): Promise<ServiceRow | undefined> {
  const [row] = await db.select().from(services).where(eq(services.id, id));
  return row;
}

export async function listServices(db: Db): Promise<ServiceRow[]> {
  return db
    .select()
    .from(services)
    .orderBy(asc(sql`lower(${services.name})`));
}

export async function updateService(db: Db, id: string, patch: Partial<NewServiceRow>): Promise<ServiceRow | undefined> {
  // Nothing to change on the row itself (e.g. only members or dependencies changed).
  if (Object.keys(patch).length === 0) {
    const [current] = await db.select().from(services).where(eq(services.id, id));
    return current;
  }
  const [row] = await db.update(services).set(patch).where(eq(services.id, id)).returning();
  return row;
}

export async function listDependencyEdges(db: Db): Promise<DependencyEdge[]> {
  return db.select().from(serviceDependencies);
}

export async function replaceDependencies(db: Db, serviceId: string, dependsOnIds: string[]): Promise<void> {
  await db.delete(serviceDependencies).where(eq(serviceDependencies.serviceId, serviceId));
  if (dependsOnIds.length > 0) {
    await db.insert(serviceDependencies).values(dependsOnIds.map((dependsOnId) => ({ serviceId, dependsOnId })));
  }
}

export async function insertCategory(db: Db, row: NewCategoryRow): Promise<CategoryRow> {
  const [created] = await db.insert(categories).values(row).returning();
  return created;
}

export async function findCategoryById(db: Db, id: string): Promise<CategoryRow | undefined> {
  const [row] = await db.select().from(categories).where(eq(categories.id, id));
  return row;
}

export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db
    .select()
    .from(categories)
    .orderBy(asc(sql`lower(${categories.name})`));
}

export async function updateCategory(db: Db, id: string, patch: Partial<NewCategoryRow>): Promise<CategoryRow | undefined> {
  // Nothing to change on the row itself (e.g. only members or dependencies changed).
  if (Object.keys(patch).length === 0) {
    const [current] = await db.select().from(categories).where(eq(categories.id, id));
    return current;
  }
  const [row] = await db.update(categories).set(patch).where(eq(categories.id, id)).returning();
  return row;
}
