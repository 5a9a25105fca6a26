import { observe } from '../../../core/alerts/baseline.js';
import { followProbe, judgeProbe, type ProbeOutcome } from '../../../core/alerts/check-verdict.js';
import { baselineRate, observeOutcome } from '../../../core/alerts/error-rate.js';
import type { NormalisedAlert } from '../../../core/alerts/normalised-alert.js';
import type { Prober } from '../adapters/prober.js';
import type { Db } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { checkRunJob } from '../jobs/specs/check-run.job-spec.js';
import {
  type CheckRow,
  findCheckById,
  insertCheckResult,
  lockCheck,
  type NewCheckResult,
  updateCheck,
} from '../repositories/checks.repository.js';
import { findIntegrationById, type IntegrationRow } from '../repositories/integrations.repository.js';
import { ingestWithin } from './alert-intake.service.js';
import type { ServiceDeps, TxDeps } from './deps.js';

/** The next run of a check's chain. The check row names the instant; a job for any other instant is stale. */
export async function scheduleRun(db: Db, checkId: string, at: Date, now: Date): Promise<void> {
  await updateCheck(db, checkId, { nextRunAt: at });
  await scheduleJob(db, checkRunJob, { checkId }, { runAt: at, now });
}

/** What a check signals: its status (up/down) and two kinds of drift, each one alert (fingerprint). */
export type CheckSignal = 'status' | 'latency' | 'error_rate';

/**
 * One alert of a check, through the same intake as external alerts. Both drifts carry
 * `check_signal: drift` (the routing rule that makes them disturbances matches it) and name the
 * signal that drifted in `drift`; the latency drift keeps its original fingerprint.
 */
