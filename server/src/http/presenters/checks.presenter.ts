import type { z } from 'zod';
import { checkState } from '../../../../core/alerts/check-verdict.js';
import { baselineRate } from '../../../../core/alerts/error-rate.js';
import type { Check, CheckResult } from '../../../../core/contracts/alerts.js';
import type { CheckResultRow, CheckRow } from '../../repositories/checks.repository.js';

/** A check with its state and both baselines in the units a person reads (ms, percent). */
export function presentCheck(c: CheckRow): z.input<typeof Check> {
  return {
    id: c.id,
    name: c.name,
    serviceId: c.serviceId,
    kind: c.kind,
    target: c.target,
    intervalSeconds: c.intervalSeconds,
    timeoutMs: c.timeoutMs,
    expectStatus: c.expectStatus,
    keyword: c.keyword,
    maxLatencyMs: c.maxLatencyMs,
    failuresBeforeDown: c.failuresBeforeDown,
    integrationId: c.integrationId,
    active: c.active,
    state: checkState(c),
    consecutiveFailures: c.consecutiveFailures,
    baseline: { samples: c.baseline.n, meanMs: c.baseline.mean, stdMs: Math.sqrt(c.baseline.variance), drifting: c.baseline.drifting },
    errorRate: {
      recentProbes: c.errorRate.window.length,
      recentFailures: c.errorRate.window.reduce((sum, x) => sum + x, 0),
      usualPercent: baselineRate(c.errorRate) * 100,
      baselineProbes: c.errorRate.learned,
      drifting: c.errorRate.drifting,
    },
    createdAt: c.createdAt.toISOString(),
    lastRunAt: c.lastRunAt?.toISOString() ?? null,
    nextRunAt: c.nextRunAt?.toISOString() ?? null,
  };
}

/** One probe: a point of the response-time chart. */
export function presentCheckResult(r: CheckResultRow): z.input<typeof CheckResult> {
  return { at: r.at.toISOString(), ok: r.ok, latencyMs: r.latencyMs, statusCode: r.statusCode, error: r.error, z: r.z };
}
