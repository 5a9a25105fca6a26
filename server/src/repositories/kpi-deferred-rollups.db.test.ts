import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import {
  generatedTicketRows,
  insertKpiDimensions,
  type KpiDimensions,
  type KpiVersion,
  kpiColumns,
  kpiVersion,
  twinTeams,
} from '../../test/kpi-fixtures.js';
import { backfilledRollupRows, ROLLUP_TABLES, rollupRows } from '../../test/rollups.js';
import type { Database } from '../db/client.js';
import { satisfactionRatings, teams } from '../db/schema/index.js';
import { countPendingRollups, deferRollups, drainPendingRollups } from './kpi-pending.repository.js';
import { insertTickets } from './tickets.repository.js';

/**
 * Migration 0074: a transaction that defers its rollups (as an import's batches do) lists its new
 * tickets as pending and counts none of them; changes, ratings and deletions of a listed ticket are
 * left out too; the drain then counts each as it stands. The dashboard must not depend on it: the
 * same tickets written live (per statement, migration 0070) and written deferred then drained give
 * the same rows in every rollup (daily, by team and by every dimension; duration histograms; the
 * quarter-hour running totals of 0071), and both equal the backfill definitions of 0058, 0062, 0071.
 */
let database: Database;
let dimensions: KpiDimensions;
const BASE = Date.parse('2026-03-01T00:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  dimensions = await insertKpiDimensions(database.db, new Date(BASE), { email: 'r@deferred.test', policyName: 'Any' });
});
afterAll(() => database.close());

type Version = KpiVersion;
/** A ticket as written, what it becomes (null: untouched), its rating, and whether it is deleted (unrated ones only). */
const generatedTicket = fc.record({
  written: kpiVersion,
  changed: fc.option(kpiVersion, { nil: null }),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  deleted: fc.boolean(),
});
type Generated = typeof generatedTicket extends fc.Arbitrary<infer T> ? T : never;

const columns = (v: Version) => kpiColumns(v, dimensions, BASE);

/** One UPDATE statement per ticket, as live work changes them. */
async function change(id: string, v: Version) {
  const c = columns(v);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  await database.db.execute(sql`
    UPDATE tickets SET state = ${c.state}::ticket_state, priority = ${c.priority}, kind = ${c.kind}::ticket_kind,
      opened_at = ${iso(c.openedAt)}::timestamptz, first_response_at = ${iso(c.firstResponseAt)}::timestamptz,
      resolved_at = ${iso(c.resolvedAt)}::timestamptz, business_acknowledge_ms = ${c.businessAcknowledgeMs}::bigint,
      business_resolve_ms = ${c.businessResolveMs}::bigint, reassignment_count = ${c.reassignmentCount},
      reopen_count = ${c.reopenCount}, staff_reply_count = ${c.staffReplyCount}, sla_policy_id = ${c.slaPolicyId}::uuid,
      sla_breached = ${c.slaBreached}, service_id = ${c.serviceId}::uuid, category_id = ${c.categoryId}::uuid
    WHERE id = ${id}`);
}

const rowsOfTeam = (teamId: string) => rollupRows(database.db, teamId);
const backfilled = (teamId: string) => backfilledRollupRows(database.db, teamId);

const nothing = Object.fromEntries(ROLLUP_TABLES.map((t) => [t, []]));

let run = 0;
async function writeLiveAndDeferred(generated: Generated[]) {
  run++;
  const db = database.db;
  const at = new Date(BASE);
  const [live, deferred] = await twinTeams(db, [`Live ${run}`, `Deferred ${run}`], at);
  const rowsFor = (teamId: string, prefix: string) => generatedTicketRows(generated, { dimensions, base: BASE, teamId, prefix, run, at });
  const liveRows = rowsFor(live.id, 'L');
  const deferredRows = rowsFor(deferred.id, 'D');
  await insertTickets(db, liveRows);
  // As an import's batch: one transaction that defers, committed; nothing drained yet.
  await db.transaction(async (tx) => {
    await deferRollups(tx);
    await insertTickets(tx, deferredRows);
  });
  const pendingAfterInsert = await countPendingRollups(db);
  const deferredBeforeDrain: Record<string, string[]>[] = [await rowsOfTeam(deferred.id)];
  // Live work on both sets while the deferred tickets are still listed: ratings, changes, deletions.
  const rated = generated.flatMap((g, i) =>
    g.rating === null
      ? []
      : [liveRows[i], deferredRows[i]].map((t) => ({
          ticketId: t.id,
          userId: dimensions.requesterId,
          rating: g.rating as number,
          answeredAt: t.openedAt,
          changedAt: t.openedAt,
        })),
  );
  if (rated.length > 0) await db.insert(satisfactionRatings).values(rated);
  for (const [i, g] of generated.entries()) {
    if (g.changed === null) continue;
    await change(liveRows[i].id, g.changed);
    await change(deferredRows[i].id, g.changed);
  }
  const gone = generated.flatMap((g, i) => (g.deleted && g.rating === null ? [liveRows[i].id, deferredRows[i].id] : []));
  if (gone.length > 0) await db.execute(sql`DELETE FROM tickets WHERE id = ANY(${sql.param(gone)}::uuid[])`);
  deferredBeforeDrain.push(await rowsOfTeam(deferred.id));
  const drained = await drainPendingRollups(db, 1_000_000);
  return {
    pendingAfterInsert,
    drained,
    deferredBeforeDrain,
    live: await rowsOfTeam(live.id),
    deferred: await rowsOfTeam(deferred.id),
    defined: await backfilled(deferred.id),
    pendingAfterDrain: await countPendingRollups(db),
  };
}

describe('KPI rollups deferred by an import and drained at its end (migration 0074)', () => {
  it('count nothing of the listed tickets until drained, then exactly what live writing and the backfill definitions count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(generatedTicket, { minLength: 1, maxLength: 15 }), async (generated) => {
        const r = await writeLiveAndDeferred(generated);
        expect(r.pendingAfterInsert).toBe(generated.length);
        expect(r.deferredBeforeDrain).toEqual([nothing, nothing]);
        expect(r.drained).toBe(generated.length);
        expect(r.pendingAfterDrain).toBe(0);
        expect(r.deferred).toEqual(r.live);
        expect(r.deferred).toEqual(r.defined);
      }),
      { numRuns: 6 },
    );
    // Six generated desks, each written twice and compared with the backfill, on a busy machine.
  }, 300_000);

  it('a drained ticket is counted by the triggers again: its next change moves it, not adds it twice', async () => {
    const [team] = await database.db
      .insert(teams)
      .values({ name: 'After drain', createdAt: new Date(BASE) })
      .returning();
    const g = fc.sample(kpiVersion, { numRuns: 2, seed: 7 });
    const id = crypto.randomUUID();
    await database.db.transaction(async (tx) => {
      await deferRollups(tx);
      await insertTickets(tx, [
        {
          id,
          number: 'AFTER-1',
          title: 'After',
          description: '',
          requesterId: dimensions.requesterId,
          reportedById: dimensions.requesterId,
          channel: 'portal',
          impact: 2,
          urgency: 2,
          scope: 'local',
          teamId: team.id,
          updatedAt: new Date(BASE),
          ...columns(g[0]),
        },
      ]);
    });
    await drainPendingRollups(database.db, 1000);
    await change(id, g[1]);
    expect(await rowsOfTeam(team.id)).toEqual(await backfilled(team.id));
  });
});
