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
