/**
 * What a database error means for the caller, decided here so that PostgreSQL's error codes
 * stay with the SQL: services ask "was this a conflict?" and get a domain answer, never a code.
 */

/** PostgreSQL's error code, wherever Drizzle put it (it wraps driver errors; the code sits on a cause). */
function sqlStateOf(err: unknown, accept: (code: string) => boolean): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && accept(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A unique index refused the row (23505 unique_violation): the name or key is taken. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlStateOf(err, (code) => code === '23505');
}

/**
 * The database gave up on the transaction to break a deadlock (40P01) or a serialization
 * failure (40001): it did nothing, and may simply run again.
 */
export function isTransientConflict(err: unknown): boolean {
  return sqlStateOf(err, (code) => code === '40P01' || code === '40001');
}

/**
 * SQLSTATEs and socket errors that mean "the database is away" (restarting, shut down, refusing
 * connections, out of connection slots, or the link to it broke), not "this request was wrong".
 */
const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/** node-postgres says these in words only. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i;

/**
 * The database could not be reached or dropped the connection: the request did nothing that
 * committed and may be retried shortly (503), and the pool reconnects by itself.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (sqlStateOf(err, (code) => UNAVAILABLE_CODES.has(code))) return true;
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof AggregateError && current.errors.some((e) => isDatabaseUnavailable(e))) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The outcome of work that may lose a race to a concurrent transaction. */
export type ConflictOutcome<T> = { ok: true; value: T } | { ok: false; conflict: 'transient' };

/** Runs `work`; a deadlock or serialization failure comes back as a result, any other error is thrown. */
export async function unlessTransientConflict<T>(work: () => Promise<T>): Promise<ConflictOutcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (isTransientConflict(err)) return { ok: false, conflict: 'transient' };
    throw err;
  }
}

/** Runs `work` again (up to `attempts` times in all) while the database chose it as a deadlock or serialization victim. */
export async function retryingTransientConflicts<T>(attempts: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isTransientConflict(err)) throw err;
    }
  }
}
