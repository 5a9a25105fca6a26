import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekdayCalendar } from '../../../core/business-calendar.js';
import { KPI_IDS } from '../../../core/kpis/catalogue.js';
import { computeKpi } from '../../../core/kpis/compute.js';
import { DURATION_BUCKET_BOUNDS_MS, durationBucket } from '../../../core/kpis/duration-buckets.js';
import { type KpiFilter, type KpiTicket, matchesFilter } from '../../../core/kpis/kpi-ticket.js';
import { TICKET_STATES } from '../../../core/vocabulary.js';
import { createTestDatabase } from '../../test/database.js';
import { insertKpiDimensions, migrationStatements, unmeasuredTicketColumns } from '../../test/kpi-fixtures.js';
import { type Database, rowsOf } from '../db/client.js';
import { businessCalendars, satisfactionRatings, teams, tickets, timelineEvents } from '../db/schema/index.js';
import { computeKpiSql } from '../services/reports.service.js';

/**
 * The reports' SQL equals the KPI definitions in core/kpis on generated tickets: every KPI, with
 * random filters, periods and time zones. Each run writes its tickets under a team of its own and
 * reports on that team, so runs never see each other's tickets.
 *
 * The tickets are written as an old database held them — timelines with breach notes, no KPI facts
 * on the row — and migration 0051's backfill fills the facts (the breach flag, business hours walked
 * through the Paris calendar in SQL, across a holiday and the March DST change); the reports then
 * aggregate those facts. So the backfill is checked against core's calendar walk too. (The pipeline
 * keeping the same facts on live changes: ticket-kpi-facts.db.test.ts.)
 */
const BACKFILL = migrationStatements('0051_reports_precomputed_and_saved.sql', /^\s*(--.*\n)*\s*UPDATE "tickets"/);
let database: Database;
let requesterId: string;
let policyId: string;
let serviceIds: string[];
let categoryIds: string[];
const office = weekdayCalendar('Europe/Paris', [{ start: 9 * 60, end: 17 * 60 }], ['2026-03-17']);
const BASE = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const now = new Date(BASE);
  const [calendar] = await db
    .insert(businessCalendars)
    .values({ name: 'Paris office', timeZone: office.timeZone, week: office.week, holidays: office.holidays, createdAt: now })
    .returning();
  ({ requesterId, policyId, serviceIds, categoryIds } = await insertKpiDimensions(db, now, {
    email: 'kpi-requester@kpis.test',
    policyName: 'Office hours',
    calendarId: calendar.id,
  }));
});
afterAll(() => database.close());

const generatedTicket = fc.record({
  // Problems and changes are left out of reports unless asked for: a few of them, so most runs still count many tickets.
  kind: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('incident' as const, 'service_request' as const) },
    { weight: 1, arbitrary: fc.constantFrom('problem' as const, 'change' as const) },
  ),
  // Resolved and closed tickets are what most KPIs count: half of the tickets are.
  state: fc.oneof(fc.constantFrom(...TICKET_STATES), fc.constantFrom('resolved' as const, 'closed' as const)),
  priority: fc.integer({ min: 1, max: 5 }),
  openedMinute: fc.integer({ min: 0, max: 40 * 24 * 60 }),
  acknowledgedAfter: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
  resolvedAfter: fc.integer({ min: 1, max: 8 * 24 * 60 }),
  // Mostly zero, as on a real desk, so first-contact resolution has tickets on both sides.
  reassignmentCount: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
  reopenCount: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
  staffReplyCount: fc.integer({ min: 0, max: 3 }),
  underPolicy: fc.boolean(),
  breached: fc.boolean(),
  majorAfter: fc.option(fc.integer({ min: 0, max: 24 * 60 }), { nil: null }),
  rating: fc.option(fc.record({ rating: fc.integer({ min: 1, max: 5 }), afterMinutes: fc.integer({ min: 0, max: 5 * 24 * 60 }) }), {
    nil: null,
  }),
  service: fc.integer({ min: 0, max: 1 }),
  category: fc.integer({ min: 0, max: 1 }),
});

