import type { z } from 'zod';
import type { DeadJob } from '../../../../core/contracts/jobs.js';
import type { DeadJobInContext } from '../../repositories/jobs.repository.js';

export function presentDeadJob({ job, ticketId, ticketNumber, delivery }: DeadJobInContext): z.input<typeof DeadJob> {
  return {
    id: job.id,
    kind: job.kind,
    attempts: job.attempts,
    lastError: job.lastError,
    runAt: job.runAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    payload: job.payload,
    ticketId,
    ticketNumber,
    delivery,
  };
}
