import type { z } from 'zod';
import type { Prober } from '../adapters/prober.js';
import type { DeliveryChannels } from '../services/notifications.service.js';
import type { JobSpec, PayloadSchema } from './job-spec.js';
import type { Job, JobContext } from './runner.js';

/** What the server's jobs need besides the database and the clock, passed in once at start. */
export interface JobDeps {
  mail: DeliveryChannels;
  /** Probes for built-in checks; by default the network, refusing every private address (none allowed). */
  prober?: Prober;
  /** Where a job reports what it did (not failures: the runner logs those). */
  log?: (msg: string, detail: Record<string, unknown>) => void;
}

/** `JobDeps` with the defaults filled in, as handlers receive them. */
export type BoundJobDeps = Required<JobDeps>;

/** A kind's handler: one job at a time, or every due job of the kind a sweep claimed at once (see `BatchJobHandler`). */
export type DefinedHandler<P> =
  | { run(job: Job<P>, deps: JobContext, jobDeps: BoundJobDeps): Promise<void> }
  | { batch(jobs: Job<P>[], deps: JobContext, jobDeps: BoundJobDeps): Promise<(Error | null)[]> };

/**
 * One kind of job, complete: its spec (kind, payload schema, attempts, id) and the handler that
 * calls a service with the parsed payload. One file per kind in `definitions/`, listed in
 * `registry.ts`.
 */
export interface JobDefinition<S extends PayloadSchema = PayloadSchema> {
  spec: JobSpec<S>;
  handler: DefinedHandler<z.output<S>>;
}

export function defineJob<S extends PayloadSchema>(spec: JobSpec<S>, handler: DefinedHandler<z.output<S>>): JobDefinition<S> {
  return { spec, handler };
}