/** Usually absent, so most runs report on many tickets; sometimes set, so the filters are tested. */
const sometimes = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });
const generatedFilter = fc.record({
  priority: sometimes(fc.subarray([1, 2, 3, 4, 5], { minLength: 1 })),
  kind: sometimes(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(['incident' as const], ['service_request' as const]) },
      { weight: 1, arbitrary: fc.constantFrom(['problem' as const], ['change' as const]) },
    ),
  ),
  service: sometimes(fc.integer({ min: 0, max: 1 })),
  category: sometimes(fc.integer({ min: 0, max: 1 })),
});

/** Numbers to 9 significant digits (SQL's float averages and JavaScript's differ in the last bits), instants as text. */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number(value.toPrecision(9));
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  return value;
}

type GeneratedTicket = typeof generatedTicket extends fc.Arbitrary<infer T> ? T : never;

/** A resolved incident opened on day 2, answered once; `reassignments` decides whether it counts as first contact. */
function mixedExample(reassignments: number): GeneratedTicket {
  return {
    kind: 'incident',
    state: 'resolved',
    priority: 3,
    openedMinute: 2 * 24 * 60,
    acknowledgedAfter: 30,
    resolvedAfter: 120,
    reassignmentCount: reassignments,
    reopenCount: 0,
    staffReplyCount: 1,
    underPolicy: true,
    breached: false,
    majorAfter: null,
    rating: null,
    service: 0,
    category: 0,
  };
}

/**
 * Resolved incidents whose times to acknowledge and resolve lie close together (several in one
 * histogram bucket, a few buckets away): the median is found inside a crowded bucket (odd count)
 * and between two (even count), so a wrong bucket, offset or bound in the rollups' median shows.
 */
function crowdedExample(acknowledgedAfter: number, resolvedAfter: number): GeneratedTicket {
  return { ...mixedExample(0), openedMinute: 2 * 24 * 60 + 9 * 60 + acknowledgedAfter, acknowledgedAfter, resolvedAfter };
}
const CROWDED = [
  crowdedExample(1, 100),
  crowdedExample(30, 120),
  crowdedExample(31, 121),
  crowdedExample(32, 123),
  crowdedExample(33, 122),
  crowdedExample(300, 2000),
];

let run = 0;
/** Runs whose first-contact rate was strictly between 0 and 1: the comparison saw both kinds of ticket. */
let mixedFirstContact = 0;

/** Every ticket the property below has written so far (each run's as it left them). */
const everyRun: KpiTicket[] = [];

