import type { Clock } from '../adapters/clock.js';
import type { OutboundGuard } from '../adapters/outbound-guard.js';
import type { PasswordCost } from '../adapters/secrets.js';
import type { Db, Tx } from '../db/client.js';
import type { ConfigCache } from './config-cache.js';
import type { StormChecksSeen } from './storm-schedule.service.js';

/** What every use case needs: the database (or a transaction) and the time. Passed in, never global. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  /** scrypt cost for new password hashes; absent means the default (OWASP's minimum). Tests pass a lower one. */
  passwordCost?: PasswordCost;
  /**
   * The server's copy of the configuration the write path reads (config-cache.ts). Absent (jobs,
   * tests of a service alone): read from the database every time.
   */
  configCache?: ConfigCache;
  /** The server's memory of storm checks already scheduled (storm-schedule.service.ts); absent, reports ask the database. */
  stormChecksSeen?: StormChecksSeen;
}

/** What configuring a check or webhook needs besides: whether its target is a refused (private) address. */
export type OutboundTargets = Pick<OutboundGuard, 'refusalFor'>;

/** A use case running inside its caller's transaction (several writes that commit together). */
export interface TxDeps extends ServiceDeps {
  db: Tx;
}
