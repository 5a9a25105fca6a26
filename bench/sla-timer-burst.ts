/**
 * Issue 19 item 4's burst for bench/delivery-and-timers.ts: 20,000 SLA timers (a warning and a
 * breach on each of 10,000 tickets) falling due within 30 seconds, after every ticket is written.
 *
 * SOURCE_TICKETS incidents go in through the ticket service, so their rows, timelines and timers
 * are the ones a real report makes, each reported with its own clock: ticket n of S "at" base +
 * n/S × SPREAD. With a 1-minute resolution target warned at 75 %, warnings fall due over [45 s,
 * 45 s + SPREAD] after the base and breaches over [60 s, 60 s + SPREAD]: 30 s in all. The rest
 * are copies of them made in SQL (ticket, timeline and timers, each under a new id): concurrent
 * reports queue behind the KPI rollup triggers' shared row, so on the shared 2-core machine the
 * service writes a few tickets a second, and 10,000 would take most of an hour.
 *
 * No worker runs while they are written; then a worker starts on a clock that runs at the real
 * pace but from just before the first timer falls due, so it meets the whole burst as it would
 * after a mass import or an outage. Lag is measured on that clock: real milliseconds.
 */
import { sql } from 'drizzle-orm';
import type { Clock } from '../server/src/adapters/clock.js';
import { type Database, rowsOf } from '../server/src/db/client.js';
import type { ServiceDeps } from '../server/src/services/deps.js';
import { createSlaPolicy } from '../server/src/services/sla.service.js';
import { reportTicket } from '../server/src/services/ticket-intake.service.js';

const WARN_AFTER_MS = 45_000;
const BREACH_AFTER_MS = 60_000;
/** Tickets' clocks spread over this: the timers fall due within WARN..BREACH + SPREAD = 30 s. */
const SPREAD_MS = 15_000;
const WRITERS = 8;
/** Incidents reported through the service; the rest of the burst copies them. */
const SOURCE_TICKETS = 250;
/** The worker's clock starts this long before the first timer falls due. */
const LEAD_MS = 2_000;

export interface BurstFigures {
  timers: number;
  /** From the first timer falling due to the last: the burst's width. */
  dueWithinMs: number;
  /** Tickets reported through the service per second (no worker running), and how many. */
  writeRate: number;
  reported: number;
  /** Lag of every firing, sorted: when its job finished minus when it fell due, ms. */
  lags: number[];
  /** Timers fired more than once or never: must both be 0. */
  firedTwice: number;
  neverFired: number;
  /** The most timers fired in any one second. */
  busiestSecond: number;
}

type Actor = { id: string; role: 'agent' };

/** Runs `count` writes on WRITERS concurrent writers; resolves with the seconds it took. */
async function writeConcurrently(count: number, write: (n: number) => Promise<void>): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < count) await write(next++);
    }),
  );
  return (Date.now() - started) / 1000;
}

/**
 * Writes the tickets, then runs a worker started by `startWorker` on the burst's clock until every
 * SLA timer fired, and stops it. No other worker may run meanwhile (it would fire them early).
 */
