/**
 * Storm detection (issue 14): a storm of reports on one service, on a desk of 20,000 background
 * tickets. The report rate with detection is measured beside the rate without it, in the same
 * run and process (the same engine, warm), through the same intake service the API calls, with
 * the worker running (as in a server) in both halves; and the time from the report that reached
 * the threshold to the proposal being readable on the desk.
 *
 *   node --import tsx bench/storm.ts          (both engines; BENCH_STORM to change the storm size;
 *                                              BENCH_ENGINES=pglite-unyielded,pglite for the event-loop fix before/after)
 *
 * Halves alternate (baseline, detection, baseline, detection) so drift on a busy machine hits both.
 * Every tenth report is background noise on another service.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_STORM_SETTINGS } from '../core/storm.js';
import { systemClock } from '../server/src/adapters/clock.js';
import { type Database, openPglite, openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../server/src/jobs/registry.js';
import { startWorker } from '../server/src/jobs/runner.js';
import { findOpenProposal } from '../server/src/repositories/storms.repository.js';
import { createService } from '../server/src/services/catalog.service.js';
import { stormDetectionSwitch } from '../server/src/services/storm-schedule.service.js';
import { reportTicket } from '../server/src/services/ticket-intake.service.js';
import { NO_DELIVERY } from '../server/test/delivery.js';
import { type Sql, seedTickets } from './seed.js';

const STORM = Number(process.env.BENCH_STORM ?? 5_000);
const BACKGROUND = 20_000;
const CONCURRENCY = 8;
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function rawSql(database: Database): Sql {
  return database.raw.kind === 'pglite' ? (database.raw.client as unknown as Sql) : (database.raw.pool as unknown as Sql);
}

const TITLES = ['VPN is down', 'Cannot connect to the VPN', 'vpn not working from home', 'VPN keeps disconnecting', 'VPN broken'];

/** Reports `n` tickets, `CONCURRENCY` at a time; returns reports per second and when the threshold-th storm report committed. */
async function storm(database: Database, actorId: string, serviceId: string, noise: string[], n: number) {
  const deps = { db: database.db, clock: systemClock };
  const actor = { id: actorId, role: 'agent' as const };
  let next = 0;
  let stormCommitted = 0;
  const marks = { thresholdAt: 0 };
  const started = performance.now();
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const background = i % 10 === 9;
      await reportTicket(
        deps,
        actor,
        {
          kind: 'incident',
          title: background ? `Background ticket ${i}` : TITLES[i % TITLES.length],
          description: '',
          impact: 3,
          urgency: 3,
          scope: 'local',
          serviceId: background ? noise[i % noise.length] : serviceId,
        },
        { defaultChannel: 'portal' },
      );
      if (!background && ++stormCommitted === DEFAULT_STORM_SETTINGS.threshold) marks.thresholdAt = performance.now();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return { perSecond: n / ((performance.now() - started) / 1000), thresholdAt: marks.thresholdAt };
}

/** `pglite-unyielded`: the embedded engine as it was before it yielded to the event loop between transactions (for before/after in one run). */
type Engine = 'pglite' | 'pglite-unyielded' | 'postgres';

async function runOn(engine: Engine): Promise<void> {
  let database: Database;
  let cleanup: () => Promise<void>;
  if (engine !== 'postgres') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-storm-'));
    database = await openPglite(dir, { yieldToEventLoop: engine === 'pglite' });
    cleanup = async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const name = `firebreak_bench_storm_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    database = await openPostgres(url.toString(), 10);
    cleanup = async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  await migrateDatabase(database);
  const worker = startWorker({ db: database.db, clock: systemClock }, buildJobRegistry(NO_DELIVERY), {
    ...WORKER_OPTIONS,
    onSweepError: (err) => console.error('worker:', err),
    // A failing detection is retried after a backoff of seconds: that would be latency too, so say it.
    log: (entry) => console.error(`job ${entry.kind} attempt ${entry.attempt}: ${entry.msg}: ${entry.err ?? ''}`),
  });
  try {
    const seededAt = performance.now();
    const count = await seedTickets(rawSql(database), BACKGROUND);
    console.log(`\n${engine}: ${count} background tickets seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    const sql = rawSql(database);
    const agentId = (await sql.query<{ id: string }>(`SELECT id FROM users WHERE email = 'bench-agent-1@example.test'`)).rows[0].id;
    const deps = { db: database.db, clock: systemClock };
    const noise = [];
    for (let i = 0; i < 8; i++) noise.push((await createService(deps, { name: `Bench noise ${i}` })).id);

    const rates: { baseline: number[]; detection: number[] } = { baseline: [], detection: [] };
    const latencies: number[] = [];
    for (let round = 0; round < 2; round++) {
      stormDetectionSwitch.on = false;
      const quiet = await createService(deps, { name: `Bench VPN baseline ${round}` });
      rates.baseline.push((await storm(database, agentId, quiet.id, noise, STORM / 2)).perSecond);

      stormDetectionSwitch.on = true;
      const vpn = await createService(deps, { name: `Bench VPN ${round}` });
      const watch = (async () => {
        // The desk reads proposals from the database: poll until this storm's is readable.
        while (!(await findOpenProposal(database.db, `service:${vpn.id}`))) await new Promise((r) => setTimeout(r, 20));
        return performance.now();
      })();
      const run = await storm(database, agentId, vpn.id, noise, STORM / 2);
      rates.detection.push(run.perSecond);
      const seenAt = await watch;
      latencies.push(seenAt - run.thresholdAt);
    }
    if (process.env.BENCH_TRACE) {
      const trace = await sql.query<{ kind: string; state: string; attempts: number; n: string; lag: string; maxlag: string }>(
        `SELECT kind, state, max(attempts) AS attempts, count(*) AS n, avg(extract(epoch from finished_at - run_at)) AS lag, max(extract(epoch from finished_at - run_at)) AS maxlag FROM jobs GROUP BY kind, state`,
      );
      console.log(trace.rows);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const base = mean(rates.baseline);
    const withDetection = mean(rates.detection);
    console.log(`  storm of ${STORM} reports per half-pair (every 10th on another service), ${CONCURRENCY} at a time`);
    console.log(`  reports/s without detection: ${rates.baseline.map((r) => r.toFixed(0)).join(', ')} (mean ${base.toFixed(0)})`);
    console.log(`  reports/s with detection:    ${rates.detection.map((r) => r.toFixed(0)).join(', ')} (mean ${withDetection.toFixed(0)})`);
    console.log(`  detection costs ${(((base - withDetection) / base) * 100).toFixed(1)}% of the report rate (target: within 10%)`);
    console.log(
      `  threshold (${DEFAULT_STORM_SETTINGS.threshold}th storm report committed) → proposal readable: ${latencies.map((l) => `${(l / 1000).toFixed(2)} s`).join(', ')} (target: within 2 s)`,
    );
  } finally {
    await worker.stop();
    await cleanup();
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as Engine[];
for (const engine of engines) await runOn(engine);
