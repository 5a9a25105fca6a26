import type { Clock } from '../adapters/clock.js';
import type { Db } from '../db/client.js';

/** What every use case needs: the database (or a transaction) and the time. Passed in, never global. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
}
