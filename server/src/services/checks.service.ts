import { EMPTY_BASELINE, observe } from '../../../core/alerts/baseline.js';
import { judgeProbe } from '../../../core/alerts/check-verdict.js';
import type { NormalisedAlert } from '../../../core/alerts/normalised-alert.js';
import { RoutingRule } from '../../../core/alerts/routing.js';
import { fieldError, notFound } from '../../../core/errors.js';
import type { CheckKind } from '../../../core/vocabulary.js';
import type { Prober } from '../adapters/prober.js';
import type { Db } from '../db/client.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import {
  type CheckResultRow,
  type CheckRow,
  findCheckById,
  findLastCheckResult,
  insertCheck,
  insertCheckResult,
  listCheckResults,
  listChecks,
  updateCheck,
} from '../repositories/checks.repository.js';
import { findIntegrationById, type IntegrationRow } from '../repositories/integrations.repository.js';
import { scheduleJob } from '../repositories/jobs.repository.js';
import { ingestWithin } from './alert-intake.service.js';
import type { ServiceDeps } from './deps.js';
import { createIntegration } from './integrations.service.js';

export const CHECK_RUN_JOB = 'check.run';

export interface CheckInput {
  name: string;
  serviceId?: string | null;
  kind: CheckKind;
  target: string;
  intervalSeconds: number;
  timeoutMs: number;
  expectStatus?: number | null;
  keyword?: string | null;
  maxLatencyMs?: number | null;
}

/**
 * Creates a check, its own integration (a failing check opens an incident for its service;
 * latency drift records a disturbance) and its first run, now. Only what an admin configures
 * here is ever probed.
 */
export async function createCheck(deps: ServiceDeps, input: CheckInput): Promise<CheckRow> {
  const target = normaliseTarget(input.kind, input.target);
  return deps.db.transaction(async (tx) => {
    const txDeps = { db: tx, clock: deps.clock };
    if (input.serviceId && !(await findServiceById(tx, input.serviceId))) {
      throw fieldError('unprocessable', 'serviceId', `no service has the id ${input.serviceId}`);
    }
    const serviceId = input.serviceId ?? undefined;
    const groupBy = ['check_id', 'check_signal'];
    const { integration } = await createIntegration(txDeps, {
      name: `Check: ${input.name}`,
      source: 'generic',
      rules: [
        RoutingRule.parse({
          name: 'latency drift',
          match: { labels: { check_signal: 'drift' } },
          action: 'disturbance',
          serviceId,
          groupBy,
        }),
        RoutingRule.parse({ name: 'check failing', action: 'incident', serviceId, groupBy, impact: 2, urgency: 1 }),
      ],
      resolveDelayMinutes: 5,
    });
    const now = deps.clock.now();
    const check = await insertCheck(tx, {
      name: input.name,
      serviceId: input.serviceId ?? null,
      kind: input.kind,
      target,
      intervalSeconds: input.intervalSeconds,
      timeoutMs: input.timeoutMs,
      expectStatus: input.expectStatus ?? null,
      keyword: input.keyword ?? null,
      maxLatencyMs: input.maxLatencyMs ?? null,
      integrationId: integration.id,
      baseline: EMPTY_BASELINE,
      createdAt: now,
    });
    await scheduleRun(tx, check.id, now, now);
    return check;
  });
}

function normaliseTarget(kind: CheckKind, target: string): string {
  if (kind === 'http') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw fieldError('validation_failed', 'target', 'must be an http:// or https:// URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw fieldError('validation_failed', 'target', 'must be an http:// or https:// URL');
    return url.toString();
  }
  const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(target);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535)
    throw fieldError('validation_failed', 'target', 'must be host:port, e.g. db.example.com:5432');
  return target;
}

async function scheduleRun(db: Db, checkId: string, at: Date, now: Date): Promise<void> {
  await scheduleJob(db, {
    id: `${CHECK_RUN_JOB}:${checkId}:${at.getTime()}`,
    kind: CHECK_RUN_JOB,
    payload: { checkId },
    runAt: at,
    maxAttempts: 3,
    now,
  });
}

