import type { Db } from '../db/client.js';
import {
  drainPendingRollups,
  drainPendingRollupsUnlessBusy,
  hasPendingRollups,
  isDrainLockTimeout,
} from '../repositories/kpi-pending.repository.js';

/**
 * New tickets are counted in the rollups after their creation commits, not in it (migration
 * 0074's pending list): every process drains the list in the background, and every reader of
 * rollups drains what is left first, so a report never misses a ticket whose creation was
 * acknowledged before it was asked for.
 */

/** Tickets added per drain transaction: its rollup rows stay locked only briefly. */
const DRAIN_CHUNK = 1_000;

/** Drains that gave way to writers before a reader reads without the newest tickets. */
const READER_ATTEMPTS = 5;

/**
 * Before reading rollups: counts every ticket listed so far (waiting for a drain already running).
 * A drain gives way to writers holding the rows it needs (kpi-pending.repository.ts); after
 * READER_ATTEMPTS such drains in a row the report is read anyway, without the tickets still
 * listed — counted by the next drain, a second later — rather than failing the report.
 */
export async function countPendingTicketsNow(db: Db, chunk = DRAIN_CHUNK): Promise<void> {
  if (!(await hasPendingRollups(db))) return;
  for (let attempt = 1; ; attempt++) {
    try {
      while ((await drainPendingRollups(db, chunk)) === chunk);
      return;
    } catch (err) {
      if (!isDrainLockTimeout(err)) throw err;
      if (attempt === READER_ATTEMPTS) return;
    }
  }
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
  options: {
    intervalMs: number;
    onError: (err: unknown) => void;
    onDrained?: (tickets: number) => void;
    /** The drain gave way to a writer holding a row it needed (retried at the next tick; not an error). */
    onGaveWay?: () => void;
  },
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
      .catch((err: unknown) => (isDrainLockTimeout(err) ? options.onGaveWay?.() : options.onError(err)))
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
