import type { SlaTarget } from '../../../core/sla-policy.js';
import { createOutboundGuard } from '../adapters/outbound-guard.js';
import { networkProber, type Prober } from '../adapters/prober.js';
import { RESOLVE_TICKET_JOB, resolveTicketIfQuiet } from '../services/alert-resolution.service.js';
import { AUTO_CLOSE_JOB } from '../services/auto-close.service.js';
import { autoCloseResolvedTicket } from '../services/auto-close-run.service.js';
import { CHECK_RUN_JOB, runCheck } from '../services/check-run.service.js';
import { HELD_PAGE_JOB, handleHeldPageTimeout } from '../services/critical-paging.service.js';
import {
  DELIVER_JOB,
  type DeliveryChannels,
  DIGEST_JOB,
  notificationDeliveryHandler,
  notificationDigestHandler,
} from '../services/notifications.service.js';
import { handlePageTimeout, PAGE_TIMEOUT_JOB } from '../services/paging.service.js';
import { SLA_CHECK_JOB } from '../services/sla.service.js';
import { checkSlaTimer } from '../services/sla-timer.service.js';
import type { BatchJobHandler, JobHandler, JobRegistry } from './runner.js';

/** Every kind of job this server runs, by name. Handlers call services, like every entry point. */
export interface JobDeps {
  mail: DeliveryChannels;
  /** Probes for built-in checks; by default the network, refusing every private address (none allowed). */
  prober?: Prober;
}

export function buildJobRegistry(jobDeps: JobDeps): JobRegistry {
  const prober = jobDeps.prober ?? networkProber(createOutboundGuard({ allow: [] }));
  return new Map<string, JobHandler | BatchJobHandler>([
    [DELIVER_JOB, notificationDeliveryHandler(jobDeps.mail)],
    [DIGEST_JOB, notificationDigestHandler(jobDeps.mail)],
    [
      AUTO_CLOSE_JOB,
      async (job, deps) => {
        await autoCloseResolvedTicket(deps, job.payload as { ticketId: string; resolvedAt: string; days: number });
      },
    ],
    [
      CHECK_RUN_JOB,
      async (job, deps) => {
        await runCheck(deps, prober, { checkId: (job.payload as { checkId: string }).checkId, runAt: job.runAt });
      },
    ],
    [
      RESOLVE_TICKET_JOB,
      async (job, deps) => {
        await resolveTicketIfQuiet(deps, job.payload as { ticketId: string; integrationId: string });
      },
    ],
    [
      SLA_CHECK_JOB,
      async (job, deps) => {
        await checkSlaTimer(deps, job.payload as { ticketId: string; target: SlaTarget; kind: 'warning' | 'breach' });
      },
    ],
    [
      PAGE_TIMEOUT_JOB,
      async (job, deps) => {
        await handlePageTimeout(deps, job.payload as { pageId: string; round: number; level: number });
      },
    ],
    [
      HELD_PAGE_JOB,
      async (job, deps) => {
        await handleHeldPageTimeout(deps, job.payload as { ticketId: string; heldSince: string; corroboratedBy?: string });
      },
    ],
  ]);
}

/** How the worker runs: a claim lasts 5 minutes; sweeps every second, at once while busy. */
export const WORKER_OPTIONS = { leaseMs: 5 * 60_000, batchSize: 50, pollMs: 1_000 };
