import type { Clock } from '../adapters/clock.js';
import type { OutboundGuard } from '../adapters/outbound-guard.js';
import type { Db } from '../db/client.js';

/** What every use case needs: the database (or a transaction) and the time. Passed in, never global. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
}

/** What configuring a check or webhook needs besides: whether its target is a refused (private) address. */
export type OutboundTargets = Pick<OutboundGuard, 'refusalFor'>;
