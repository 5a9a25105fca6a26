import type { NormalisedAlert } from '../../../core/alerts/normalised-alert.js';
import { AppError } from '../../../core/errors.js';
import { retryingTransientConflicts, unlessTransientConflict } from '../repositories/database-errors.js';
import { findIntegrationsByIds, type IntegrationRow, touchIntegration } from '../repositories/integrations.repository.js';
import { type IngestedAlert, ingestPlainRepeats, ingestWithin } from './alert-intake.service.js';
import type { ServiceDeps, TxDeps } from './deps.js';

interface Pending {
  /** As authenticated when the request arrived (possibly from memory: checked again at commit). */
  integration: IntegrationRow;
  alerts: NormalisedAlert[];
  resolve: (result: IngestedAlert[]) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; alerts: IngestedAlert[] } | { ok: false; error: AppError };

export interface GroupCommitOptions {
  /** Transactions in flight at once (1 on PGlite, which runs one at a time anyway). */
  workers: number;
  /** Alerts per transaction at most; a delivery is never split. */
  maxAlerts: number;
}

const REVOKED = () =>
  new AppError('unauthenticated', 'The integration token is not valid: it was revoked or replaced while this delivery was on its way.');

/**
 * Deliveries ingested inside the caller's transaction. Each delivery's integration is read again
 * here, in the transaction that commits its alerts: a token revoked or replaced before this
 * commit is refused (401) even when the request was let in from memory, and the routing rules
 * applied are the ones in force now. Deliveries of one integration are ingested together, so
 * repeats across deliveries fold into one write; each delivery gets its own alerts' outcomes.
 */
async function ingestDeliveries(txDeps: TxDeps, batch: readonly Pending[]): Promise<Outcome[]> {
  const live = await findIntegrationsByIds(txDeps.db, [...new Set(batch.map((p) => p.integration.id))]);
  const outcomes: (Outcome | undefined)[] = batch.map(() => undefined);
  const byIntegration = new Map<string, number[]>();
  for (const [index, item] of batch.entries()) {
    const row = live.get(item.integration.id);
    if (!row || row.revokedAt !== null || row.tokenHash !== item.integration.tokenHash) continue;
    const indexes = byIntegration.get(row.id);
    if (indexes) indexes.push(index);
    else byIntegration.set(row.id, [index]);
  }
  for (const [id, indexes] of byIntegration) {
    const integration = live.get(id) as IntegrationRow;
    const ingested = await ingestWithin(
      txDeps,
      integration,
      indexes.flatMap((i) => batch[i].alerts),
    );
    let at = 0;
    for (const i of indexes) {
      outcomes[i] = { ok: true, alerts: ingested.slice(at, at + batch[i].alerts.length) };
      at += batch[i].alerts.length;
    }
    await touchIntegration(txDeps.db, integration, txDeps.clock.now());
  }
  return outcomes.map((o) => o ?? { ok: false, error: REVOKED() });
}

function settle(item: Pending, outcome: Outcome): void {
  if (outcome.ok) item.resolve(outcome.alerts);
  else item.reject(outcome.error);
}

/** One delivery in its own transaction, run again (up to 4 times) if PostgreSQL chose it as a deadlock victim. */
async function ingestAlone(deps: ServiceDeps, item: Pending): Promise<Outcome> {
  const [outcome] = await retryingTransientConflicts(4, () =>
    deps.db.transaction((tx) => ingestDeliveries({ db: tx, clock: deps.clock }, [item])),
  );
  return outcome;
}

/** How many alerts (integration and fingerprint) a process remembers having seen, newest first. */
const RECENT_ALERTS_KEPT = 50_000;

/** A bounded memory of alerts seen lately: past `limit`, the longest unseen is forgotten. */
function recentAlerts(limit: number) {
  const keys = new Map<string, true>();
  const keyOf = (integrationId: string, fingerprint: string) => `${integrationId} ${fingerprint}`;
  return {
    has: (integrationId: string, fingerprint: string) => keys.has(keyOf(integrationId, fingerprint)),
    add(integrationId: string, fingerprint: string) {
      const key = keyOf(integrationId, fingerprint);
      keys.delete(key); // re-inserted at the end: Map keeps insertion order
      keys.set(key, true);
      if (keys.size > limit) keys.delete(keys.keys().next().value as string);
    },
  };
}

/**
 * Group commit for alert deliveries: deliveries that arrive while a transaction is committing
 * wait, then go together into the next one, so a burst pays for one commit (one WAL flush)
 * instead of one each. Nothing is answered before its transaction committed: each caller's
 * promise settles after COMMIT. If a shared transaction fails (one delivery's error, or a
 * deadlock between workers), each of its deliveries is retried alone, so one bad delivery
 * never fails the others and each caller gets its own outcome.
 */
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

  const seen = recentAlerts(RECENT_ALERTS_KEPT);

  /**
   * The batch's plain repeats, committed by one statement; settles the deliveries that were
   * nothing else and returns the rest, each reduced to its alerts still to ingest.
   */
  const countPlainRepeats = async (batch: Pending[]): Promise<Pending[]> => {
    // A batch of alerts this process has never seen (a storm of new ones) skips the statement
    // that would find nothing. Only a shortcut: a known alert it misses is still a repeat in the
    // transaction, and another process's alerts are learnt as they come.
    const anySeen = batch.some((item) => item.alerts.some((alert) => seen.has(item.integration.id, alert.fingerprint)));
    for (const item of batch) for (const alert of item.alerts) seen.add(item.integration.id, alert.fingerprint);
    if (!anySeen) return batch;
    const attempt = await unlessTransientConflict(() => ingestPlainRepeats(deps, batch));
    // Chosen as a deadlock victim: it did nothing, so the transaction does it all.
    if (!attempt.ok) return batch;
    const applied = attempt.value;
    const rest: Pending[] = [];
    const settled: [Pending, IngestedAlert[]][] = [];
    for (const [i, item] of batch.entries()) {
      const outcomes = applied[i];
      const left = item.alerts.flatMap((_, position) => (outcomes[position] ? [] : [position]));
      if (left.length === 0) {
        settled.push([item, outcomes as IngestedAlert[]]);
        continue;
      }
      rest.push({
        integration: item.integration,
        alerts: left.map((position) => item.alerts[position]),
        resolve: (ingested) => {
          left.forEach((position, k) => {
            outcomes[position] = ingested[k];
          });
          item.resolve(outcomes as IngestedAlert[]);
        },
        reject: item.reject,
      });
    }
    for (const [item, outcomes] of settled) item.resolve(outcomes);
    return rest;
  };

  const runBatch = async (all: Pending[]) => {
    const batch = await countPlainRepeats(all);
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const [only] = batch;
      await ingestAlone(deps, only).then((outcome) => settle(only, outcome), only.reject);
      return;
    }
    let outcomes: Outcome[];
    try {
      outcomes = await deps.db.transaction((tx) => ingestDeliveries({ db: tx, clock: deps.clock }, batch));
    } catch {
      // Alone, each delivery commits or fails on its own.
      // One after another: retried together, they would deadlock with each other again.
      for (const item of batch) await ingestAlone(deps, item).then((outcome) => settle(item, outcome), item.reject);
      return;
    }
    for (const [i, item] of batch.entries()) settle(item, outcomes[i]);
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
