import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../../../core/alerts/check-verdict.js';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import { createOutboundGuard } from '../adapters/outbound-guard.js';
import type { Database } from '../db/client.js';
import { findCheckById, listCheckResults } from '../repositories/checks.repository.js';
import { searchAlerts } from './alert-query.service.js';
import { checkHistory } from './check-history.service.js';
import { recordRun } from './check-run.service.js';
import { changeCheck, createCheck } from './checks.service.js';

/**
 * A check's history recorded through `checkHistory` (runs kept in memory, written together) ends
 * exactly as the same script recorded run by run through `recordRun`, the live path: the same
 * results, the same baselines and next run, and the same alerts raised at the same moments.
 */
const START = new Date('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const outbound = createOutboundGuard({ allow: [] });

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

const ok = (latencyMs: number): ProbeOutcome => ({ latencyMs, statusCode: 200, body: 'ok', error: null });
const timeout: ProbeOutcome = { latencyMs: 5_000, statusCode: null, body: null, error: 'no answer within 5000 ms' };

/** Sixty quiet hours, a lone timeout, down for three hours and back, then latency drifting up. */
const SCRIPT: ProbeOutcome[] = [
  ...Array.from({ length: 30 }, (_, i) => ok(140 + (i % 7) * 3)),
  timeout,
  ...Array.from({ length: 30 }, (_, i) => ok(150 - (i % 5) * 4)),
  timeout,
  timeout,
  timeout,
  ...Array.from({ length: 10 }, (_, i) => ok(145 + (i % 3))),
  ...Array.from({ length: 6 }, (_, i) => ok(520 + i * 20)),
];

async function play(name: string, run: (clock: FakeClock, checkId: string, outcome: ProbeOutcome) => Promise<void>) {
  const clock = new FakeClock(START);
  const deps = { db: database.db, clock };
  const check = await createCheck(
    { ...deps, outbound },
    {
      name,
      kind: 'http',
      target: `https://${name}.example/health`,
      intervalSeconds: 3600,
      timeoutMs: 5_000,
      expectStatus: 200,
      failuresBeforeDown: 3,
    },
  );
  for (const [k, outcome] of SCRIPT.entries()) {
    clock.set(new Date(START.getTime() + k * HOUR + 1000));
    await run(clock, check.id, outcome);
  }
  return { check, clock };
}

/** What a check recorded, without what naturally differs between two checks (ids, names). */
async function recorded(checkId: string, name: string) {
  const check = await findCheckById(database.db, checkId);
  const results = await listCheckResults(database.db, checkId, START, 1000);
  const { items } = await searchAlerts(database.db, { limit: 100 });
  const alerts = items
    .filter((a) => a.labels.check_id === checkId)
    .map((a) => ({
      signal: a.labels.check_signal,
      status: a.status,
      summary: a.summary.replace(name, 'CHECK'),
      firstSeenAt: a.firstSeenAt,
      lastSeenAt: a.lastSeenAt,
      count: a.count,
    }))
    .sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || a.summary.localeCompare(b.summary));
  return {
    state: {
      baseline: check?.baseline,
      errorRate: check?.errorRate,
      consecutiveFailures: check?.consecutiveFailures,
      lastRunAt: check?.lastRunAt,
      nextRunAt: check?.nextRunAt,
    },
    results: results.map(({ at, ok, latencyMs, statusCode, error, z }) => ({ at, ok, latencyMs, statusCode, error, z })),
    alerts,
  };
}

describe('a check history recorded in batches', () => {
  it('records the same results, state and alerts as recording each run as it comes', async () => {
    const live = await play('live', async (clock, checkId, outcome) => {
      const check = await findCheckById(database.db, checkId);
      if (check?.nextRunAt) await recordRun({ db: database.db, clock }, checkId, check.nextRunAt, outcome);
    });
    let history: ReturnType<typeof checkHistory> | undefined;
    const batched = await play('batched', async (clock, checkId, outcome) => {
      history ??= checkHistory(checkId);
      await history.record({ db: database.db, clock }, outcome);
    });
    await history?.flush({ db: database.db, clock: batched.clock });

    const [expected, actual] = [await recorded(live.check.id, 'live'), await recorded(batched.check.id, 'batched')];
    expect(actual.results).toHaveLength(SCRIPT.length);
    // The script does raise alerts (down, back up, drifting), so the batches are cut at them.
    expect(expected.alerts.map((a) => a.signal)).toEqual(expect.arrayContaining(['status', 'drift']));
    expect(actual).toEqual(expected);
  });

  it('refuses to write over a check that changed while its history was kept', async () => {
    const clock = new FakeClock(START);
    const deps = { db: database.db, clock };
    const check = await createCheck(
      { ...deps, outbound },
      { name: 'edited', kind: 'http', target: 'https://edited.example/', intervalSeconds: 3600, timeoutMs: 5_000, failuresBeforeDown: 3 },
    );
    const history = checkHistory(check.id);
    clock.set(new Date(START.getTime() + 1000));
    await history.record(deps, ok(150));
    clock.set(new Date(START.getTime() + 2000));
    await changeCheck({ ...deps, outbound }, check.id, { timeoutMs: 4_000 });
    await expect(history.flush(deps)).rejects.toThrow(/changed while its history was being recorded/);
    expect(await listCheckResults(database.db, check.id, START, 10)).toEqual([]);
  });
});
