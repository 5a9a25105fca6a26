import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import {
  generatedTicketRows,
  insertKpiDimensions,
  type KpiDimensions,
  kpiColumns,
  kpiVersion,
  twinTeams,
} from '../../test/kpi-fixtures.js';
import { DIMENSION_ROLLUP_TABLES, definedDimensionRollupRows, dimensionRollupRows } from '../../test/rollups.js';
import type { Database } from '../db/client.js';
import { satisfactionRatings } from '../db/schema/index.js';
import { countPendingRollups, deferRollups, drainPendingRollups } from './kpi-pending.repository.js';
import { insertTickets } from './tickets.repository.js';

/**
 * Migration 0082: the small rollups by slice (the whole desk, one service, one category, by
 * priority and kind) kept by their own triggers equal their definition — the rollups by every
 * dimension summed per slice, and, once nothing is pending, the same computed afresh from the
 * tickets — after live inserts (several tickets a statement), changes (one ticket a statement and
 * many), ratings given, changed and taken back, deletions, and an import's deferred insert whose
 * tickets are changed, rated and deleted while still listed, then drained (migration 0074's
 * contract). A ticket with a subcategory other than its category counts under both.
 */
let database: Database;
let dimensions: KpiDimensions;
const BASE = Date.parse('2026-03-01T00:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  dimensions = await insertKpiDimensions(database.db, new Date(BASE), { email: 'r@slices.test', policyName: 'Any' });
});
afterAll(() => database.close());

const subcategory = fc.option(fc.integer({ min: 0, max: 1 }), { nil: null });
const generatedTicket = fc.record({
  written: kpiVersion,
  writtenSubcategory: subcategory,
  changed: fc.option(fc.record({ version: kpiVersion, subcategory }), { nil: null }),
  imported: fc.boolean(),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  rerated: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  unrated: fc.boolean(),
  deleted: fc.boolean(),
});
type Generated = typeof generatedTicket extends fc.Arbitrary<infer T> ? T : never;

const subcategoryId = (s: number | null) => (s === null ? null : dimensions.categoryIds[s]);

/** One UPDATE statement per ticket, as live work changes them. */
async function change(id: string, c: NonNullable<Generated['changed']>) {
  const v = kpiColumns(c.version, dimensions, BASE);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  await database.db.execute(sql`
    UPDATE tickets SET state = ${v.state}::ticket_state, priority = ${v.priority}, kind = ${v.kind}::ticket_kind,
      opened_at = ${iso(v.openedAt)}::timestamptz, first_response_at = ${iso(v.firstResponseAt)}::timestamptz,
      resolved_at = ${iso(v.resolvedAt)}::timestamptz, business_acknowledge_ms = ${v.businessAcknowledgeMs}::bigint,
      business_resolve_ms = ${v.businessResolveMs}::bigint, reassignment_count = ${v.reassignmentCount},
      reopen_count = ${v.reopenCount}, staff_reply_count = ${v.staffReplyCount}, sla_policy_id = ${v.slaPolicyId}::uuid,
      sla_breached = ${v.slaBreached}, service_id = ${v.serviceId}::uuid, category_id = ${v.categoryId}::uuid,
      subcategory_id = ${subcategoryId(c.subcategory)}::uuid
    WHERE id = ${id}`);
}

let run = 0;
async function writeAndDrain(generated: Generated[]) {
  run++;
  const db = database.db;
  const at = new Date(BASE);
  const [team] = await twinTeams(db, [`Slices ${run}`, `Slices ${run} (unused)`], at);
  const rows = generatedTicketRows(generated, { dimensions, base: BASE, teamId: team.id, prefix: 'S', run, at }).map((r, i) => ({
    ...r,
    subcategoryId: subcategoryId(generated[i].writtenSubcategory),
  }));
  const ids = rows.map((r) => r.id);
  // Live: one multi-row statement. Imported: one transaction that defers, committed, not drained yet.
  await insertTickets(
    db,
    rows.filter((_, i) => !generated[i].imported),
  );
  await db.transaction(async (tx) => {
    await deferRollups(tx);
    await insertTickets(
      tx,
      rows.filter((_, i) => generated[i].imported),
    );
  });
  const rated = generated.flatMap((g, i) =>
    g.rating === null
      ? []
      : [{ ticketId: ids[i], userId: dimensions.requesterId, rating: g.rating, answeredAt: rows[i].openedAt, changedAt: rows[i].openedAt }],
  );
  if (rated.length > 0) await db.insert(satisfactionRatings).values(rated);
  for (const [i, g] of generated.entries()) if (g.changed) await change(ids[i], g.changed);
  // Many tickets in one statement: every ticket of the run moves to the next priority.
  await db.execute(sql`UPDATE tickets SET priority = priority % 5 + 1 WHERE id = ANY(${sql.param(ids)}::uuid[])`);
  for (const [i, g] of generated.entries()) {
    if (g.rating === null) continue;
    if (g.unrated || g.deleted) await db.execute(sql`DELETE FROM satisfaction_ratings WHERE ticket_id = ${ids[i]}`);
    else if (g.rerated !== null) await db.execute(sql`UPDATE satisfaction_ratings SET rating = ${g.rerated} WHERE ticket_id = ${ids[i]}`);
  }
  const gone = ids.filter((_, i) => generated[i].deleted);
  if (gone.length > 0) await db.execute(sql`DELETE FROM tickets WHERE id = ANY(${sql.param(gone)}::uuid[])`);
  const beforeDrain = { kept: await dimensionRollupRows(db), defined: await definedDimensionRollupRows(db, 'rollups') };
  await drainPendingRollups(db, 1_000_000);
  return {
    beforeDrain,
    kept: await dimensionRollupRows(db),
    fromRollups: await definedDimensionRollupRows(db, 'rollups'),
    fromTickets: await definedDimensionRollupRows(db, 'tickets'),
    pending: await countPendingRollups(db),
  };
}

describe('the small KPI rollups by slice (migration 0082)', () => {
  it('equal the rollups by every dimension summed per slice, and the tickets, over live work and a drained import', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(generatedTicket, { minLength: 1, maxLength: 12 }), async (generated) => {
        const r = await writeAndDrain(generated);
        // While an import's tickets are listed, the slices leave them out as every other rollup does.
        expect(r.beforeDrain.kept).toEqual(r.beforeDrain.defined);
        expect(r.pending).toBe(0);
        expect(r.kept).toEqual(r.fromRollups);
        expect(r.kept).toEqual(r.fromTickets);
      }),
      { numRuns: 5 },
    );
    const kept = await dimensionRollupRows(database.db);
    // Every table holds rows, and the desk, services and categories all have some.
    for (const table of DIMENSION_ROLLUP_TABLES) expect(kept[table].length, table).toBeGreaterThan(0);
    for (const dimension of ['desk', 'service', 'category'])
      expect(
        kept.kpi_daily_dimension_rollups.some((row) => row.includes(`"dimension":"${dimension}"`)),
        dimension,
      ).toBe(true);
  }, 300_000);
});
