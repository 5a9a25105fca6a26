import type { NormalisedAlert } from '../../../core/alerts/normalised-alert.js';
import { type IntegrationRow, touchIntegration } from '../repositories/integrations.repository.js';
import { type IngestedAlert, ingestAlerts, ingestWithin } from './alert-intake.service.js';
import type { ServiceDeps } from './deps.js';

interface Pending {
  integration: IntegrationRow;
  alerts: NormalisedAlert[];
  resolve: (result: IngestedAlert[]) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  /** Transactions in flight at once (1 on PGlite, which runs one at a time anyway). */
  workers: number;
  /** Alerts per transaction at most; a delivery is never split. */
  maxAlerts: number;
}

/**
 * Group commit for alert deliveries: deliveries that arrive while a transaction is committing
 * wait, then go together into the next one, so a burst pays for one commit (one WAL flush)
 * instead of one each. Nothing is answered before its transaction committed: each caller's
 * promise settles after COMMIT. If a shared transaction fails (one delivery's error, or a
 * deadlock between workers), each of its deliveries is retried alone, so one bad delivery
 * never fails the others and each caller gets its own outcome.
 */
/** PostgreSQL's deadlock and serialization failures: the transaction did nothing and may simply run again. */
function isRetryable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '40P01' || code === '40001') return true;
  }
  return false;
}

/** One delivery in its own transaction, run again (up to 4 times) if PostgreSQL chose it as a deadlock victim. */
async function ingestAlone(deps: ServiceDeps, integration: IntegrationRow, alerts: NormalisedAlert[]): Promise<IngestedAlert[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestAlerts(deps, integration, alerts);
    } catch (err) {
      if (attempt >= 4 || !isRetryable(err)) throw err;
    }
  }
}

export function createAlertGroupCommit(deps: ServiceDeps, options: GroupCommitOptions) {
  const queue: Pending[] = [];
  let running = 0;
  let idle: (() => void) | null = null;

  const takeBatch = (): Pending[] => {
    const batch: Pending[] = [];
    let alerts = 0;
    while (queue.length > 0 && (batch.length === 0 || alerts + queue[0].alerts.length <= options.maxAlerts)) {
      const next = queue.shift() as Pending;
      alerts += next.alerts.length;
      batch.push(next);
    }
    return batch;
  };

  const runBatch = async (batch: Pending[]) => {
    if (batch.length === 1) {
      const [only] = batch;
      await ingestAlone(deps, only.integration, only.alerts).then(only.resolve, only.reject);
      return;
    }
    let results: IngestedAlert[][];
    try {
      results = await deps.db.transaction(async (tx) => {
        const txDeps = { db: tx, clock: deps.clock };
        const out: IngestedAlert[][] = [];
        for (const item of batch) out.push(await ingestWithin(txDeps, item.integration, item.alerts));
        for (const id of new Set(batch.map((b) => b.integration.id))) await touchIntegration(tx, id, deps.clock.now());
        return out;
      });
    } catch {
      // Alone, each delivery commits or fails on its own.
      // One after another: retried together, they would deadlock with each other again.
      for (const item of batch) await ingestAlone(deps, item.integration, item.alerts).then(item.resolve, item.reject);
      return;
    }
    for (const [i, item] of batch.entries()) item.resolve(results[i]);
  };

  const pump = () => {
    while (running < options.workers && queue.length > 0) {
      const batch = takeBatch();
      running++;
      void runBatch(batch)
        .catch((err: unknown) => {
          for (const item of batch) item.reject(err);
        })
        .finally(() => {
          running--;
          if (queue.length > 0) pump();
          else if (running === 0 && idle) idle();
        });
    }
  };

  return {
    /** Settles after the delivery's transaction committed (or failed). */
    submit(integration: IntegrationRow, alerts: NormalisedAlert[]): Promise<IngestedAlert[]> {
      return new Promise((resolve, reject) => {
        queue.push({ integration, alerts, resolve, reject });
        pump();
      });
    },
    /** Waits until every submitted delivery has settled (for shutdown). */
    async drain(): Promise<void> {
      if (running === 0 && queue.length === 0) return;
      await new Promise<void>((resolve) => {
        idle = resolve;
      });
    },
  };
}

export type AlertGroupCommit = ReturnType<typeof createAlertGroupCommit>;
