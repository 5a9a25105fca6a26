import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import {
  generatedTicketRows,
  insertKpiDimensions,
  type KpiVersion,
  kpiColumns,
  kpiVersion,
  migrationStatements,
  twinTeams,
} from '../../test/kpi-fixtures.js';
import { type Database, type Db, rowsOf } from '../db/client.js';
import { satisfactionRatings } from '../db/schema/index.js';
import { insertTickets } from './tickets.repository.js';

/**
 * Migration 0070 keeps the KPI rollups and duration histograms per statement: a statement's rows
 * are added up per rollup row and each row upserted once. The dashboard must not depend on how the
 * tickets were written: the same tickets inserted and then changed in one statement each (as an
 * import's batch, or a backfill) give exactly the rollups they give written one statement per
 * ticket (as live work), and both equal the definition: migrations 0058's and 0062's backfill,
 * computed afresh from the tickets as they stand. Each run writes its tickets twice, under two
 * teams of its own, and compares the two teams' rows.
 */
const BACKFILL = [
  ...migrationStatements('0058_kpi_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily/),
  ...migrationStatements('0062_kpi_duration_buckets.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_monthly/),
];
let database: Database;
let requesterId: string;
let policyId: string;
let serviceIds: string[];
let categoryIds: string[];
const BASE = Date.parse('2026-03-01T00:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const now = new Date(BASE);
  ({ requesterId, policyId, serviceIds, categoryIds } = await insertKpiDimensions(db, now, {
    email: 'r@statements.test',
    policyName: 'Any',
  }));
});
afterAll(() => database.close());

/** What a ticket's KPIs read, as generated: once as written, once as changed. */
type Version = KpiVersion;
/** A ticket as written, what it becomes (or null: the change leaves every KPI column alone), and its rating. */
const generatedTicket = fc.record({
  written: kpiVersion,
  changed: fc.option(kpiVersion, { nil: null }),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
});

const columns = (v: Version) => kpiColumns(v, { requesterId, policyId, serviceIds, categoryIds }, BASE);

/** One UPDATE statement for all the given tickets (one array per column). */
async function change(ids: string[], versions: Version[]) {
  const c = versions.map(columns);
  const arr = <T>(f: (x: (typeof c)[number]) => T) =>
    sql.param(
      c.map((x) => {
        const v = f(x);
        return v === null ? null : v instanceof Date ? v.toISOString() : String(v);
      }),
    );
  await database.db.execute(sql`
    UPDATE tickets t SET state = u.state::ticket_state, priority = u.priority::smallint, kind = u.kind::ticket_kind,
      opened_at = u.opened_at::timestamptz, first_response_at = u.first_response_at::timestamptz, resolved_at = u.resolved_at::timestamptz,
      business_acknowledge_ms = u.bam::bigint, business_resolve_ms = u.brm::bigint, reassignment_count = u.rc::int,
      reopen_count = u.oc::int, staff_reply_count = u.sc::int, sla_policy_id = u.policy::uuid, sla_breached = u.breached::boolean,
      service_id = u.service::uuid, category_id = u.category::uuid
    FROM unnest(${sql.param(ids)}::uuid[], ${arr((x) => x.state)}::text[], ${arr((x) => x.priority)}::text[], ${arr((x) => x.kind)}::text[],
      ${arr((x) => x.openedAt)}::text[], ${arr((x) => x.firstResponseAt)}::text[], ${arr((x) => x.resolvedAt)}::text[],
      ${arr((x) => x.businessAcknowledgeMs)}::text[], ${arr((x) => x.businessResolveMs)}::text[], ${arr((x) => x.reassignmentCount)}::text[],
      ${arr((x) => x.reopenCount)}::text[], ${arr((x) => x.staffReplyCount)}::text[], ${arr((x) => x.slaPolicyId)}::text[],
      ${arr((x) => x.slaBreached)}::text[], ${arr((x) => x.serviceId)}::text[], ${arr((x) => x.categoryId)}::text[])
      AS u(id, state, priority, kind, opened_at, first_response_at, resolved_at, bam, brm, rc, oc, sc, policy, breached, service, category)
    WHERE t.id = u.id`);
}

/** A team's rows of every rollup and histogram that count something, with the team left out. */
async function rowsOfTeam(teamId: string, db: Db = database.db) {
  const out: Record<string, string[]> = {};
  for (const table of [
    'kpi_daily_team_rollups',
    'kpi_daily_rollups',
    'kpi_monthly_team_duration_buckets',
    'kpi_monthly_duration_buckets',
  ]) {
    const rows = rowsOf<{ row: Record<string, unknown> }>(
      await db.execute(sql.raw(`SELECT to_jsonb(r) - 'team_id' AS row FROM ${table} r WHERE team_id = '${teamId}'`)),
    );
    out[table] = rows
      .map(({ row }) => row)
      // Rows brought back to zero are left in place; they count nothing.
      .filter((row) => Object.entries(row).some(([k, v]) => typeof v === 'number' && v !== 0 && !['priority', 'bucket'].includes(k)))
      .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Number(v) : v]))))
      .sort();
  }
  return out;
}

class RolledBack extends Error {}