describe('the reports’ SQL', () => {
  it('equals the KPI definitions on generated tickets, for every KPI, filter, period and time zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Up to 60 tickets a run: fewer, fuller runs (each run's writes and backfill cost more than its tickets do).
        fc.array(generatedTicket, { maxLength: 60, size: 'medium' }),
        generatedFilter,
        // From 10 days before the tickets (so the whole of March falls in some periods) to day 20.
        fc.integer({ min: -10, max: 20 }),
        // Up to 45 days, so some periods hold the whole of March: the duration histograms' month.
        fc.integer({ min: 5, max: 45 }),
        fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Europe/Berlin'),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: -12, max: 12 }),
        async (generated, f, fromDay, days, timeZone, fromHour, lengthHours) => {
          const db = database.db;
          run++;
          const [team] = await db
            .insert(teams)
            .values({ name: `Run ${run}`, createdAt: new Date(BASE) })
            .returning();
          const kpiTickets: KpiTicket[] = [];
          if (generated.length > 0) {
            const final = generated.map((g, i) => {
              const openedAt = new Date(BASE + g.openedMinute * 60_000);
              const resolved = g.state === 'resolved' || g.state === 'closed';
              return {
                ...unmeasuredTicketColumns(requesterId, team.id),
                kind: g.kind,
                number: `KPI${run}-${i}`,
                title: `Generated ${i}`,
                serviceId: serviceIds[g.service],
                categoryId: categoryIds[g.category],
                priority: g.priority,
                state: g.state,
                openedAt,
                firstResponseAt: g.acknowledgedAfter === null ? null : new Date(openedAt.getTime() + g.acknowledgedAfter * 60_000),
                resolvedAt: resolved ? new Date(openedAt.getTime() + g.resolvedAfter * 60_000) : null,
                updatedAt: openedAt,
                reassignmentCount: g.reassignmentCount,
                reopenCount: g.reopenCount,
                staffReplyCount: g.staffReplyCount,
                slaPolicyId: g.underPolicy ? policyId : null,
                majorSince: g.kind === 'incident' && g.majorAfter !== null ? new Date(openedAt.getTime() + g.majorAfter * 60_000) : null,
              };
            });
            // Written first as they looked earlier (another day, priority, state, service, category;
            // not yet answered or resolved), then changed to what was generated: the daily rollups must
            // take the earlier figures away again, or the reports read from them differ from core.
            const inserted = await db
              .insert(tickets)
              .values(
                final.map((t, i) => ({
                  ...t,
                  openedAt: new Date(t.openedAt.getTime() + (i % 3) * DAY),
                  priority: (t.priority % 5) + 1,
                  state: 'in_progress' as const,
                  firstResponseAt: null,
                  resolvedAt: null,
                  serviceId: serviceIds[(generated[i].service + 1) % 2],
                  categoryId: categoryIds[(generated[i].category + 1) % 2],
                  kind: i % 2 === 0 ? ('incident' as const) : t.kind,
                  majorSince: null,
                })),
              )
              .returning({ id: tickets.id });
            const rows: (typeof tickets)['$inferSelect'][] = [];
            for (const [i, { id }] of inserted.entries()) {
              const [row] = await db.update(tickets).set(final[i]).where(eq(tickets.id, id)).returning();
              rows.push(row);
            }
            // One statement changing several tickets, as an import or a bulk edit does: the quarter-hour
            // rollups' statement-level trigger sees them all at once (taken back to the generated values below).
            if (rows.length > 1) {
              const moved = await db.execute(
                sql`UPDATE tickets SET opened_at = opened_at + interval '7 hours 45 minutes', priority = priority % 5 + 1, state = 'closed', resolved_at = opened_at + interval '2 days'
                  WHERE team_id = ${team.id}`,
              );
              expect(moved).toBeDefined();
              // Taken back in one statement too (each ticket written one by one above already).
              const texts = (column: (row: (typeof tickets)['$inferSelect']) => Date | number | string | null) =>
                sql.param(
                  rows.map((row) => {
                    const value = column(row);
                    return value === null ? null : value instanceof Date ? value.toISOString() : String(value);
                  }),
                );
              await db.execute(sql`UPDATE tickets t SET opened_at = u.opened_at::timestamptz, priority = u.priority::smallint,
                  state = u.state::ticket_state, resolved_at = u.resolved_at::timestamptz
                FROM unnest(${texts((r) => r.id)}::uuid[], ${texts((r) => r.openedAt)}::text[], ${texts((r) => r.priority)}::text[],
                  ${texts((r) => r.state)}::text[], ${texts((r) => r.resolvedAt)}::text[]) AS u(id, opened_at, priority, state, resolved_at)
                WHERE t.id = u.id`);
            }
            const breaches = rows.filter((_, i) => generated[i].breached);
            if (breaches.length > 0)
              await db
                .insert(timelineEvents)
                .values(breaches.map((t) => ({ ticketId: t.id, type: 'sla_breached' as const, internal: true, at: t.openedAt })));
            const rated = rows.flatMap((t, i) => {
              const r = generated[i].rating;
              if (!r) return [];
              const answeredAt = new Date(t.openedAt.getTime() + r.afterMinutes * 60_000);
              return [{ ticketId: t.id, userId: requesterId, rating: r.rating, answeredAt, changedAt: answeredAt }];
            });
            // Each rating first given as another value, then changed (as a requester may).
            if (rated.length > 0) {
              await db.insert(satisfactionRatings).values(rated.map((r) => ({ ...r, rating: 6 - r.rating })));
              for (const r of rated)
                await db.update(satisfactionRatings).set({ rating: r.rating }).where(eq(satisfactionRatings.ticketId, r.ticketId));
            }
            for (const statement of BACKFILL) await db.execute(sql.raw(statement));
            rows.forEach((t, i) => {
              const g = generated[i];
              const rating = rated.find((r) => r.ticketId === t.id);
              kpiTickets.push({
                ...t,
                slaBreached: g.breached,
                rating: rating ? { rating: rating.rating, answeredAt: rating.answeredAt } : null,
              });
            });
          }
          const filter: KpiFilter = {
            teamIds: [team.id],
            priority: f.priority,
            kind: f.kind ? [...f.kind] : undefined,
            serviceId: f.service === undefined ? undefined : serviceIds[f.service],
            categoryId: f.category === undefined ? undefined : categoryIds[f.category],
          };
          const from = BASE + fromDay * DAY + fromHour * HOUR;
          const period = { from: new Date(from), to: new Date(from + days * DAY + lengthHours * HOUR) };
          const now = new Date(BASE + 45 * DAY);
          const selected = kpiTickets.filter((t) => matchesFilter(filter, t));
          for (const kpi of KPI_IDS) {
            const expected = computeKpi(kpi, {
              tickets: selected,
              period,
              now,
              timeZone,
              calendarOf: (t) => (t.slaPolicyId === policyId ? office : null),
            });
            for (const source of ['rollups', 'tickets'] as const) {
              const actual = await computeKpiSql(db, kpi, filter, period, now, timeZone, source);
              expect(comparable(actual), `${kpi} from ${source}`).toEqual(comparable(expected));
            }
            if (kpi === 'first-contact-resolution') {
              const fcr = expected as { count: number; total: number };
              if (fcr.count > 0 && fcr.count < fcr.total) mixedFirstContact++;
            }
          }
          // Every team (a manager's dashboard): every run's tickets so far, from the small rollups by slice
          // (migration 0082: the whole desk, the service, the category) or, given both, the rollups by every dimension.
          everyRun.push(...kpiTickets);
          const desk: KpiFilter = { ...filter, teamIds: null };
          const inDesk = everyRun.filter((t) => matchesFilter(desk, t));
          for (const kpi of KPI_IDS) {
            const expected = computeKpi(kpi, {
              tickets: inDesk,
              period,
              now,
              timeZone,
              calendarOf: (t) => (t.slaPolicyId === policyId ? office : null),
            });
            expect(comparable(await computeKpiSql(db, kpi, desk, period, now, timeZone)), `${kpi} of every team`).toEqual(
              comparable(expected),
            );
          }
        },
      ),
      // The example runs first and always has both kinds of resolved ticket; the random runs add more.
      {
        // The examples below, then random runs.
        numRuns: 16,
        examples: [
          [
            [mixedExample(0), mixedExample(1), mixedExample(0)],
            { priority: undefined, kind: undefined, service: undefined, category: undefined },
            0,
            30,
            'Europe/London',
            0,
            0,
          ],
          // Medians inside a crowded histogram bucket and between two (even count), from the rollups' days.
          // March 1 to April 5: the whole of March from the monthly histograms, April's days per ticket.
          [CROWDED, { priority: undefined, kind: undefined, service: undefined, category: undefined }, 0, 35, 'UTC', 0, 0],
          [CROWDED.slice(1), { priority: undefined, kind: undefined, service: undefined, category: undefined }, 0, 35, 'UTC', 0, 0],
          // No whole month: read per ticket only.
          [CROWDED, { priority: undefined, kind: undefined, service: undefined, category: undefined }, 1, 20, 'UTC', 0, 0],
          // Kathmandu (+5:45) and Kolkata (+5:30): local days from the quarter-hour rollups, over the whole period.
          [
            [mixedExample(0), crowdedExample(1, 100), crowdedExample(30, 1440), mixedExample(1)],
            { priority: undefined, kind: undefined, service: undefined, category: undefined },
            0,
            10,
            'Asia/Kathmandu',
            0,
            0,
          ],
          [
            [mixedExample(0), crowdedExample(1, 100), crowdedExample(30, 1440), mixedExample(1)],
            { priority: [3], kind: undefined, service: undefined, category: undefined },
            1,
            5,
            'Asia/Kolkata',
            7,
            3,
          ],
          // Berlin across its change to summer time (01:00 UTC on 29 March): tickets opened and resolved
          // either side of it, in a period holding that 23-hour local day.
          [
            [
              { ...mixedExample(0), openedMinute: (27 * 24 + 22) * 60, resolvedAfter: 180 },
              { ...mixedExample(1), openedMinute: (28 * 24 + 0) * 60 + 50, acknowledgedAfter: 20, resolvedAfter: 15 },
              { ...mixedExample(0), openedMinute: (28 * 24 + 1) * 60 + 5, resolvedAfter: 24 * 60 },
              crowdedExample(1, 100),
            ],
            { priority: undefined, kind: undefined, service: undefined, category: undefined },
            20,
            15,
            'Europe/Berlin',
            3,
            -2,
          ],
          // UTC, from mid-morning to mid-afternoon: the rollups' days and the hours around them.
          [
            [mixedExample(0), mixedExample(1), mixedExample(0)],
            { priority: undefined, kind: undefined, service: undefined, category: undefined },
            1,
            20,
            'UTC',
            10,
            5,
          ],
        ],
      },
    );
    // At least the example's run saw both kinds: a first-contact rate that is always 0 or always 1 fails here.
    expect(mixedFirstContact).toBeGreaterThanOrEqual(1);
    expect(BACKFILL).toHaveLength(3);
  }, 300_000);
});

