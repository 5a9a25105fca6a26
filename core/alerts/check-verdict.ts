import type { CheckState } from '../vocabulary.js';

/** What a probe measured; the prober (an adapter) only measures, this decides. */
export interface ProbeOutcome {
  latencyMs: number;
  statusCode: number | null;
  /** The start of the body (http), to look for the keyword. */
  body: string | null;
  /** Connection refused, timeout, TLS or DNS failure. */
  error: string | null;
}

export interface CheckExpectations {
  kind: 'http' | 'tcp';
  expectStatus: number | null;
  keyword: string | null;
  maxLatencyMs: number | null;
}

/** Pass or fail, with the reason a person reads on the alert. */
export function judgeProbe(outcome: ProbeOutcome, check: CheckExpectations): { ok: boolean; reason: string } {
  if (outcome.error) return { ok: false, reason: outcome.error };
  if (check.kind === 'http') {
    const status = outcome.statusCode ?? 0;
    const statusOk = check.expectStatus === null ? status >= 200 && status < 400 : status === check.expectStatus;
    if (!statusOk) {
      return { ok: false, reason: `HTTP ${status}, expected ${check.expectStatus ?? '2xx or 3xx'}` };
    }
    if (check.keyword && !(outcome.body ?? '').includes(check.keyword)) {
      return { ok: false, reason: `the response does not contain "${check.keyword}"` };
    }
  }
  if (check.maxLatencyMs !== null && outcome.latencyMs > check.maxLatencyMs) {
    return { ok: false, reason: `answered in ${Math.round(outcome.latencyMs)} ms, slower than the ${check.maxLatencyMs} ms allowed` };
  }
  return {
    ok: true,
    reason: `${check.kind === 'http' ? `HTTP ${outcome.statusCode}` : 'connected'} in ${Math.round(outcome.latencyMs)} ms`,
  };
}

/**
 * Where a check stands after a probe. A check is down after `failuresBeforeDown` failures in a
 * row (one blip does not page anyone at urgency 1). A failure that is part of an outage does not
 * count toward the error rate: the incident speaks for it, and counted it would leave an
 * error-rate drift behind every outage once the check recovers.
 */
export function followProbe(
  consecutiveFailures: number,
  ok: boolean,
  failuresBeforeDown: number,
): { consecutiveFailures: number; down: boolean; wasDown: boolean; countsForErrorRate: boolean } {
  const next = ok ? 0 : consecutiveFailures + 1;
  const down = next >= failuresBeforeDown;
  return { consecutiveFailures: next, down, wasDown: consecutiveFailures >= failuresBeforeDown, countsForErrorRate: ok || !down };
}

/** What a person reads as the check's state. */
export function checkState(check: {
  active: boolean;
  lastRunAt: Date | string | null;
  consecutiveFailures: number;
  failuresBeforeDown: number;
}): CheckState {
  if (!check.active) return 'paused';
  if (!check.lastRunAt) return 'pending';
  if (check.consecutiveFailures === 0) return 'up';
  return check.consecutiveFailures >= check.failuresBeforeDown ? 'down' : 'failing';
}
