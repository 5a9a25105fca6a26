import type { Db } from '../db/client.js';
import { drainPendingRollups, drainPendingRollupsUnlessBusy, hasPendingRollups } from '../repositories/kpi-pending.repository.js';

/**
 * New tickets are counted in the rollups after their creation commits, not in it (migration
 * 0074's pending list): every process drains the list in the background, and every reader of
 * rollups drains what is left first, so a report never misses a ticket whose creation was
 * acknowledged before it was asked for.
 */

/** Tickets added per drain transaction: its rollup rows stay locked only briefly. */
const DRAIN_CHUNK = 1_000;

/** Before reading rollups: counts every ticket listed so far (waiting for a drain already running). */
export async function countPendingTicketsNow(db: Db): Promise<void> {
  if (!(await hasPendingRollups(db))) return;
  while ((await drainPendingRollups(db, DRAIN_CHUNK)) === DRAIN_CHUNK);
}

export interface RollupDrainer {
  /** Stops the loop; resolves when a drain in flight has ended. */
  stop(): Promise<void>;
}

/**
 * Drains every `intervalMs` while the process runs. A process that finds another one draining
 * leaves it to that one (it drains until the list is empty); a failed drain is logged and the
 * tickets stay listed for the next tick (or the next reader), never lost or counted twice.
 */
export function startRollupDrainer(
  db: Db,
  options: { intervalMs: number; onError: (err: unknown) => void; onDrained?: (tickets: number) => void },
): RollupDrainer {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let drained: number | null;
      do {
        drained = await drainPendingRollupsUnlessBusy(db, DRAIN_CHUNK);
        if (drained) options.onDrained?.(drained);
      } while (drained === DRAIN_CHUNK && !stopped);
    })()
      .catch(options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
