/**
 * The three KPIs as they were computed before their facts were kept on the ticket row (issue 16,
 * before migration 0051), kept here only so bench/kpis.ts prints before and after in one run:
 * business hours walked through each ticket's calendar in application code, and SLA breaches
 * read from each resolved ticket's timeline.
 */
import { sql } from 'drizzle-orm';
import type { BusinessCalendar } from '../core/business-calendar.js';
import { statsOf } from '../core/kpis/durations.js';
import type { KpiFilter, KpiPeriod } from '../core/kpis/kpi-ticket.js';
import { businessDurationMs } from '../core/kpis/ticket-kpi-facts.js';
import { type Db, rowsOf } from '../server/src/db/client.js';
import { filterSql } from '../server/src/repositories/kpis.repository.js';
import { listCalendars } from '../server/src/repositories/sla.repository.js';

const RESOLVED = sql.raw(`t.state IN ('resolved', 'closed') AND t.resolved_at IS NOT NULL`);
const inPeriod = (column: ReturnType<typeof sql>, p: KpiPeriod) =>
  sql`${column} >= ${p.from.toISOString()}::timestamptz AND ${column} < ${p.to.toISOString()}::timestamptz`;

export async function durationBefore(db: Db, f: KpiFilter, period: KpiPeriod, which: 'resolve' | 'acknowledge') {
  const end = which === 'resolve' ? sql`t.resolved_at` : sql`t.first_response_at`;
  const where = which === 'resolve' ? sql`${RESOLVED} AND ${inPeriod(end, period)}` : inPeriod(end, period);
  const [rows, calendars] = await Promise.all([
    db.execute(sql`SELECT (extract(epoch FROM t.opened_at) * 1000)::float8 AS "from", (extract(epoch FROM ${end}) * 1000)::float8 AS "to",
        p.calendar_id AS "calendarId"
      FROM tickets t LEFT JOIN sla_policies p ON p.id = t.sla_policy_id WHERE ${where} AND ${filterSql(f)}`),
    listCalendars(db),
  ]);
  const byId = new Map<string, BusinessCalendar>(
    calendars.map((c) => [c.id, { timeZone: c.timeZone, week: c.week, holidays: c.holidays }]),
  );
  const intervals = rowsOf<{ from: number; to: number; calendarId: string | null }>(rows);
  const wall = intervals.map((i) => Math.max(0, Number(i.to) - Number(i.from)));
  const business = intervals.map((i) =>
    businessDurationMs(i.calendarId ? (byId.get(i.calendarId) ?? null) : null, new Date(Number(i.from)), new Date(Number(i.to))),
  );
  return { ...statsOf(wall), business: statsOf(business) };
}

export async function slaComplianceBefore(db: Db, f: KpiFilter, period: KpiPeriod) {
  return db.execute(sql`SELECT count(*) FILTER (WHERE b.breached)::int AS breached,
      count(*) FILTER (WHERE t.sla_policy_id IS NOT NULL AND NOT b.breached)::int AS met
    FROM tickets t
    CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM timeline_events e WHERE e.ticket_id = t.id AND e.type::text = 'sla_breached') AS breached) b
    WHERE ${RESOLVED} AND ${inPeriod(sql`t.resolved_at`, period)} AND ${filterSql(f)}`);
}