/** The team's rows as the backfill computes them from the tickets (in a transaction rolled back). */
async function backfilled(teamId: string) {
  let rows: Awaited<ReturnType<typeof rowsOfTeam>> | undefined;
  await database.db
    .transaction(async (tx) => {
      for (const table of [
        'kpi_daily_team_rollups',
        'kpi_daily_rollups',
        'kpi_monthly_team_duration_buckets',
        'kpi_monthly_duration_buckets',
      ])
        await tx.execute(sql.raw(`DELETE FROM ${table}`));
      for (const statement of BACKFILL) await tx.execute(sql.raw(statement));
      rows = await rowsOfTeam(teamId, tx);
      throw new RolledBack();
    })
    .catch((err) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  return rows;
}

let run = 0;
async function writeBothWays(generated: (typeof generatedTicket extends fc.Arbitrary<infer T> ? T : never)[]) {
  run++;
  const db = database.db;
  const at = new Date(BASE);
  const [byStatement, byRow] = await twinTeams(db, [`Statements ${run}`, `Rows ${run}`], at);
  const rowsFor = (teamId: string, prefix: string) =>
    generatedTicketRows(generated, { dimensions: { requesterId, policyId, serviceIds, categoryIds }, base: BASE, teamId, prefix, run, at });
  const many = rowsFor(byStatement.id, 'S');
  const one = rowsFor(byRow.id, 'R');
  await insertTickets(db, many);
  for (const row of one) await insertTickets(db, [row]);
  // Ratings move with their ticket's dimensions when it changes.
  const rated = generated.flatMap((g, i) =>
    g.rating === null
      ? []
      : [many[i], one[i]].map((t) => ({
          ticketId: t.id,
          userId: requesterId,
          rating: g.rating as number,
          answeredAt: t.openedAt,
          changedAt: t.openedAt,
        })),
  );
  if (rated.length > 0) await db.insert(satisfactionRatings).values(rated);
  // The change: each ticket its new KPI columns, or (null) only its title, which no KPI reads.
  const changed = generated.map((g, i) => ({ g, i })).filter(({ g }) => g.changed !== null);
  if (changed.length > 0)
    await change(
      changed.map(({ i }) => many[i].id),
      changed.map(({ g }) => g.changed as Version),
    );
  await db.execute(sql`UPDATE tickets SET title = title || ' (seen)' WHERE team_id = ${byStatement.id}`);
  for (const { g, i } of changed) await change([one[i].id], [g.changed as Version]);
  for (const row of one) await db.execute(sql`UPDATE tickets SET title = title || ' (seen)' WHERE id = ${row.id}`);
  return { statement: await rowsOfTeam(byStatement.id), rows: await rowsOfTeam(byRow.id), defined: await backfilled(byStatement.id) };
}

describe('KPI rollups kept per statement', () => {
  it('a multi-row insert and update give the same rollups and histograms as the same changes row by row, and as the definition', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(generatedTicket, { minLength: 1, maxLength: 25 }), async (generated) => {
        const { statement, rows, defined } = await writeBothWays(generated);
        expect(statement).toEqual(rows);
        expect(statement).toEqual(defined);
      }),
      {
        numRuns: 12,
        examples: [
          // Two tickets in one rollup row moving apart, one resolved, one answered, both rated.
          [
            [
              {
                written: {
                  state: 'in_progress',
                  priority: 3,
                  openedMinute: 10,
                  acknowledgedAfter: null,
                  resolvedAfter: 60,
                  businessMs: null,
                  reassignmentCount: 0,
                  reopenCount: 0,
                  staffReplyCount: 0,
                  underPolicy: true,
                  breached: false,
                  service: 0,
                  category: 0,
                  kind: 'incident',
                },
                changed: {
                  state: 'resolved',
                  priority: 3,
                  openedMinute: 10,
                  acknowledgedAfter: 5,
                  resolvedAfter: 60,
                  businessMs: 3_600_000,
                  reassignmentCount: 1,
                  reopenCount: 0,
                  staffReplyCount: 1,
                  underPolicy: true,
                  breached: true,
                  service: 0,
                  category: 0,
                  kind: 'incident',
                },
                rating: 4,
              },
              {
                written: {
                  state: 'in_progress',
                  priority: 3,
                  openedMinute: 20,
                  acknowledgedAfter: null,
                  resolvedAfter: 60,
                  businessMs: null,
                  reassignmentCount: 0,
                  reopenCount: 0,
                  staffReplyCount: 0,
                  underPolicy: true,
                  breached: false,
                  service: 0,
                  category: 0,
                  kind: 'incident',
                },
                changed: {
                  state: 'on_hold',
                  priority: 1,
                  openedMinute: 20,
                  acknowledgedAfter: 30,
                  resolvedAfter: 60,
                  businessMs: 1000,
                  reassignmentCount: 0,
                  reopenCount: 0,
                  staffReplyCount: 1,
                  underPolicy: false,
                  breached: false,
                  service: 1,
                  category: 1,
                  kind: 'service_request',
                },
                rating: 2,
              },
              {
                written: {
                  state: 'closed',
                  priority: 2,
                  openedMinute: 30,
                  acknowledgedAfter: 1,
                  resolvedAfter: 600,
                  businessMs: 500,
                  reassignmentCount: 0,
                  reopenCount: 0,
                  staffReplyCount: 1,
                  underPolicy: true,
                  breached: false,
                  service: 1,
                  category: 0,
                  kind: 'incident',
                },
                changed: null,
                rating: null,
              },
            ],
          ],
        ],
      },
    );
  }, 300_000);
});
