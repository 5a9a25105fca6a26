/**
 * How a job says it should not simply be retried. They live apart from the runner so services
 * (which decide these things, e.g. a mail with no SMTP server) can throw them without importing
 * the runner.
 */

/**
 * Thrown (or returned by a batch handler) when a job cannot succeed as Firebreak is configured,
 * such as a webhook to a refused private address: retrying would only repeat the failure a dozen
 * times, so the job is parked as dead at once, with this message as its reason.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/**
 * Thrown when a job cannot run because a feature is switched off on purpose (a mail while
 * FIREBREAK_SMTP_URL is not set): a normal mode, not a failure. The job is held with this
 * message as its reason — not retried, not listed as failed work — until an admin sends it.
 */
export class HeldJobError extends Error {
  override name = 'HeldJobError';
}

/**
 * Thrown when a job may not start now for a reason that is not its own failure — its webhook
 * receiver already has as many deliveries in flight as it may have at once. The job is put back
 * to run `retryInMs` later, and the attempt is not counted: a slow receiver must not use up the
 * retries of deliveries it never got, nor hold the worker's places that other jobs need.
 */
export class DeferredJobError extends Error {
  override name = 'DeferredJobError';
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
  }
}