export { listChecks };

export async function getCheck(db: Db, id: string): Promise<CheckRow> {
  const row = await findCheckById(db, id);
  if (!row) throw notFound('check');
  return row;
}

/** Stops a check: its next run finds it inactive and schedules nothing. History stays. */
export async function stopCheck(db: Db, id: string): Promise<CheckRow> {
  await getCheck(db, id);
  return (await updateCheck(db, id, { active: false })) as CheckRow;
}

export async function checkResults(db: Db, id: string, since: Date, limit: number): Promise<CheckResultRow[]> {
  await getCheck(db, id);
  return listCheckResults(db, id, since, limit);
}

/**
 * One run (job `check.run`): probe outside any transaction, then in one transaction record the
 * result, move the baseline, send alerts through the same path as external ones (a failure
 * fires, a recovery resolves; drift raises or clears a disturbance) and schedule the next run.
 */
export async function runCheck(deps: ServiceDeps, prober: Prober, job: { checkId: string; runAt: Date }): Promise<void> {
  const check = await findCheckById(deps.db, job.checkId);
  if (!check?.active) return;
  const outcome =
    check.kind === 'http'
      ? await prober.http(check.target, check.timeoutMs)
      : await prober.tcp(
          check.target.slice(0, check.target.lastIndexOf(':')).replace(/^\[|\]$/g, ''),
          Number(check.target.slice(check.target.lastIndexOf(':') + 1)),
          check.timeoutMs,
        );
  const verdict = judgeProbe(outcome, check);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const integration = (await findIntegrationById(tx, check.integrationId)) as IntegrationRow;
    const previous = await findLastCheckResult(tx, check.id);
    const step = verdict.ok ? observe(check.baseline, outcome.latencyMs) : { next: check.baseline, z: null, change: null };
    await insertCheckResult(tx, {
      checkId: check.id,
      at: now,
      ok: verdict.ok,
      latencyMs: Math.round(outcome.latencyMs),
      statusCode: outcome.statusCode,
      error: verdict.ok ? null : verdict.reason,
      z: step.z,
    });
    await updateCheck(tx, check.id, { baseline: step.next, lastRunAt: now });
    const alerts: NormalisedAlert[] = [];
    const alertOf = (signal: 'status' | 'drift', status: 'firing' | 'resolved', summary: string): NormalisedAlert => ({
      fingerprint: `check:${check.id}:${signal}`,
      status,
      acknowledged: false,
      severity: signal === 'status' ? 'critical' : 'warning',
      summary,
      labels: { check_id: check.id, check_signal: signal, check: check.name, target: check.target },
      sourceUrl: check.kind === 'http' ? check.target : null,
      startsAt: now,
      endsAt: status === 'resolved' ? now : null,
      raw: { check: check.name, outcome: { ...outcome, body: undefined }, verdict },
    });
    if (!verdict.ok) alerts.push(alertOf('status', 'firing', `${check.name} is failing: ${verdict.reason}`));
    else if (previous && !previous.ok) alerts.push(alertOf('status', 'resolved', `${check.name} is passing again: ${verdict.reason}`));
    if (step.change === 'raised') {
      alerts.push(
        alertOf(
          'drift',
          'firing',
          `${check.name} is getting slower: ${Math.round(outcome.latencyMs)} ms against a usual ${Math.round(check.baseline.mean)} ms`,
        ),
      );
    } else if (step.change === 'cleared') {
      alerts.push(alertOf('drift', 'resolved', `${check.name} response time is back to normal`));
    }
    if (alerts.length > 0) await ingestWithin({ db: tx, clock: deps.clock }, integration, alerts);
    // The next run keeps the cadence; after downtime it runs at once instead of catching up.
    const nextAt = new Date(Math.max(job.runAt.getTime() + check.intervalSeconds * 1000, now.getTime()));
    await scheduleRun(tx, check.id, nextAt, now);
  });
}
