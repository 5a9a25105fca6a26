import type { ProbeOutcome } from '../../../core/alerts/check-verdict.js';
import {
  type CheckRow,
  findCheckById,
  insertCheckResults,
  lockCheck,
  type NewCheckResult,
  updateCheck,
} from '../repositories/checks.repository.js';
import { judgeRun, nextRunAfter, recordRun, scheduleRun } from './check-run.service.js';
import type { ServiceDeps } from './deps.js';

/** A check's runs whose outcomes are already known, recorded one by one as the clock reaches each. */
export interface CheckHistory {
  /** The outcome of the check's run due now (the clock's time is the run's). */
  record(deps: ServiceDeps, outcome: ProbeOutcome): Promise<void>;
  /** Writes what `record` still holds; call it before anything else reads or changes the check. */
  flush(deps: ServiceDeps): Promise<void>;
}

/**
 * A scripted history (the demo's month of hourly probes), recorded as `recordRun` records each run
 * — the same results, baselines, alerts and next run — but cheaply: a run that raises or resolves
 * no alert is judged in memory and kept, and the kept runs are written together (their results in
 * one insert, the check's state once) when a run that does raise one comes, or at `flush`. A month
 * of hourly runs costs a few dozen statements instead of some five thousand. Only the chain's
 * last next-run job is scheduled: the jobs of the runs in between would find their run replaced.
 *
 * Meant for a check nothing else touches meanwhile (a loader replaying its history): a flush
 * that finds the check moved on refuses, rather than write over someone's edit.
 */
export function checkHistory(checkId: string): CheckHistory {
  /** The check as the runs so far left it, written or not; undefined until the first run. */
  let check: CheckRow | undefined;
  /** When the check's row was last written: its next run then, which a flush expects to find. */
  let writtenNextRunAt: Date | null = null;
  let kept: NewCheckResult[] = [];
  let keptAt: Date | undefined;

  const load = async (deps: ServiceDeps) => {
    check = await findCheckById(deps.db, checkId);
    writtenNextRunAt = check?.nextRunAt ?? null;
    return check;
  };

  const flush = async (deps: ServiceDeps) => {
    if (!check || kept.length === 0 || !keptAt || !check.nextRunAt) return;
    const { baseline, errorRate, consecutiveFailures, lastRunAt, nextRunAt } = check;
    const [results, now] = [kept, keptAt];
    await deps.db.transaction(async (tx) => {
      const current = await lockCheck(tx, checkId);
      if (!current?.active || current.nextRunAt?.getTime() !== writtenNextRunAt?.getTime()) {
        throw new Error(`check ${checkId} changed while its history was being recorded`);
      }
      await insertCheckResults(tx, results);
      await updateCheck(tx, checkId, { baseline, errorRate, consecutiveFailures, lastRunAt });
      await scheduleRun(tx, checkId, nextRunAt, now);
    });
    kept = [];
    keptAt = undefined;
    writtenNextRunAt = nextRunAt;
  };

  return {
    async record(deps, outcome) {
      const current = check ?? (await load(deps));
      if (!current?.active || !current.nextRunAt) return;
      const now = deps.clock.now();
      const run = judgeRun(current, outcome, now);
      if (run.alerts.length > 0) {
        // Alerts go through the intake at their own moment, exactly as a live run sends them.
        await flush(deps);
        await recordRun(deps, checkId, current.nextRunAt, outcome);
        await load(deps);
        return;
      }
      kept.push(run.result);
      keptAt = now;
      check = { ...current, ...run.state, nextRunAt: nextRunAfter(current, current.nextRunAt, now) };
    },
    flush,
  };
}
