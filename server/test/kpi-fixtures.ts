import fs from 'node:fs';
import fc from 'fast-check';
import { TICKET_STATES } from '../../core/vocabulary.js';
import type { Db } from '../src/db/client.js';
import { MIGRATIONS_FOLDER } from '../src/db/migrate.js';
import { categories, services, slaPolicies, teams, users } from '../src/db/schema/index.js';

/**
 * What the KPI tests (kpis.db, kpi-statement-triggers.db, kpi-deferred-rollups.db) share: the migrations' backfills, which
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

/**
 * The set-up of the properties that write the same generated tickets two ways and compare the
 * rollups: two teams made at `at`, and each generated ticket (its `written` version) as a row of
 * a team, numbered `${prefix}${run}-${i}`.
 */
export async function twinTeams(db: Db, names: [string, string], at: Date) {
  const [first, second] = await db
    .insert(teams)
    .values(names.map((name) => ({ name, createdAt: at })))
    .returning();
  return [first, second] as const;
}

export function generatedTicketRows(
  generated: readonly { written: KpiVersion }[],
  options: { dimensions: KpiDimensions; base: number; teamId: string; prefix: string; run: number; at: Date },
) {
  return generated.map((g, i) => ({
    ...unmeasuredTicketColumns(options.dimensions.requesterId, options.teamId),
    id: crypto.randomUUID(),
    number: `${options.prefix}${options.run}-${i}`,
    title: `Ticket ${i}`,
    updatedAt: options.at,
    ...kpiColumns(g.written, options.dimensions, options.base),
  }));
}

const MINUTE = 60_000;

/** What a ticket's KPIs read, generated: state, priority, times (minutes after a base), counters, policy, service and category (indexes into `KpiDimensions`). */
export const kpiVersion = fc.record({
  state: fc.oneof(fc.constantFrom(...TICKET_STATES), fc.constantFrom('resolved' as const, 'closed' as const)),
  priority: fc.integer({ min: 1, max: 5 }),
  openedMinute: fc.integer({ min: 0, max: 60 * 24 * 60 }),
  acknowledgedAfter: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
  resolvedAfter: fc.integer({ min: 1, max: 40 * 24 * 60 }),
  businessMs: fc.option(fc.integer({ min: 0, max: 10 ** 9 }), { nil: null }),
  reassignmentCount: fc.integer({ min: 0, max: 2 }),
  reopenCount: fc.integer({ min: 0, max: 1 }),
  staffReplyCount: fc.integer({ min: 0, max: 2 }),
  underPolicy: fc.boolean(),
  breached: fc.boolean(),
  service: fc.integer({ min: 0, max: 1 }),
  category: fc.integer({ min: 0, max: 1 }),
  kind: fc.constantFrom('incident' as const, 'service_request' as const),
});
export type KpiVersion = typeof kpiVersion extends fc.Arbitrary<infer T> ? T : never;

/** The ticket columns a generated version stands for, its minutes counted from `base` (ms since the epoch). */
export function kpiColumns(v: KpiVersion, dimensions: KpiDimensions, base: number) {
  const openedAt = new Date(base + v.openedMinute * MINUTE);
  const resolved = v.state === 'resolved' || v.state === 'closed';
  return {
    state: v.state,
    priority: v.priority,
    kind: v.kind,
    openedAt,
    firstResponseAt: v.acknowledgedAfter === null ? null : new Date(openedAt.getTime() + v.acknowledgedAfter * MINUTE),
    resolvedAt: resolved ? new Date(openedAt.getTime() + v.resolvedAfter * MINUTE) : null,
    businessAcknowledgeMs: v.acknowledgedAfter === null ? null : v.businessMs,
    businessResolveMs: resolved ? v.businessMs : null,
    reassignmentCount: v.reassignmentCount,
    reopenCount: v.reopenCount,
    staffReplyCount: v.staffReplyCount,
    slaPolicyId: v.underPolicy ? dimensions.policyId : null,
    slaBreached: v.breached,
    serviceId: dimensions.serviceIds[v.service],
    categoryId: dimensions.categoryIds[v.category],
  };
}
