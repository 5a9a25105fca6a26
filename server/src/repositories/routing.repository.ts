import { and, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { categories, jobs, routingModels, services, teams, tickets } from '../db/schema/index.js';

export type RoutingModelRow = typeof routingModels.$inferSelect;
export type NewRoutingModelRow = typeof routingModels.$inferInsert;

/** What the router learns from: each resolved or closed ticket's text and where it went. */
export interface TrainingTicket {
  title: string;
  description: string;
  serviceName: string | null;
  teamId: string | null;
  categoryId: string | null;
}

/** The newest resolved tickets with a team or a category, at most `limit`. */
export async function listTrainingTickets(db: Db, limit: number): Promise<TrainingTicket[]> {
  return db
    .select({
      title: tickets.title,
      description: tickets.description,
      serviceName: services.name,
      teamId: tickets.teamId,
      categoryId: tickets.categoryId,
    })
    .from(tickets)
    .leftJoin(services, eq(services.id, tickets.serviceId))
    .where(and(inArray(tickets.state, ['resolved', 'closed']), or(isNotNull(tickets.teamId), isNotNull(tickets.categoryId))))
    .orderBy(desc(tickets.resolvedAt), desc(tickets.id))
    .limit(limit);
}

export async function insertRoutingModel(db: Db, row: NewRoutingModelRow): Promise<RoutingModelRow> {
  const [inserted] = await db.insert(routingModels).values(row).returning();
  return inserted;
}

const summaryColumns = {
  id: routingModels.id,
  status: routingModels.status,
  format: routingModels.format,
  reason: routingModels.reason,
  evaluation: routingModels.evaluation,
  trainedAt: routingModels.trainedAt,
};
export type RoutingModelSummary = Pick<RoutingModelRow, keyof typeof summaryColumns>;

/** The newest run without its weights: cheap enough to ask on every suggestion. */
export async function findLatestRoutingModelSummary(db: Db): Promise<RoutingModelSummary | undefined> {
  const [row] = await db.select(summaryColumns).from(routingModels).orderBy(desc(routingModels.trainedAt), desc(routingModels.id)).limit(1);
  return row;
}

export async function findRoutingModel(db: Db, id: string): Promise<RoutingModelRow | undefined> {
  const [row] = await db.select().from(routingModels).where(eq(routingModels.id, id));
  return row;
}

/** Whether a training job of this kind waits or runs. */
export async function hasUnfinishedJobOfKind(db: Db, kind: string): Promise<boolean> {
  const [row] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, kind), inArray(jobs.state, ['pending', 'running'])))
    .limit(1);
  return row !== undefined;
}

export async function findServiceName(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db.select({ name: services.name }).from(services).where(eq(services.id, id));
  return row?.name;
}

/** Current names of teams and categories by id (a renamed team shows its new name), in one round trip. */
export async function namesOfTeamsAndCategories(db: Db): Promise<{ teams: Map<string, string>; categories: Map<string, string> }> {
  const rows = await db
    .select({ kind: sql<string>`'team'`.as('kind'), id: teams.id, name: teams.name })
    .from(teams)
    .unionAll(db.select({ kind: sql<string>`'category'`.as('kind'), id: categories.id, name: categories.name }).from(categories));
  const result = { teams: new Map<string, string>(), categories: new Map<string, string>() };
  for (const row of rows) (row.kind === 'team' ? result.teams : result.categories).set(row.id, row.name);
  return result;
}
