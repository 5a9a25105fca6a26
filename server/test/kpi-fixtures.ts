import fs from 'node:fs';
import type { Db } from '../src/db/client.js';
import { MIGRATIONS_FOLDER } from '../src/db/migrate.js';
import { categories, services, slaPolicies, users } from '../src/db/schema/index.js';

/**
 * What the KPI tests (kpis.db, kpi-statement-triggers.db) share: the migrations' backfills, which
 * define what the triggers must keep, and the few rows generated tickets point at.
 */

/**
 * The statements of migration `file` that `pattern` picks out (a backfill, say): the file split
 * at drizzle's breakpoints, as the migrator runs it. Tests run them to compute the definition afresh.
 */
export function migrationStatements(file: string, pattern: RegExp): string[] {
  return fs
    .readFileSync(`${MIGRATIONS_FOLDER}/${file}`, 'utf8')
    .split('--> statement-breakpoint')
    .filter((statement) => pattern.test(statement));
}

/** The rows a generated ticket refers to: its requester, the SLA policy, and two services and categories to choose from. */
export interface KpiDimensions {
  requesterId: string;
  policyId: string;
  serviceIds: string[];
  categoryIds: string[];
}

/** Writes `KpiDimensions` at `at`: a requester `email`, and one policy (on `calendarId`'s hours when given). */
export async function insertKpiDimensions(
  db: Db,
  at: Date,
  options: { email: string; policyName: string; calendarId?: string },
): Promise<KpiDimensions> {
  const [{ id: requesterId }] = await db
    .insert(users)
    .values({ email: options.email, name: 'Kim', role: 'requester', createdAt: at, updatedAt: at })
    .returning();
  const [{ id: policyId }] = await db
    .insert(slaPolicies)
    .values({
      name: options.policyName,
      position: 1,
      match: {},
      calendarId: options.calendarId,
      resolutionMinutes: 480,
      pauseOnHoldReasons: [],
      createdAt: at,
    })
    .returning();
  const serviceIds = (
    await db
      .insert(services)
      .values([
        { name: 'Email', createdAt: at },
        { name: 'VPN', createdAt: at },
      ])
      .returning()
  ).map((s) => s.id);
  const categoryIds = (
    await db
      .insert(categories)
      .values([
        { name: 'Hardware', createdAt: at },
        { name: 'Access', createdAt: at },
      ])
      .returning()
  ).map((c) => c.id);
  return { requesterId, policyId, serviceIds, categoryIds };
}

/** The columns of a generated ticket that no KPI reads: reported by its requester on the portal, local, under `teamId`. */
export function unmeasuredTicketColumns(requesterId: string, teamId: string) {
  return {
    description: '',
    requesterId,
    reportedById: requesterId,
    channel: 'portal' as const,
    impact: 2,
    urgency: 2,
    scope: 'local' as const,
    teamId,
  };
}