export function checkAlert(
  check: CheckRow,
  signal: CheckSignal,
  status: 'firing' | 'resolved',
  summary: string,
  now: Date,
  raw: Record<string, unknown>,
): NormalisedAlert {
  const fingerprint =
    signal === 'status' ? `check:${check.id}:status` : signal === 'latency' ? `check:${check.id}:drift` : `check:${check.id}:error_rate`;
  return {
    fingerprint,
    status,
    acknowledged: false,
    severity: signal === 'status' ? 'critical' : 'warning',
    summary,
    labels: {
      check_id: check.id,
      check_signal: signal === 'status' ? 'status' : 'drift',
      ...(signal === 'status' ? {} : { drift: signal }),
      check: check.name,
      target: check.target,
    },
    sourceUrl: check.kind === 'http' ? check.target : null,
    startsAt: now,
    endsAt: status === 'resolved' ? now : null,
    raw: { check: check.name, ...raw },
  };
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.01 ? 1 : 0)} %`;

/**
 * One run (job `check.run`): probe outside any transaction, then in one transaction — under the
 * check's row lock, and only if no edit, pause or "check now" replaced this run meanwhile —
 * record the result, move both baselines, send alerts through the same path as external ones
 * (down fires, recovery resolves; a drift of latency or of error rate raises or clears a
 * disturbance) and schedule the next run.
 */
export async function runCheck(deps: ServiceDeps, prober: Prober, job: { checkId: string; runAt: Date }): Promise<void> {
  const check = await findCheckById(deps.db, job.checkId);
  if (!check?.active || !isCurrentRun(check, job.runAt)) return;
  const outcome = await probe(prober, check);
  await recordRun(deps, job.checkId, job.runAt, outcome);
}

/**
 * Records the outcome of the run due at `runAt` in one transaction, under the check's row lock:
 * the result, both baselines, the alerts, and the next run. A run that an edit, pause or "check
 * now" replaced meanwhile records nothing.
 */
export async function recordRun(deps: ServiceDeps, checkId: string, runAt: Date, outcome: ProbeOutcome): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const current = await lockCheck(tx, checkId);
    // Deleted, paused, edited or re-run while the probe was out: this result answers an old question.
    if (!current?.active || !isCurrentRun(current, runAt)) return;
    await recordProbe({ db: tx, clock: deps.clock }, current, outcome);
    const now = deps.clock.now();
    await scheduleRun(tx, current.id, nextRunAfter(current, runAt, now), now);
  });
}

/** The next run keeps the cadence; after downtime it runs at once instead of catching up. */
export const nextRunAfter = (check: CheckRow, runAt: Date, now: Date): Date =>
  new Date(Math.max(runAt.getTime() + check.intervalSeconds * 1000, now.getTime()));

const isCurrentRun = (check: CheckRow, runAt: Date) => check.nextRunAt === null || check.nextRunAt.getTime() === runAt.getTime();

function probe(prober: Prober, check: CheckRow): Promise<ProbeOutcome> {
  if (check.kind === 'http') return prober.http(check.target, check.timeoutMs);
  const colon = check.target.lastIndexOf(':');
  return prober.tcp(check.target.slice(0, colon).replace(/^\[|\]$/g, ''), Number(check.target.slice(colon + 1)), check.timeoutMs);
}

async function recordProbe(txDeps: TxDeps, check: CheckRow, outcome: ProbeOutcome): Promise<void> {
  const run = judgeRun(check, outcome, txDeps.clock.now());
  await insertCheckResult(txDeps.db, run.result);
  await updateCheck(txDeps.db, check.id, run.state);
  if (run.alerts.length === 0) return;
  const integration = (await findIntegrationById(txDeps.db, check.integrationId)) as IntegrationRow;
  await ingestWithin(txDeps, integration, run.alerts);
}

/** What one run records: its result, the check's state after it, and the alerts it raises or resolves. */
export interface JudgedRun {
  result: NewCheckResult;
  state: Pick<CheckRow, 'baseline' | 'errorRate' | 'consecutiveFailures' | 'lastRunAt'>;
  alerts: NormalisedAlert[];
}

/** One probe's outcome judged against the check as it stands, without touching the database. */
export function judgeRun(check: CheckRow, outcome: ProbeOutcome, now: Date): JudgedRun {
  const verdict = judgeProbe(outcome, check);
  const health = followProbe(check.consecutiveFailures, verdict.ok, check.failuresBeforeDown);
  const latency = verdict.ok ? observe(check.baseline, outcome.latencyMs) : { next: check.baseline, z: null, change: null };
  const errors = health.countsForErrorRate ? observeOutcome(check.errorRate, !verdict.ok) : null;
  const result: NewCheckResult = {
    checkId: check.id,
    at: now,
    ok: verdict.ok,
    latencyMs: Math.round(outcome.latencyMs),
    statusCode: outcome.statusCode,
    error: verdict.ok ? null : verdict.reason,
    z: latency.z,
  };
  const state = {
    baseline: latency.next,
    errorRate: errors?.next ?? check.errorRate,
    consecutiveFailures: health.consecutiveFailures,
    lastRunAt: now,
  };
  const raw = { outcome: { ...outcome, body: undefined }, verdict };
  const alerts: NormalisedAlert[] = [];
  if (health.down) {
    const times = health.consecutiveFailures > 1 ? ` (${health.consecutiveFailures} probes in a row)` : '';
    alerts.push(checkAlert(check, 'status', 'firing', `${check.name} is down: ${verdict.reason}${times}`, now, raw));
  } else if (verdict.ok && health.wasDown) {
    alerts.push(checkAlert(check, 'status', 'resolved', `${check.name} is passing again: ${verdict.reason}`, now, raw));
  }
  if (latency.change === 'raised') {
    const summary = `${check.name} is getting slower (latency drift): ${Math.round(outcome.latencyMs)} ms against a usual ${Math.round(check.baseline.mean)} ms`;
    alerts.push(checkAlert(check, 'latency', 'firing', summary, now, raw));
  } else if (latency.change === 'cleared') {
    alerts.push(checkAlert(check, 'latency', 'resolved', `${check.name} response time is back to normal`, now, raw));
  }
  if (errors?.change === 'raised') {
    const summary = `${check.name} is failing more often than usual (error-rate drift): ${errors.failuresInWindow} of the last ${errors.next.window.length} probes failed, against a usual ${percent(baselineRate(check.errorRate))}`;
    alerts.push(checkAlert(check, 'error_rate', 'firing', summary, now, raw));
  } else if (errors?.change === 'cleared') {
    alerts.push(checkAlert(check, 'error_rate', 'resolved', `${check.name} error rate is back to normal`, now, raw));
  }
  return { result, state, alerts };
}