export async function runTimerBurst(
  database: Database,
  deps: ServiceDeps,
  actor: Actor,
  tickets: number,
  startWorker: (clock: Clock) => { stop(): Promise<void> },
  log: (line: string) => void,
): Promise<BurstFigures> {
  await createSlaPolicy(deps, { name: 'burst', firstResponseMinutes: null, resolutionMinutes: 1, warnPercent: 75 });
  const base = Date.now();
  log(
    `Timer burst: writing ${tickets.toLocaleString('en-US')} incidents first, then their ${(2 * tickets).toLocaleString('en-US')} SLA timers fall due within ${(BREACH_AFTER_MS - WARN_AFTER_MS + SPREAD_MS) / 1000} s…`,
  );
  const reported = Math.min(SOURCE_TICKETS, tickets);
  const writeSeconds = await writeConcurrently(reported, async (n) => {
    const at: Clock = { now: () => new Date(base + Math.floor((n / reported) * SPREAD_MS)) };
    await reportTicket(
      { ...deps, clock: at },
      actor,
      { kind: 'incident', title: `burst ${n}`, description: '', impact: 2, urgency: 2, scope: 'local' },
      { defaultChannel: 'api' },
    );
  });
  await copyTickets(database, tickets - reported);
  // Real time, shifted so the worker starts LEAD_MS before the first warning falls due.
  const shift = Date.now() - (base + WARN_AFTER_MS - LEAD_MS);
  const worker = startWorker({ now: () => new Date(Date.now() - shift) });
  try {
    // Wait until every SLA timer has fired (how often this looks does not touch the lags).
    for (;;) {
      const [row] = rowsOf<{ n: number }>(
        await database.db.execute(sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'sla.check' AND state IN ('pending','running')`),
      );
      if (row.n === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await worker.stop();
  }
  const jobs = rowsOf<{ lag: number; runAt: Date }>(
    await database.db.execute(
      sql`SELECT extract(epoch FROM finished_at - run_at) * 1000 AS lag, run_at AS "runAt" FROM jobs WHERE kind = 'sla.check' AND state = 'done'`,
    ),
  );
  const dueTimes = jobs.map((j) => new Date(j.runAt).getTime());
  // Exactly once: one timeline note per ticket and kind, and one per timer scheduled.
  const [events] = rowsOf<{ notes: number; distinct: number }>(
    await database.db.execute(
      sql`SELECT count(*)::int AS notes, count(DISTINCT (ticket_id, type))::int AS distinct FROM timeline_events WHERE type IN ('sla_warning', 'sla_breached')`,
    ),
  );
  const [peak] = rowsOf<{ n: number }>(
    await database.db.execute(
      sql`SELECT max(n)::int AS n FROM (SELECT count(*) AS n FROM jobs WHERE kind = 'sla.check' AND state = 'done' GROUP BY date_trunc('second', finished_at)) s`,
    ),
  );
  return {
    timers: jobs.length,
    dueWithinMs: Math.max(...dueTimes) - Math.min(...dueTimes),
    writeRate: reported / writeSeconds,
    reported,
    lags: jobs.map((j) => Number(j.lag)).sort((a, b) => a - b),
    firedTwice: events.notes - events.distinct,
    neverFired: 2 * tickets - events.distinct,
    busiestSecond: peak.n,
  } satisfies BurstFigures;
}

/**
 * `count` copies of the incidents reported so far, spread evenly over them: each copy is the
 * ticket row, its timeline and its pending SLA timers under a new ticket id (and number), in one
 * transaction. Generic over the columns (through jsonb), so it keeps up with the schema.
 */
async function copyTickets(database: Database, count: number): Promise<void> {
  if (count <= 0) return;
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`
      CREATE TEMP TABLE burst_copies ON COMMIT DROP AS
      SELECT s.id AS source, gen_random_uuid() AS copy, row_number() OVER () AS n
      FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS sources FROM tickets WHERE kind = 'incident') s
      JOIN generate_series(0, ${count} - 1) g ON g % s.sources = s.i`);
    await tx.execute(sql`
      INSERT INTO tickets
      SELECT (jsonb_populate_record(NULL::tickets, to_jsonb(t) || jsonb_build_object('id', c.copy, 'number', 'BURST' || lpad(c.n::text, 7, '0')))).*
      FROM tickets t JOIN burst_copies c ON c.source = t.id`);
    await tx.execute(sql`
      INSERT INTO timeline_events
      SELECT (jsonb_populate_record(NULL::timeline_events, to_jsonb(e) || jsonb_build_object('id', nextval('timeline_events_id_seq'), 'ticket_id', c.copy))).*
      FROM timeline_events e JOIN burst_copies c ON c.source = e.ticket_id`);
    await tx.execute(sql`
      INSERT INTO jobs
      SELECT (jsonb_populate_record(NULL::jobs, to_jsonb(j) || jsonb_build_object('id', replace(j.id, c.source::text, c.copy::text), 'payload', j.payload || jsonb_build_object('ticketId', c.copy)))).*
      FROM jobs j JOIN burst_copies c ON j.kind = 'sla.check' AND j.payload->>'ticketId' = c.source::text`);
  });
}