describe('the daily rollups', () => {
  /** Migration 0058's backfill: the rollups computed afresh from the tickets. */
  const ROLLUP_BACKFILL = migrationStatements('0058_kpi_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily/);

  async function histogramRows(table: 'kpi_monthly_team_duration_buckets' | 'kpi_monthly_duration_buckets') {
    // Buckets the triggers brought back to zero are left in place; they count nothing.
    const rows = await database.db.execute(sql.raw(`SELECT *, total_ms::float8 AS total_ms FROM ${table} WHERE count <> 0`));
    return rowsOf<Record<string, unknown>>(rows)
      .map((r) => JSON.stringify(comparable({ ...r, total_ms: Number(r.total_ms) })))
      .sort();
  }

  async function rollupRows(table: 'kpi_daily_team_rollups' | 'kpi_daily_rollups') {
    // Rows the triggers brought back to zero are left in place; they count nothing.
    const rows = await database.db.execute(
      sql.raw(`SELECT * FROM ${table} r WHERE (to_jsonb(r) - 'day' - 'team_id' - 'service_id' - 'category_id' - 'subcategory_id'
        - 'priority' - 'kind') <> (SELECT jsonb_object_agg(key, 0) FROM jsonb_each(to_jsonb(r) - 'day' - 'team_id' - 'service_id'
        - 'category_id' - 'subcategory_id' - 'priority' - 'kind'))`),
    );
    return comparable(
      rowsOf<Record<string, unknown>>(rows)
        .map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])),
        )
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
  }

  it('kept by the triggers over every change above equal the migration’s backfill from the tickets', async () => {
    expect(ROLLUP_BACKFILL).toHaveLength(2);
    const kept = { team: await rollupRows('kpi_daily_team_rollups'), all: await rollupRows('kpi_daily_rollups') };
    expect((kept.all as unknown[]).length).toBeGreaterThan(0);
    await database.db.execute(sql`DELETE FROM kpi_daily_team_rollups`);
    await database.db.execute(sql`DELETE FROM kpi_daily_rollups`);
    for (const statement of ROLLUP_BACKFILL) await database.db.execute(sql.raw(statement));
    expect(await rollupRows('kpi_daily_team_rollups')).toEqual(kept.team);
    expect(await rollupRows('kpi_daily_rollups')).toEqual(kept.all);
  });

  it('hold duration histograms kept by the triggers equal to migration 0062’s backfill from the tickets', async () => {
    const backfill = migrationStatements('0062_kpi_duration_buckets.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_monthly/);
    expect(backfill).toHaveLength(2);
    const kept = {
      team: await histogramRows('kpi_monthly_team_duration_buckets'),
      all: await histogramRows('kpi_monthly_duration_buckets'),
    };
    expect(kept.all.length).toBeGreaterThan(0);
    await database.db.execute(sql`DELETE FROM kpi_monthly_team_duration_buckets`);
    await database.db.execute(sql`DELETE FROM kpi_monthly_duration_buckets`);
    for (const statement of backfill) await database.db.execute(sql.raw(statement));
    expect(await histogramRows('kpi_monthly_team_duration_buckets')).toEqual(kept.team);
    expect(await histogramRows('kpi_monthly_duration_buckets')).toEqual(kept.all);
  });

  it('by quarter hour, kept by their statement-level trigger over every change above (multi-row statements too), equal migration 0071’s backfill', async () => {
    const backfill = migrationStatements('0071_kpi_quarter_rollups.sql', /^\s*(--.*\n)*\s*INSERT INTO kpi_daily_quarter/);
    expect(backfill).toHaveLength(1);
    // Rows the trigger brought back to zero are left in place (running totals never fall, so the day's total says).
    const quarterRows = async () =>
      rowsOf<Record<string, unknown>>(
        await database.db.execute(sql`SELECT * FROM kpi_daily_quarter_rollups WHERE created_running[97] <> 0 OR resolved_running[97] <> 0`),
      )
        .map((r) => JSON.stringify(r))
        .sort();
    const kept = await quarterRows();
    expect(kept.length).toBeGreaterThan(0);
    await database.db.execute(sql`DELETE FROM kpi_daily_quarter_rollups`);
    for (const statement of backfill) await database.db.execute(sql.raw(statement));
    expect(await quarterRows()).toEqual(kept);
  });

  it('by quarter hour, count a multi-row insert and delete as the tickets are', async () => {
    const db = database.db;
    const [team] = await db
      .insert(teams)
      .values({ name: 'Quarter hours', createdAt: new Date(BASE) })
      .returning();
    const totals = async () =>
      rowsOf<{ created: number; resolved: number }>(
        await db.execute(sql`SELECT coalesce(sum(created_running[97]), 0)::int AS created, coalesce(sum(resolved_running[97]), 0)::int AS resolved,
            coalesce(sum(created_running[2 + 4 * 5 + 2] - created_running[1 + 4 * 5 + 2]), 0)::int AS quarter
          FROM kpi_daily_quarter_rollups WHERE team_id = ${team.id}`),
      )[0];
    // Three tickets in one statement: opened at 05:30, 05:44 and 05:45 UTC (quarters 22, 22, 23), two resolved.
    const opened = ['2026-03-03T05:30:00Z', '2026-03-03T05:44:59Z', '2026-03-03T05:45:00Z'].map((at) => new Date(at));
    await db.insert(tickets).values(
      opened.map((openedAt, i) => ({
        ...unmeasuredTicketColumns(requesterId, team.id),
        kind: 'incident' as const,
        number: `QTR-${i}`,
        title: 'Quarter',
        priority: 3,
        state: i < 2 ? ('resolved' as const) : ('new' as const),
        openedAt,
        resolvedAt: i < 2 ? new Date(openedAt.getTime() + DAY) : null,
        updatedAt: openedAt,
      })),
    );
    expect(await totals()).toEqual({ created: 3, resolved: 2, quarter: 2 });
    await db.execute(sql`DELETE FROM tickets WHERE team_id = ${team.id} AND state = 'resolved'`);
    expect(await totals()).toEqual({ created: 1, resolved: 0, quarter: 0 });
  });

  it('bucket a duration in SQL as core does, up to the last bound', async () => {
    const samples = [0, 999, 1000, 1090, 1091, 1_200_000, 3_600_000, 86_400_000, 10 ** 11, 6 * 10 ** 11];
    for (const b of DURATION_BUCKET_BOUNDS_MS) samples.push(b - 1, b);
    const rows = rowsOf<{ bucket: number }>(
      await database.db.execute(
        sql`SELECT kpi_duration_bucket(ms)::int AS bucket FROM unnest(${`{${samples.join(',')}}`}::float8[]) WITH ORDINALITY AS s(ms, i) ORDER BY i`,
      ),
    );
    expect(rows.map((r) => Number(r.bucket))).toEqual(samples.map(durationBucket));
  });
});
