/**
 * Issue 19 item 4's burst for bench/delivery-and-timers.ts: 20,000 SLA timers (a warning and a
 * breach on each of 10,000 tickets) falling due within 30 seconds, after every ticket is written.
 *
 * Tickets go in through the ticket service, so their timers are the ones a real report schedules,
 * but each is reported with its own clock: ticket n of N "at" start + n/N × SPREAD. With a
 * 1-minute resolution target warned at 75 %, warnings fall due over [45 s, 45 s + SPREAD] after
 * the start and breaches over [60 s, 60 s + SPREAD]: 15 s + SPREAD in all. The start is placed
 * after the writing is expected to end (rate measured on a warm-up of service requests, which no policy
 * matches), so the worker meets the whole burst at once, as after an outage or a mass import.
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
const WARM_UP_TICKETS = 200;
const WRITERS = 8;

export interface BurstFigures {
  timers: number;
  /** From the first timer falling due to the last: the burst's width. */
  dueWithinMs: number;
  /** Tickets written per second (the timers' tickets, not the warm-up). */
  writeRate: number;
  /** How long after the first timer fell due the writing ended (0: the worker met the burst whole). */
  writingOverranMs: number;
  /** Lag of every firing, sorted: when its job finished minus when it fell due, ms. */
  lags: number[];
  /** Timers fired more than once or never: must both be 0. */
  firedTwice: number;
  neverFired: number;
  /** The most timers fired in any one second. */
  busiestSecond: number;
}

type Actor = { id: string; role: 'agent' };

async function report(deps: ServiceDeps, actor: Actor, kind: 'incident' | 'service_request', title: string) {
  await reportTicket(deps, actor, { kind, title, description: '', impact: 2, urgency: 2, scope: 'local' }, { defaultChannel: 'api' });
}

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

export async function runTimerBurst(database: Database, deps: ServiceDeps, actor: Actor, tickets: number, log: (line: string) => void) {
  const warmUpSeconds = await writeConcurrently(WARM_UP_TICKETS, (n) => report(deps, actor, 'service_request', `warm-up ${n}`));
  const expectedWriteMs = (tickets / (WARM_UP_TICKETS / warmUpSeconds)) * 1000;
  await createSlaPolicy(deps, {
    name: 'burst',
    match: { kinds: ['incident'] },
    firstResponseMinutes: null,
    resolutionMinutes: 1,
    warnPercent: 75,
  });
  // Half again the expected writing time (the machine is shared), less the 45 s before a warning.
  const start = Date.now() + Math.max(0, expectedWriteMs * 1.5 + 5_000 - WARN_AFTER_MS);
  log(
    `Timer burst: writing ${tickets.toLocaleString('en-US')} incidents (warm-up ${(WARM_UP_TICKETS / warmUpSeconds).toFixed(0)}/s), their ${(2 * tickets).toLocaleString('en-US')} timers due from ${new Date(start + WARN_AFTER_MS).toISOString()} within ${(BREACH_AFTER_MS - WARN_AFTER_MS + SPREAD_MS) / 1000} s…`,
  );
  const writeSeconds = await writeConcurrently(tickets, (n) => {
    const at: Clock = { now: () => new Date(start + Math.floor((n / tickets) * SPREAD_MS)) };
    return report({ ...deps, clock: at }, actor, 'incident', `burst ${n}`);
  });
  const writingOverranMs = Math.max(0, Date.now() - (start + WARN_AFTER_MS));

  // Wait until every SLA timer has fired (the worker runs on the real clock).
  for (;;) {
    const [row] = rowsOf<{ n: number }>(
      await database.db.execute(sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'sla.check' AND state IN ('pending','running')`),
    );
    if (row.n === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
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
    writeRate: tickets / writeSeconds,
    writingOverranMs,
    lags: jobs.map((j) => Number(j.lag)).sort((a, b) => a - b),
    firedTwice: events.notes - events.distinct,
    neverFired: 2 * tickets - events.distinct,
    busiestSecond: peak.n,
  } satisfies BurstFigures;
}
