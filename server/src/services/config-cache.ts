import type { Database } from '../db/client.js';
import { type Listener, listen } from '../db/listen.js';

/**
 * The tables whose rows every ticket write reads (the priority matrix and other settings, SLA
 * policies, active webhook subscriptions, automation rules, teams' fair-assignment strategy, the
 * services tickets are routed by), and those every signed-in request reads (its API token or
 * session, and its person). Migrations 0069 and 0083's triggers announce any statement that changes one on
 * CONFIG_CHANNEL.
 */
export const CONFIG_TABLES = [
  'settings',
  'sla_policies',
  'webhook_subscriptions',
  'automation_rules',
  'teams',
  'services',
  'api_tokens',
  'sessions',
  'users',
] as const;
export type ConfigTable = (typeof CONFIG_TABLES)[number];
export const CONFIG_CHANNEL = 'firebreak_config';

/**
 * This process's copy of the configuration the write path reads, so a ticket creation does not
 * read it again on every request. Each entry belongs to a table and is dropped when that table
 * changes: at once when this process's services change it (`changed`, after their transaction
 * ends), and when any process's change commits (the table's NOTIFY, heard by `listenForConfigChanges`).
 * A read that started before a change is not kept, so a change is never overwritten by what was
 * read before it. Values are shared between requests: callers must not mutate them.
 */
export class ConfigCache {
  private readonly entries = new Map<string, { tables: readonly ConfigTable[]; value: unknown }>();
  private readonly generations = new Map<string, number>();
  /**
   * Moves whenever the listener is lost or back: a read begun before then may have missed an
   * announcement for any table, including one this cache has never seen change.
   */
  private epoch = 0;
  private readonly watchers = new Set<(table: string) => void>();
  /** False while nobody listens for other processes' changes: then every read goes to the database. */
  private listening = true;

  /** `load`'s answer, kept under `key` until any of `from` (the tables it reads) changes. */
  async read<T>(from: ConfigTable | readonly ConfigTable[], key: string, load: () => Promise<T>): Promise<T> {
    if (!this.listening) return load();
    const cached = this.entries.get(key);
    if (cached) return cached.value as T;
    const tables = typeof from === 'string' ? [from] : from;
    const generations = tables.map((table) => this.generations.get(table) ?? 0);
    const epoch = this.epoch;
    const value = await load();
    // Nothing found is not kept: what is missing now may be created next.
    const unchanged =
      tables.every((table, i) => (this.generations.get(table) ?? 0) === generations[i]) && this.epoch === epoch && this.listening;
    if (value !== undefined && unchanged) this.entries.set(key, { tables, value });
    return value;
  }

  /**
   * One entry is out of date because this process just changed what it holds (and nobody else
   * needs to hear of it): read again next time, the rest kept. A read of it already in flight is
   * kept only if it began after this.
   */
  forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const table of entry.tables) this.generations.set(table, (this.generations.get(table) ?? 0) + 1);
  }

  /** The table changed (or may have): what was read from it is read again next time. */
  changed(table: string): void {
    this.generations.set(table, (this.generations.get(table) ?? 0) + 1);
    for (const [key, entry] of this.entries) if (entry.tables.includes(table as ConfigTable)) this.entries.delete(key);
    for (const watcher of this.watchers) watcher(table);
  }

  /** The listener is gone: another process's change would go unheard, so cache nothing until it is back. */
  suspend(): void {
    this.listening = false;
    this.forgetAll();
  }

  /** The listener is back; announcements sent meanwhile were missed, so start from nothing. */
  resume(): void {
    this.forgetAll();
    this.listening = true;
  }

  private forgetAll(): void {
    this.epoch += 1;
    for (const table of new Set([...this.generations.keys(), ...[...this.entries.values()].flatMap((e) => e.tables)])) this.changed(table);
    this.entries.clear();
  }

  /** Calls `watcher` with each table that changes (tests wait on a change from another process). */
  watch(watcher: (table: string) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

/** A read through the cache when there is one, else straight from the database. */
export function readConfig<T>(
  cache: ConfigCache | undefined,
  from: ConfigTable | readonly ConfigTable[],
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  return cache ? cache.read(from, key, load) : load();
}

/**
 * A change of configuration by this process's services: once its transaction has ended (committed
 * or not), this process reads the table again at once, without waiting for the announcement.
 */
export async function changingConfig<T>(cache: ConfigCache | undefined, table: ConfigTable, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    cache?.changed(table);
  }
}

/** Drops the cache's entries when any process changes their table (migration 0069's announcements). */
export function listenForConfigChanges(
  database: Pick<Database, 'raw'>,
  cache: ConfigCache,
  log: (level: 'warn' | 'info', msg: string, detail: Record<string, unknown>) => void,
): Promise<Listener> {
  return listen(database, CONFIG_CHANNEL, {
    onMessage: (table) => cache.changed(table),
    onResync: () => {
      log('info', 'configuration cache: listening again; cached configuration dropped', {});
      cache.resume();
    },
    onError: (err, retryInMs) => {
      cache.suspend();
      log('warn', 'configuration cache: lost the database listener; reconnecting', { err: err.message, retryInMs });
    },
  });
}
